import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl credit show`: the Credit & Collections tab of a folder.
struct CreditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Credit & Collections: balance, exposure, hold, payment statistics, rating and promises.",
        discussion: "Example: nodectl credit show 01a2379b-51d1-7000-824d-31054e8b1893",
        subcommands: [Show.self]
    )

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a customer's credit tab as of a date.",
            discussion: """
                Rating A-E and risk are computed from the ledger and the date alone (docs/CREDIT.md), so every \
                node shows the same.

                Example: nodectl credit show 01a2379b-51d1-7000-824d-31054e8b1893 --as-of 2026-12-31
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @OptionGroup var asOf: AsOfOption
        @Argument(help: "The customer's id.") var customer: String

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let date = try asOf.resolved()
            let tab = try data.open().replica.creditTab(customer: customer, asOf: date)
            if json.enabled {
                Output.json(CreditViews.tab(tab))
                return
            }
            CreditViews.printTab(tab)
        }
    }
}

/// `nodectl promise add`: a customer's promise to pay.
struct PromiseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promise",
        abstract: "Promises to pay: kept, broken or open, derived from the payments.",
        discussion: "Example: nodectl promise add 01a2379b-51d1-7000-824d-31054e8b1893 --amount 500.00 --by 2026-12-15",
        subcommands: [Add.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a promise to pay an amount by a date.",
            discussion: """
                A promise is kept when the customer's payments dated from the promise's date to its --by date add \
                up to its amount, broken when --by has passed and it was not kept, else open.

                Example: nodectl promise add 01a2379b-51d1-7000-824d-31054e8b1893 --amount 500.00 --by 2026-12-15 --invoice HQ-INV-000042
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "The amount promised, as 500.00.") var amount: String
        @Option(help: "Paid by this date, YYYY-MM-DD.") var by: String
        @Option(help: "The contact who promised (a contact id).") var contact: String?
        @Option(help: "The invoice it is for (id or number).") var invoice: String?
        @Option(help: "Notes.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let contact = try contact.map { try parseEntityID($0, "contact") }
            let byDate = try businessDate(by, "--by")
            let when = try date.resolved()
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addPromise(
                    customer: customer,
                    amount: amount,
                    by: byDate,
                    date: when,
                    contact: contact,
                    invoice: invoice,
                    notes: notes
                )
            }
            if json.enabled {
                let tab = try replica.creditTab(customer: customer, asOf: when)
                let promise = tab.promises.first { $0.id == id }
                Output.json(promise.map(CreditViews.promise) ?? .object([("id", .string(id.description))]))
                return
            }
            Output.line(id.description)
        }
    }
}

/// `nodectl customer hold` / `customer release`: credit holds.
extension CustomerCommand {
    struct Hold: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a customer on credit hold: no node that knows of it takes an order or a service call.",
            discussion:
                "Example: nodectl customer hold 01a2379b-51d1-7000-824d-31054e8b1893 --reason '3 invoices over 90 days'"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The customer's id.") var id: String
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            let customer = try parseEntityID(id, "customer")
            let who = try person.resolved()
            let hold = try data.open().replica.write(as: who) { try $0.placeHold(customer: customer, reason: reason) }
            Output.line(hold.description)
        }
    }

    struct Release: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release a customer's credit hold (every hold this node knows of).",
            discussion: """
                A hold placed on another node that has not reached this one is not released by it: when it \
                arrives, the customer is on hold again.

                Example: nodectl customer release 01a2379b-51d1-7000-824d-31054e8b1893 --reason 'paid in full'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The customer's id.") var id: String
        @Option(help: "Why.") var reason: String

        func execute() async throws {
            let customer = try parseEntityID(id, "customer")
            let who = try person.resolved()
            let release = try data.open().replica.write(as: who) {
                try $0.releaseHold(customer: customer, reason: reason)
            }
            Output.line(release.description)
        }
    }
}

/// JSON and text forms of the Credit & Collections tab.
enum CreditViews {
    static func promise(_ promise: PromiseSummary) -> JSONValue {
        .object([
            ("id", .string(promise.id.description)), ("date", .string(promise.date.description)),
            ("amount", .string(promise.amount.description)), ("by", .string(promise.by.description)),
            ("status", .string(promise.status)), ("paid", .string(promise.paid.description)),
            ("contactId", .optional(promise.contactID?.description)),
            ("invoiceId", .optional(promise.invoiceID?.description)), ("notes", .optional(promise.notes)),
            ("madeBy", .string(promise.madeBy)),
        ])
    }

    static func stats(_ stats: PaymentStatistics) -> JSONValue {
        .object([
            ("invoicesPaid", .number(Int64(stats.invoicesPaid))),
            ("minDaysToPay", stats.minDaysToPay.map { .number(Int64($0)) } ?? .null),
            ("maxDaysToPay", stats.maxDaysToPay.map { .number(Int64($0)) } ?? .null),
            ("avgDaysToPay", .optional(stats.averageDaysToPay)),
            ("avgDaysLate", .optional(stats.averageDaysLate)),
            ("timesLate", .number(Int64(stats.timesLate))),
            ("timesDelinquent", .number(Int64(stats.timesDelinquent))),
        ])
    }

    /// The tab as `credit show` prints it; inside `customer show` (`inFolder`) without the
    /// customer's id, which the folder carries.
    static func tab(_ tab: CreditTab, inFolder: Bool = false) -> JSONValue {
        let hold: JSONValue =
            tab.hold.map {
                .object([
                    ("id", .string($0.id.description)), ("reason", .string($0.reason)), ("since", .string($0.since)),
                    ("by", .string($0.by)), ("node", .string($0.node)),
                ])
            } ?? .null
        let row = tab.ageing
        let ageing: JSONValue = .object(
            AgeingBucket.allCases.map { ($0.rawValue, .string(row.buckets[$0]!.description)) } + [
                ("unapplied", .string(row.unapplied.description))
            ]
        )
        let identity: [(String, JSONValue)] = inFolder ? [] : [("customerId", .string(tab.customerID.description))]
        return .object(
            identity + [
                ("asOf", .string(tab.asOf.description)),
                ("balance", .string(tab.balance.description)), ("ageing", ageing),
                ("creditLimit", .optional(tab.creditLimit?.description)),
                ("exposure", .string(tab.exposure.description)),
                ("hold", hold), ("rating", .string(tab.rating.rating)), ("risk", .string(tab.rating.risk)),
                ("riskFactors", .array(tab.riskFactors.map(JSONValue.string))), ("stats", stats(tab.stats)),
                ("promises", .array(tab.promises.map(promise))),
                (
                    "exceptions",
                    .array(
                        tab.exceptions.map {
                            .object([
                                ("id", .string($0.id)), ("kind", .string($0.kind)),
                                ("documents", .array($0.documents.map { .string($0.description) })),
                                ("detail", .string($0.detail)),
                            ])
                        }
                    )
                ),
                (
                    "ratingHistory",
                    .array(
                        tab.ratingHistory.map {
                            .object([
                                ("date", .string($0.date.description)), ("from", .optional($0.from)),
                                ("rating", .string($0.rating)), ("risk", .string($0.risk)),
                                ("points", .number(Int64($0.points))),
                            ])
                        }
                    )
                ),
                (
                    "collectionNotes",
                    .array(
                        tab.collectionNotes.map {
                            .object([
                                ("id", .string($0.id.description)), ("at", .string($0.at)),
                                ("contactId", .optional($0.contactID?.description)),
                                ("contact", .optional($0.contactName)), ("notes", .string($0.notes)),
                                ("author", .string($0.author)),
                            ])
                        }
                    )
                ),
            ]
        )
    }

    static func printTab(_ tab: CreditTab) {
        Output.line("Credit & Collections (as of \(tab.asOf))")
        var pairs: [(String, String)] = [("Balance", tab.balance.description), ("Exposure", tab.exposure.description)]
        pairs.append(("Credit limit", tab.creditLimit?.description ?? "none"))
        pairs.append(("Rating", "\(tab.rating.rating) (risk \(tab.rating.risk))"))
        if let hold = tab.hold {
            pairs.append(("ON CREDIT HOLD", "since \(hold.since) by \(hold.by): \(hold.reason)"))
        }
        let width = pairs.map(\.0.count).max() ?? 0
        for (label, value) in pairs {
            Output.wrapped("\(label.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)", indent: "  ")
        }
        for factor in tab.riskFactors { Output.wrapped("- \(factor)", indent: "  ") }
        if !tab.ratingHistory.isEmpty {
            Output.wrapped(
                "Rating history: "
                    + tab.ratingHistory.map { "\($0.date) \($0.from.map { "\($0) → " } ?? "")\($0.rating)" }
                    .joined(separator: "; "),
                indent: "  "
            )
        }
        let stats = tab.stats
        Output.wrapped(
            "Paid invoices: \(stats.invoicesPaid); days to pay min \(stats.minDaysToPay.map(String.init) ?? "-"), "
                + "max \(stats.maxDaysToPay.map(String.init) ?? "-"), avg \(stats.averageDaysToPay ?? "-"); "
                + "avg days late \(stats.averageDaysLate ?? "-"); late \(stats.timesLate); delinquent \(stats.timesDelinquent)",
            indent: "  "
        )
        for exception in tab.exceptions {
            Output.wrapped("Exception \(exception.kind) [\(exception.id)]: \(exception.detail)", indent: "  ")
        }
        for note in tab.collectionNotes {
            Output.wrapped(
                "Collection call \(note.at) by \(note.author), reached \(note.contactName ?? "-"):",
                indent: "  "
            )
            Output.wrapped(note.notes, indent: "    ")
        }
        if !tab.promises.isEmpty {
            Output.table(
                ["MADE", "BY", "AMOUNT", "PAID", "STATUS"],
                right: [2, 3],
                tab.promises.map {
                    [$0.date.description, $0.by.description, $0.amount.description, $0.paid.description, $0.status]
                }
            )
        }
    }
}
