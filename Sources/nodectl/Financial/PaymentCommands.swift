import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl payment`: payments, their applications to invoices, reversals.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract: "Payments: applied to invoices (explicitly or oldest first); a reversal undoes one.",
        discussion:
            "Example: nodectl payment add 01a2379b-51d1-7000-824d-31054e8b1893 --amount 250.00 --method check --reference 1043",
        subcommands: [Add.self, Reverse.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a payment.",
            discussion: """
                --apply INVOICE=AMOUNT[/DISCOUNT] applies to an invoice (id or number), taking an early-payment \
                discount when the invoice's terms allow it on the payment's date. Without --apply the amount \
                goes to the oldest open invoices by due date. What is not applied is credit on account.

                Example: nodectl payment add 01a2379b-51d1-7000-824d-31054e8b1893 --amount 98.00 --method ach --apply HQ-INV-000042=98.00/2.00
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "The amount received, as 250.00.") var amount: String
        @Option(help: "check, card, ach, wire or cash.") var method: String
        @Option(help: "The check number or bank reference.") var reference: String?
        @Option(help: "INVOICE=AMOUNT[/DISCOUNT] (repeat for more).") var apply: [String] = []

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let applications = try apply.map { text in
                do { return try ApplicationRequest(parsing: text) } catch let error as ReplicationError {
                    throw UsageError(error.message)
                }
            }
            let when = try date.resolved()
            let who = try person.resolved()
            let replica = try data.open().replica
            let recorded = try replica.write(as: who) {
                try $0.addPayment(
                    customer: customer,
                    amount: amount,
                    method: method,
                    reference: reference,
                    date: when,
                    applications: applications
                )
            }
            if json.enabled {
                Output.json(FinancialViews.payment(try replica.payment(recorded.id.description)))
                return
            }
            Output.line("\(recorded.number)  \(recorded.id)")
            for application in recorded.applied {
                let discount = application.discount.isZero ? "" : "  discount \(application.discount)"
                Output.line("  applied \(application.amount) to \(application.number)\(discount)")
            }
            if !recorded.unapplied.isZero { Output.line("  on account \(recorded.unapplied)") }
        }
    }

    struct Reverse: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reverse a payment (a bounced check): a new record that undoes it.",
            discussion: "Example: nodectl payment reverse HQ-PAY-000010 --reason 'check returned: insufficient funds'"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The payment's id or number.") var payment: String
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            try requireText(reason, "--reason")
            let when = try date.resolved()
            let who = try person.resolved()
            let id = try data.open().replica.write(as: who) {
                try $0.reversePayment(payment, reason: reason, date: when)
            }
            Output.line(id.description)
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Payments, of one customer or all, by date.",
            discussion: "Example: nodectl payment list 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id (default: every customer).") var customer: String?

        func execute() async throws {
            let customer = try customer.map { try parseEntityID($0, "customer") }
            let payments = try data.open().replica.payments(customer: customer)
            if json.enabled {
                Output.json(.array(payments.map(FinancialViews.payment)))
                return
            }
            Output.table(
                ["NUMBER", "DATE", "CUSTOMER", "AMOUNT", "METHOD", "REFERENCE", "UNAPPLIED", "REVERSED"],
                whole: [0],
                right: [3, 6],
                payments.map {
                    [
                        $0.number, $0.date.description, $0.customerID.description, $0.amount.description, $0.method,
                        $0.reference ?? "", $0.unapplied.description, $0.reversed?.date ?? "",
                    ]
                }
            )
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One payment with its applications.",
            discussion: "Example: nodectl payment show HQ-PAY-000010"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The payment's id or number.") var payment: String

        func execute() async throws {
            let view = try data.open().replica.payment(payment)
            if json.enabled {
                Output.json(FinancialViews.payment(view))
                return
            }
            Output.line("Payment \(view.number)  [\(view.id)]")
            Output.line("Customer: \(view.customerID)")
            Output.line(
                "Date: \(view.date)  Method: \(view.method)\(view.reference.map { "  Reference: \($0)" } ?? "")"
            )
            Output.table(
                ["INVOICE", "APPLIED", "DISCOUNT"],
                right: [1, 2],
                view.applied.map {
                    [$0.number ?? $0.invoice.description, $0.amount.description, $0.discount.description]
                }
            )
            FinancialViews.printTotals([("Amount", view.amount), ("On account", view.unapplied)])
            if let reversed = view.reversed { Output.line("Reversed \(reversed.date): \(reversed.reason)") }
        }
    }
}

/// `nodectl statement`: a customer's account, line by line, with a running balance.
struct StatementCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "A customer's statement: every invoice, credit note, payment and reversal with a running balance.",
        discussion: """
            Invoices and reversals add to the balance; credit notes, payments and discounts taken reduce it.

            Example: nodectl statement 01a2379b-51d1-7000-824d-31054e8b1893 --from 2026-01-01
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Argument(help: "The customer's id.") var customer: String
    @Option(help: "The first day, YYYY-MM-DD (default: the first document).") var from: String?
    @Option(help: "The last day, YYYY-MM-DD (default: today).") var to: String?

    func execute() async throws {
        let customer = try parseEntityID(customer, "customer")
        let start = try from.map { try businessDate($0, "--from") }
        let end = try businessDate(to, "--to")
        if let start, start > end { throw UsageError("--from \(start) is after --to \(end)") }
        let statement = try data.open().replica.statement(customer: customer, from: start, to: end)
        if json.enabled {
            Output.json(
                .object([
                    ("customerId", .string(statement.customerID.description)),
                    ("from", .optional(statement.from?.description)), ("to", .string(statement.to.description)),
                    ("opening", .string(statement.opening.description)),
                    (
                        "lines",
                        .array(
                            statement.lines.map {
                                .object([
                                    ("date", .string($0.date.description)), ("kind", .string($0.kind)),
                                    ("number", .string($0.number)), ("amount", .string($0.amount.description)),
                                    ("balance", .string($0.balance.description)),
                                ])
                            }
                        )
                    ),
                    ("closing", .string(statement.closing.description)),
                ])
            )
            return
        }
        Output.line(
            "Statement of \(statement.customerID), \(statement.from.map { "\($0) to " } ?? "to ")\(statement.to)"
        )
        Output.table(
            ["DATE", "KIND", "NUMBER", "AMOUNT", "BALANCE"],
            right: [3, 4],
            [["", "opening balance", "", "", statement.opening.description]]
                + statement.lines.map {
                    [$0.date.description, $0.kind, $0.number, $0.amount.description, $0.balance.description]
                } + [["", "closing balance", "", "", statement.closing.description]]
        )
    }
}

/// `nodectl ageing`: accounts receivable by age.
struct AgeingCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "ageing",
        abstract: "Accounts receivable by age as of a date, per customer, with a totals row.",
        discussion: """
            Buckets by days past due: current, 1-30, 31-60, 61-90, 91-120, 121+. UNAPPLIED is credit on \
            account; BALANCE = the buckets − UNAPPLIED.

            Example: nodectl ageing --as-of 2026-11-30
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @OptionGroup var asOf: AsOfOption
    @Argument(help: "One customer's id (default: every customer).") var customer: String?

    func execute() async throws {
        let customer = try customer.map { try parseEntityID($0, "customer") }
        let rows = try data.open().replica.ageing(asOf: try asOf.resolved(), customer: customer)
        if json.enabled {
            Output.json(.array(rows.map(FinancialViews.ageing)))
            return
        }
        let buckets = AgeingBucket.allCases
        Output.table(
            ["CUSTOMER", "NAME"] + buckets.map { FinancialViews.bucketHeadings[$0]! } + ["UNAPPLIED", "BALANCE"],
            whole: [0],
            right: Swift.Set(2..<(buckets.count + 4)),
            rows.map { row in
                [row.customerID?.description ?? "TOTAL", row.name ?? ""]
                    + buckets.map { row.buckets[$0]!.description } + [
                        row.unapplied.description, row.balance.description,
                    ]
            }
        )
    }
}

/// `nodectl series`: this node's document numbers.
struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "This node's document numbers: {PREFIX}-{KIND}-{6 digits}, gapless, its own.",
        discussion: "Example: nodectl series set HQ",
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self
    )

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "The prefix and the next number of each kind.",
            discussion: "Example: nodectl series show --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let series = try data.open().replica.series()
            if json.enabled {
                Output.json(
                    .object([
                        ("prefix", .string(series.prefix)),
                        ("next", .object(series.next.map { ($0.kind, .string($0.number)) })),
                    ])
                )
                return
            }
            Output.line("Prefix: \(series.prefix)")
            for next in series.next { Output.line("  next \(next.kind): \(next.number)") }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a readable prefix for this node's numbers from now on (give each node its own).",
            discussion: "Example: nodectl series set HQ"
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "1 to 12 letters or digits, as HQ or VAN2.") var prefix: String

        func execute() async throws {
            let set = try data.open().replica.write { try $0.setSeriesPrefix(prefix) }
            Output.line("numbers now begin \(set)-")
        }
    }
}
