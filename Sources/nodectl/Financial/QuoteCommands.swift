import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl quote`: quotes, immutable once issued; acceptance and decline are records.
struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Quotes: issued once, then accepted or declined.",
        discussion:
            "Example: nodectl quote add 01a2379b-51d1-7000-824d-31054e8b1893 --line 'W-100 3' --valid-until 2026-12-31",
        subcommands: [Add.self, Accept.self, Decline.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a quote.",
            discussion: """
                A line is 'PART QTY [@PRICE] [-DISCOUNT%]': the price list's price unless @PRICE is given, \
                the item's tax rate always.

                Example: nodectl quote add 01a2379b-51d1-7000-824d-31054e8b1893 --line 'W-100 3' --line 'LAB 2.5 @85.00 -10%'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "A line: 'PART QTY [@PRICE] [-DISCOUNT%]' (repeat for more).") var line: [String] = []
        @Option(name: .customLong("valid-until"), help: "The last day the quote holds, YYYY-MM-DD.") var validUntil:
            String?
        @Option(help: "Notes printed on the quote.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            guard !line.isEmpty else { throw UsageError("a quote needs at least one --line") }
            let lines = try lineRequests(line)
            let when = try date.resolved()
            let until = try validUntil.map { try businessDate($0, "--valid-until") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let issued = try replica.write(as: who) {
                try $0.addQuote(customer: customer, lines: lines, date: when, validUntil: until, notes: notes)
            }
            try printIssued(replica, .quote, issued, json: json.enabled)
        }
    }

    struct Accept: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the customer accepted a quote.",
            discussion: "Example: nodectl quote accept HQ-Q-000003"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The quote's id or number.") var quote: String

        func execute() async throws {
            let when = try date.resolved()
            let who = try person.resolved()
            try data.open().replica.write(as: who) { _ = try $0.decideQuote(quote, accepted: true, date: when) }
        }
    }

    struct Decline: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the customer declined a quote.",
            discussion: "Example: nodectl quote decline HQ-Q-000003"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The quote's id or number.") var quote: String

        func execute() async throws {
            let when = try date.resolved()
            let who = try person.resolved()
            try data.open().replica.write(as: who) { _ = try $0.decideQuote(quote, accepted: false, date: when) }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Quotes, of one customer or all, by date.",
            discussion: "Example: nodectl quote list 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id (default: every customer).") var customer: String?

        func execute() async throws {
            try listDocuments(.quote, customer, data: data, json: json.enabled)
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One quote with its lines.",
            discussion: "Example: nodectl quote show HQ-Q-000003"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The quote's id or number.") var quote: String

        func execute() async throws {
            try showDocument(.quote, quote, data: data, json: json.enabled)
        }
    }
}

/// Prints what issuing a document made: its JSON, or its number and id.
func printIssued(_ replica: Replica, _ kind: EntityKind, _ issued: IssuedDocument, json: Bool) throws {
    if json {
        let document = try replica.salesDocument(kind, issued.id.description)
        let invoice = kind == .invoice ? try replica.invoice(issued.id.description, asOf: document.date) : nil
        Output.json(FinancialViews.document(document, invoice: invoice))
    } else {
        Output.line("\(issued.number)  \(issued.id)")
    }
}

/// `quote list`, `order list`: one line per document.
func listDocuments(_ kind: EntityKind, _ customer: String?, data: DataOptions, json: Bool) throws {
    let customer = try customer.map { try parseEntityID($0, "customer") }
    let replica = try data.open().replica
    let documents = try replica.salesDocuments(kind, customer: customer)
    if json {
        Output.json(
            .array(
                documents.map {
                    .object([
                        ("id", .string($0.id.description)), ("number", .string($0.number)),
                        ("customerId", .string($0.customerID.description)), ("date", .string($0.date.description)),
                        ("total", .string($0.total.description)), ("status", .string($0.status)),
                    ])
                }
            )
        )
        return
    }
    Output.table(
        ["NUMBER", "DATE", "CUSTOMER", "TOTAL", "STATUS", "ID"],
        whole: [0, 5],
        right: [3],
        documents.map {
            [
                $0.number, $0.date.description, $0.customerID.description, $0.total.description, $0.status,
                $0.id.description,
            ]
        }
    )
}

/// `quote show`, `order show`, `credit-note show`: the header, the lines, the totals.
func showDocument(_ kind: EntityKind, _ reference: String, data: DataOptions, json: Bool) throws {
    let replica = try data.open().replica
    let document = try replica.salesDocument(kind, reference)
    if json {
        Output.json(FinancialViews.document(document))
        return
    }
    printDocumentHeader(document)
    Output.line("Status: \(document.status)")
    Output.line("")
    FinancialViews.printLines(document)
    Output.line("")
    FinancialViews.printTotals([("Subtotal", document.subtotal), ("Tax", document.tax), ("Total", document.total)])
    for delivery in document.deliveries {
        Output.line(
            "Delivered \(delivery.date): " + delivery.lines.map { "\($0.part) \($0.quantity)" }.joined(separator: ", ")
        )
    }
    if let cancelled = document.details["cancelled"] { Output.line("Cancelled: \(cancelled)") }
    if let notes = document.details["notes"] {
        Output.line("Notes:")
        Output.wrapped(notes, indent: "  ")
    }
}

func printDocumentHeader(_ document: SalesDocument) {
    let title = [
        EntityKind.quote: "Quote", .order: "Sales order", .invoice: "Invoice", .creditNote: "Credit note",
    ][document.kind, default: document.kind.name]
    Output.line("\(title) \(document.number)  [\(document.id)]")
    Output.line("Customer: \(document.customerID)")
    var dates = "Date: \(document.date)"
    if let due = document.details["dueDate"] { dates += "  Due: \(due)" }
    if let terms = document.details["terms"] { dates += "  Terms: \(terms)" }
    if let until = document.details["validUntil"] { dates += "  Valid until: \(until)" }
    if let by = document.details["deliverBy"] { dates += "  Deliver by: \(by)" }
    Output.line(dates)
    for (key, label) in [
        ("quote", "Quote"), ("order", "Order"), ("invoice", "Invoice"), ("salesperson", "Salesperson"),
        ("reason", "Reason"), ("creditOverride", "Credit limit overridden"),
    ] {
        guard let value = document.details[key] else { continue }
        if let number = document.details[key + "Number"] {
            Output.line("\(label): \(number)  [\(value)]")
        } else {
            Output.line("\(label): \(value)")
        }
    }
}
