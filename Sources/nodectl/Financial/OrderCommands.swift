import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl order`: sales orders, their deliveries and cancellations.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Sales orders: issued once; deliveries and a cancellation are records that point at them.",
        discussion: "Example: nodectl order add 01a2379b-51d1-7000-824d-31054e8b1893 --quote HQ-Q-000003",
        subcommands: [Add.self, Deliver.self, Cancel.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a sales order from lines or from a quote (an open quote is accepted by it).",
            discussion: """
                A line is 'PART QTY [@PRICE] [-DISCOUNT%]'; each part appears once on an order.

                Example: nodectl order add 01a2379b-51d1-7000-824d-31054e8b1893 --line 'W-100 10' --deliver-by 2026-12-20
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "A line: 'PART QTY [@PRICE] [-DISCOUNT%]' (repeat for more).") var line: [String] = []
        @Option(help: "The quote the order takes its lines from (id or number).") var quote: String?
        @Option(name: .customLong("deliver-by"), help: "The promised delivery date, YYYY-MM-DD.") var deliverBy: String?
        @Option(
            name: .customLong("override-credit"),
            help: "Take the order over the customer's credit limit, for this reason (recorded)."
        )
        var overrideCredit: String?
        @Option(help: "Notes printed on the order.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            guard line.isEmpty != (quote == nil) else {
                throw UsageError("an order takes its lines from --line or from --quote (one of them)")
            }
            let lines = try lineRequests(line)
            let when = try date.resolved()
            let by = try deliverBy.map { try businessDate($0, "--deliver-by") }
            if let overrideCredit { try requireText(overrideCredit, "--override-credit") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let issued = try replica.write(as: who) {
                try $0.addOrder(
                    customer: customer,
                    lines: lines,
                    quote: quote,
                    date: when,
                    deliverBy: by,
                    creditOverride: overrideCredit,
                    notes: notes
                )
            }
            try printIssued(replica, .order, issued, json: json.enabled)
        }
    }

    struct Deliver: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a delivery: the lines given, or everything not yet delivered.",
            discussion: "Example: nodectl order deliver HQ-SO-000007 --line 'W-100 4' --date 2026-12-09"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The order's id or number.") var order: String
        @Option(help: "A delivered line: 'PART QTY' (repeat; none: all that is left).") var line: [String] = []

        func execute() async throws {
            let lines = try line.map { text in
                do { return try DeliveredQuantity(parsing: text) } catch let error as ModelError {
                    throw UsageError(error.message)
                }
            }
            let when = try date.resolved()
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) { try $0.deliverOrder(order, lines: lines, date: when) }
            if json.enabled {
                Output.json(FinancialViews.document(try replica.salesDocument(.order, order)))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Cancel: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel an order, with the reason.",
            discussion: "Example: nodectl order cancel HQ-SO-000007 --reason 'customer changed supplier'"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The order's id or number.") var order: String
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            try requireText(reason, "--reason")
            let when = try date.resolved()
            let who = try person.resolved()
            try data.open().replica.write(as: who) { _ = try $0.cancelOrder(order, reason: reason, date: when) }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sales orders, of one customer or all, by date.",
            discussion: "Example: nodectl order list 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id (default: every customer).") var customer: String?

        func execute() async throws {
            try listDocuments(.order, customer, data: data, json: json.enabled)
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One order with its lines and deliveries.",
            discussion: "Example: nodectl order show HQ-SO-000007"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The order's id or number.") var order: String

        func execute() async throws {
            try showDocument(.order, order, data: data, json: json.enabled)
        }
    }
}
