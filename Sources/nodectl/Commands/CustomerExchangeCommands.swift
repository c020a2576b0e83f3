import ArgumentParser
import Foundation
import Node
import Replication

extension CustomerCommand {
    struct Export: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every customer with its contacts, as CSV (one row per contact) or JSON.",
            discussion: """
                CSV columns: \(ExchangeColumn.allCases.map(\.rawValue).joined(separator: ", ")). \
                categories, contact_phones and contact_emails hold several elements separated by ";" \
                (a ";" inside one is written \\; and a backslash \\\\). The format defaults to the \
                extension of --output, else CSV.

                Example: nodectl customer export --output customers.csv
                """
        )
        @OptionGroup var data: DataOptions
        @Option(help: "csv or json.") var format: String?
        @Option(help: "Write to this file (replaced whole once complete) instead of stdout.") var output: String?
        @Flag(help: "Archived customers too.") var all = false

        func execute() async throws {
            let format = try ExchangeFormat.resolve(format, file: output)
            let home = try data.open()
            guard let output else {
                try CustomerExport.write(
                    home.replica,
                    format: format,
                    includeArchived: all,
                    to: ExchangeOutput(FileHandle.standardOutput)
                )
                return
            }
            let target = URL(fileURLWithPath: output)
            let partial = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                throw ExchangeError(.fileUnwritable, FileProblem.sentence(error, .write, target.path))
            }
            do {
                let handle = try FileHandle(forWritingTo: partial)
                defer { try? handle.close() }
                try CustomerExport.write(
                    home.replica,
                    format: format,
                    includeArchived: all,
                    to: ExchangeOutput(handle, path: target.path)
                )
                guard rename(partial.path, target.path) == 0 else {
                    let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    throw ExchangeError(.fileUnwritable, FileProblem.sentence(error, .write, target.path))
                }
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
        }
    }

    struct Import: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the customers and contacts of a file in the export's shape, all or nothing.",
            discussion: """
                A CSV header names any of the export's columns in any order (name at least); rows with \
                the same customer_id are one customer; new ids are made. A customer with the same name \
                (case ignored) and a phone with the same digits or the same e-mail as one in the node or \
                earlier in the file is skipped and reported. Bad rows are reported by line (the header is \
                line 1) and then nothing is imported. The format defaults to the file's extension, else CSV.

                Example: nodectl customer import customers.csv --dry-run
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The file to import.") var file: String
        @Option(help: "csv or json.") var format: String?
        @Flag(help: "Show what would happen; write nothing.") var dryRun = false

        func execute() async throws {
            let who = try person.resolved()
            let format = try ExchangeFormat.resolve(format, file: file)
            let home = try data.open()
            let source = try ImportSource.read(URL(fileURLWithPath: file), format: format)
            let report: ImportReport
            do {
                report = try CustomerImport.run(source, into: home.replica, dryRun: dryRun, as: who)
            } catch let error as ExchangeError where error.code == .badRows {
                for problem in error.problems {
                    Output.diagnostic(
                        "line \(problem.line): \(problem.reason.replacingOccurrences(of: "\n", with: " "))"
                    )
                }
                throw error
            }
            if json.enabled {
                Output.json(
                    .object([
                        ("created", .number(Int64(report.created))),
                        (
                            "skipped",
                            .array(
                                report.skipped.map {
                                    .object([("line", .number(Int64($0.line))), ("reason", .string($0.reason))])
                                }
                            )
                        ),
                        ("contacts", .number(Int64(report.contacts))),
                    ])
                )
                return
            }
            let verb = report.dryRun ? "would create" : "created"
            Output.line(
                "\(verb) \(report.created) customers and \(report.contacts) contacts; skipped \(report.skipped.count) rows"
            )
            for skipped in report.skipped {
                Output.line("line \(skipped.line): skipped: \(skipped.reason)")
            }
        }
    }
}
