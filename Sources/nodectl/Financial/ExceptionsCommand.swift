import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl exceptions`: what merges between nodes that were apart broke of a business rule.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "Business exceptions raised by merges: duplicate numbers, overpaid invoices, orders during a hold.",
        discussion: "Example: nodectl exceptions list",
        subcommands: [List.self, Resolve.self],
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

    struct Resolve: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a business exception: --accept keeps what it names, --cancel cancels the order.",
            discussion: """
                The resolution is a record: every node stops listing the exception once it has it. --cancel \
                applies to order-during-hold (the order's status becomes cancelled).

                Example: nodectl exceptions resolve order-during-hold:01a2379b-51d1-7000-824d-31054e8b1893 --cancel --reason 'customer on hold'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The exception's id, as exceptions list shows it.") var id: String
        @Flag(help: "Keep what the exception names as it is.") var accept = false
        @Flag(help: "Cancel the order the exception names.") var cancel = false
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            guard accept != cancel else { throw UsageError("give exactly one of --accept and --cancel") }
            let when = try date.resolved()
            let who = try person.resolved()
            let resolution = try data.open().replica.write(as: who) {
                try $0.resolveException(id, cancel: cancel, reason: reason, date: when)
            }
            Output.line(resolution.description)
        }
    }
}
