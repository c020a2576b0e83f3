import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct DocumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Letters, quotes and spreadsheets filed in a folder.",
        discussion: "Example: nodectl document list 01a2379b-51d1-7000-824d-31054e8b1893",
        subcommands: [Add.self, List.self, Get.self, Withdraw.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "File a document in a customer's folder.",
            discussion: """
                --title - reads the title from standard input, --title-file FILE from a file. A FILE of \
                '-' files standard input, of any length, as --file-name (default pasted.txt): the place \
                for a text longer than a note holds. A FILE whose name is not UTF-8 (caf\\xE9.pdf from an \
                old system) is filed under its name read as Latin-1 (café.pdf).

                Example: nodectl document add 01a2379b-51d1-7000-824d-31054e8b1893 quote.pdf --title "Quote 1"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Argument(help: "The file.") var file: String
        @Option(help: "A title (default: the file's name; '-': read standard input).") var title: String?
        @Option(name: .customLong("title-file"), help: "Read the title from this file.") var titleFile: String?
        @Option(name: .customLong("file-name"), help: "With FILE '-': the document's file name (default pasted.txt).")
        var fileName: String?

        func execute() async throws {
            let who = try person.resolved()
            let customer = try parseEntityID(customerID, "customer")
            var input = LongTextInput()
            let title = try input.text(title, file: titleFile, option: "title")
            let home = try data.open()
            guard file == "-" else {
                guard fileName == nil else { throw UsageError("--file-name is for a FILE of '-' (standard input)") }
                if let raw = RawArguments.bytes(of: file) {
                    try addNamedInBytes(home, customer, raw, title, who)
                } else {
                    try add(home, customer, URL(fileURLWithPath: file), title, who)
                }
                return
            }
            let name = fileName ?? "pasted.txt"
            guard !name.isEmpty, !name.contains("/") else {
                throw UsageError("--file-name '\(name)' is not a file name")
            }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nodectl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let pasted = scratch.appendingPathComponent(name)
            try input.copyStandardInput(to: pasted, for: "FILE -")
            try add(home, customer, pasted, title, who)
        }

        /// Files a file whose path is not UTF-8 (`caf\xE9 invoice.pdf`): opened by its bytes, shown
        /// under the name ``Document/fileName(fromBytes:)`` reads from them.
        private func addNamedInBytes(
            _ home: NodeHome,
            _ customer: EntityID,
            _ path: [UInt8],
            _ title: String?,
            _ who: String?
        ) throws {
            let shown = Document.fileName(fromBytes: path)
            let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                throw NodeError(.fileUnreadable, "cannot read \(shown): \(FileProblem.reason(error, .read, path: nil))")
            }
            defer { _ = close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, (status.st_mode & mode_t(S_IFMT)) != mode_t(S_IFDIR) else {
                throw NodeError(.fileUnreadable, "cannot read \(shown): it is a folder")
            }
            let name = Document.fileName(fromBytes: path.split(separator: UInt8(ascii: "/")).last ?? [])
            // The open descriptor, by a path that is text: the store reads the file through it.
            let opened = URL(fileURLWithPath: "/dev/fd/\(descriptor)")
            do {
                try add(home, customer, opened, title, who, fileName: name)
            } catch let error as NodeError {
                throw NodeError(error.code, error.message.replacingOccurrences(of: opened.path, with: shown))
            }
        }

        private func add(
            _ home: NodeHome,
            _ customer: EntityID,
            _ file: URL,
            _ title: String?,
            _ who: String?,
            fileName: String? = nil
        ) throws {
            let document = try home.addDocument(
                customer: customer,
                file: file,
                title: title,
                fileName: fileName,
                as: who
            )
            if json.enabled {
                Output.json(
                    Views.attaching(
                        by: try home.replica.creators(of: [document.id])[document.id],
                        to: Views.document(document, present: true)
                    )
                )
            } else {
                Output.line(document.id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A customer's documents.",
            discussion: "Example: nodectl document list 01a2379b-51d1-7000-824d-31054e8b1893 --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let home = try data.open()
            let documents = try home.replica.documents(customer: customer)
            if json.enabled {
                let by = try home.replica.creators(of: documents.map(\.id))
                Output.json(
                    .array(
                        documents.map {
                            Views.attaching(
                                by: by[$0.id],
                                to: Views.document($0, present: home.blobs.contains($0.digest))
                            )
                        }
                    )
                )
            } else {
                Output.table(
                    ["ID", "TITLE", "FILE", "SIZE", "PRESENT"],
                    whole: [0, 3],
                    documents.map {
                        [
                            $0.id.description, $0.title, $0.fileName, ByteSize.text($0.size),
                            $0.withdrawal.map { "withdrawn: \($0.reason)" }
                                ?? (home.blobs.contains($0.digest) ? "yes" : "no"),
                        ]
                    }
                )
            }
        }
    }

    struct Get: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a document's bytes to a file.",
            discussion: "Example: nodectl document get 01a2379d-77aa-7000-824d-31054e8b1893 --output quote.pdf"
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The document's id.") var documentID: String
        @Option(help: "The file to write.") var output: String

        func execute() async throws {
            let id = try parseEntityID(documentID, "document")
            try data.open().exportDocument(id, to: URL(fileURLWithPath: output))
        }
    }

    struct Withdraw: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Withdraw a document filed by mistake: its record stays, marked; its bytes are erased on every node.",
            discussion: """
                The withdrawal replicates like any record. Each node erases the bytes when it \
                receives it, never fetches or sends them again, and 'document get' says the \
                document was withdrawn. Nothing brings the bytes back: file them again if needed.

                Example: nodectl document withdraw 01a2379d-77aa-7000-824d-31054e8b1893 --reason "filed in the wrong folder"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The document's id.") var documentID: String
        @Option(help: "Why it is withdrawn (recorded and shown).") var reason: String

        func execute() async throws {
            let who = try person.resolved()
            let id = try parseEntityID(documentID, "document")
            let home = try data.open()
            let document = try home.withdrawDocument(id, reason: reason, as: who)
            if json.enabled { Output.json(Views.document(document, present: false)) }
        }
    }
}
