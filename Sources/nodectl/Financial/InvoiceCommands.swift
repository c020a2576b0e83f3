import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl invoice`: issued invoices, immutable, with their open amounts and statuses.
struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice",
        abstract: "Invoices: issued once, immutable; what is open on them is derived.",
        discussion: "Example: nodectl invoice list --open --overdue",
        subcommands: [Add.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an invoice from lines or from an order's deliveries.",
            discussion: """
                --order invoices what was delivered and not yet invoiced (the whole order when nothing was \
                delivered); --service a completed service call's charges, once. Terms: --terms, else the \
                customer's terms field, else 'net 30'.

                Example: nodectl invoice add 01a2379b-51d1-7000-824d-31054e8b1893 --line 'LAB 2' --terms '2/10 net 30'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "A line: 'PART QTY [@PRICE] [-DISCOUNT%]' (repeat for more).") var line: [String] = []
        @Option(help: "The order to invoice (id or number).") var order: String?
        @Option(help: "The completed service call to invoice (id or number).") var service: String?
        @Option(help: "Payment terms: 'net 30' or '2/10 net 30'.") var terms: String?
        @Option(help: "Who sold it.") var salesperson: String?
        @Option(help: "Notes printed on the invoice.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let sources = [!line.isEmpty, order != nil, service != nil].filter { $0 }.count
            guard sources == 1 else {
                throw UsageError("an invoice takes its lines from --line, --order or --service (one of them)")
            }
            let source: InvoiceSource =
                try order.map { .order($0) } ?? service.map { .service($0) } ?? .lines(lineRequests(line))
            let when = try date.resolved()
            let parsedTerms = try terms.map { text in
                do { return try PaymentTerms(parsing: text) } catch let error as ModelError {
                    throw UsageError(error.message)
                }
            }
            let who = try person.resolved()
            let replica = try data.open().replica
            let issued = try replica.write(as: who) {
                try $0.addInvoice(
                    customer: customer,
                    source: source,
                    date: when,
                    terms: parsedTerms,
                    salesperson: salesperson,
                    notes: notes
                )
            }
            try printIssued(replica, .invoice, issued, json: json.enabled)
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Invoices with their open amounts and statuses as of a date.",
            discussion: """
                Status: open, partial, paid, overpaid or credited. --overdue: open and past the due date.

                Example: nodectl invoice list 01a2379b-51d1-7000-824d-31054e8b1893 --open --as-of 2026-12-31
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The customer's id (default: every customer).") var customer: String?
        @Flag(help: "Only invoices with something open.") var open = false
        @Flag(help: "Only invoices with something open past their due date.") var overdue = false

        func execute() async throws {
            let customer = try customer.map { try parseEntityID($0, "customer") }
            let date = try asOf.resolved()
            let replica = try data.open().replica
            let invoices = try replica.invoices(customer: customer, asOf: date).filter {
                (!open || $0.open.minorUnits > 0) && (!overdue || ($0.open.minorUnits > 0 && $0.daysPastDue > 0))
            }
            if json.enabled {
                Output.json(.array(invoices.map(FinancialViews.invoiceRow)))
                return
            }
            Output.table(
                ["NUMBER", "DATE", "DUE", "CUSTOMER", "TOTAL", "OPEN", "STATUS", "ID"],
                whole: [0, 1, 2, 7],
                right: [4, 5],
                invoices.map {
                    [
                        $0.number, $0.date.description, $0.dueDate.description, $0.customerID.description,
                        $0.total.description, $0.open.description, $0.status, $0.id.description,
                    ]
                }
            )
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One invoice: lines, totals, what was credited and paid, what is open.",
            discussion: "Example: nodectl invoice show HQ-INV-000042"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The invoice's id or number.") var invoice: String

        func execute() async throws {
            let replica = try data.open().replica
            let document = try replica.salesDocument(.invoice, invoice)
            let date = try asOf.resolved()
            let figures = try replica.invoice(document.id.description, asOf: max(date, document.date))
            if json.enabled {
                Output.json(FinancialViews.document(document, invoice: figures))
                return
            }
            printDocumentHeader(document)
            Output.line("")
            FinancialViews.printLines(document)
            Output.line("")
            var totals = [("Subtotal", document.subtotal), ("Tax", document.tax), ("Total", document.total)]
            if !figures.credited.isZero { totals.append(("Credited", figures.credited)) }
            if !figures.paid.isZero { totals.append(("Paid", figures.paid)) }
            if !figures.discount.isZero { totals.append(("Discount taken", figures.discount)) }
            totals.append(("Open", figures.open))
            FinancialViews.printTotals(totals)
            Output.line("Status as of \(max(date, document.date)): \(figures.status)")
            if let notes = document.details["notes"] {
                Output.line("Notes:")
                Output.wrapped(notes, indent: "  ")
            }
        }
    }
}

/// `nodectl credit-note`: credit notes against invoices.
struct CreditNoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-note",
        abstract: "Credit notes: reduce what an invoice asks; issued once, immutable.",
        discussion: "Example: nodectl credit-note add HQ-INV-000042 --amount 20.00 --reason 'damaged in transit'",
        subcommands: [Add.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a credit note against an invoice: a gross amount, or lines.",
            discussion: """
                --amount is gross and splits into net and tax in the invoice's proportion; --line 'PART QTY' \
                credits a part at the invoice's price. The credit notes of an invoice add up to at most its total.

                Example: nodectl credit-note add HQ-INV-000042 --line 'W-100 1' --reason returned
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The invoice's id or number.") var invoice: String
        @Option(help: "The gross amount credited, as 20.00.") var amount: String?
        @Option(help: "A line credited: 'PART QTY [@PRICE]' (repeat for more).") var line: [String] = []
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            guard (amount == nil) != line.isEmpty else {
                throw UsageError("a credit note takes --amount or --line (one of them)")
            }
            try requireText(reason, "--reason")
            let lines = try lineRequests(line)
            let when = try date.resolved()
            let who = try person.resolved()
            let replica = try data.open().replica
            let currency = try replica.currency()
            let gross = try amount.map { text in
                do { return try Money(parsing: text, currency: currency) } catch let error as ModelError {
                    throw UsageError("--amount: \(error.message)")
                }
            }
            let issued = try replica.write(as: who) {
                try $0.addCreditNote(invoice: invoice, amount: gross, lines: lines, reason: reason, date: when)
            }
            try printIssued(replica, .creditNote, issued, json: json.enabled)
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Credit notes, of one customer or all, by date.",
            discussion: "Example: nodectl credit-note list"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id (default: every customer).") var customer: String?

        func execute() async throws {
            try listDocuments(.creditNote, customer, data: data, json: json.enabled)
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One credit note.",
            discussion: "Example: nodectl credit-note show HQ-CN-000001"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The credit note's id or number.") var creditNote: String

        func execute() async throws {
            try showDocument(.creditNote, creditNote, data: data, json: json.enabled)
        }
    }
}
