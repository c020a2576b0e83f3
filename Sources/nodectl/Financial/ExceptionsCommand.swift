import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl exceptions`: what merges between nodes that were apart broke of a business rule.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "Business exceptions raised by merges: duplicate numbers, overpaid invoices.",
        discussion: "Example: nodectl exceptions list",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every business exception, the same on every node that holds the same data.",
            discussion: "Example: nodectl exceptions list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let exceptions = try data.open().replica.businessExceptions()
            if json.enabled {
                Output.json(
                    .array(
                        exceptions.map {
                            .object([
                                ("id", .string($0.id)), ("kind", .string($0.kind)),
                                ("customerId", .optional($0.customerID?.description)),
                                ("documents", .array($0.documents.map { .string($0.description) })),
                                ("detail", .string($0.detail)),
                            ])
                        }
                    )
                )
                return
            }
            if exceptions.isEmpty {
                Output.line("no business exceptions")
                return
            }
            for exception in exceptions {
                Output.line("\(exception.kind)  \(exception.customerID?.description ?? "")  [\(exception.id)]")
                Output.wrapped(exception.detail, indent: "  ")
            }
        }
    }
}
