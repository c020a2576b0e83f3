import ArgumentParser
import Foundation
import Node
import Replication

struct CheckCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check the replica file, the merge state's invariants and every document's bytes; remove abandoned temporary files.",
        discussion: "Example: nodectl check --quick"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Flag(help: "Skip hashing the documents' bytes.") var quick = false

    func execute() async throws {
        let home = try data.open()
        let check = try home.check(quick: quick)
        if json.enabled {
            Output.json(
                .object([
                    ("ok", .bool(check.problems.isEmpty)),
                    ("problems", .array(check.problems.map(JSONValue.string))),
                    ("actions", .array(check.actions.map(JSONValue.string))),
                    ("documentsVerified", quick ? .null : .number(Int64(check.documentsVerified))),
                ])
            )
        } else {
            for line in check.actions { Output.line(line) }
            if check.problems.isEmpty { Output.line("ok") }
            for problem in check.problems { Output.line(problem) }
        }
        if !check.problems.isEmpty { throw ExitCode(1) }
    }
}

struct PopulateCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "populate",
        abstract:
            "Write benchmark workload W1 into this node (N customers, J journal entries each); with --ledger, W2's ledger over them.",
        discussion: "Example: nodectl populate --customers 1000 --journal 5",
        shouldDisplay: false
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Option(help: "Customers to write.") var customers = 10_000
    @Option(help: "Journal entries per customer.") var journal = 5
    @Option(help: "The index of the first customer (to add more later).") var first = 0
    @Option(help: "Instead of adding customers: give every 100th customer a new phone (W1 phase 3), round N.")
    var editPhones: Int?
    @Option(help: "With --edit-phones: edit every K-th customer.") var every = 100
    @Flag(
        help:
            "Then write workload W2's ledger (items, invoices, credit notes, payments, reversals) over the customers written."
    )
    var ledger = false

    func execute() async throws {
        guard customers >= 0, journal >= 0, first >= 0 else { throw UsageError("counts must not be negative") }
        let home = try data.open()
        let started = ContinuousClock.now
        if let round = editPhones {
            let edited = try W1Workload.editPhones(
                in: home.replica,
                customers: home.replica.customerIDs(),
                round: round,
                every: every
            )
            let elapsed = ContinuousClock.now - started
            if json.enabled {
                Output.json(.object([("edited", .number(Int64(edited))), ("seconds", .string("\(elapsed.seconds)"))]))
            } else {
                Output.line("Edited the phone of \(edited) customers in \(elapsed)")
            }
            return
        }
        let ids = try W1Workload.write(
            into: home.replica,
            customers: first..<(first + customers),
            journal: journal,
            author: try home.replica.name()
        )
        let elapsed = ContinuousClock.now - started
        guard ledger else {
            if json.enabled {
                Output.json(
                    .object([("customers", .number(Int64(customers))), ("seconds", .string("\(elapsed.seconds)"))])
                )
            } else {
                Output.line("Wrote \(customers) customers with \(journal) journal entries each in \(elapsed)")
            }
            return
        }
        let counts = try W2Workload.write(into: home.replica, customers: ids) { Output.diagnostic("populate: " + $0) }
        let ledgerElapsed = ContinuousClock.now - started - elapsed
        if json.enabled {
            Output.json(
                .object([
                    ("customers", .number(Int64(customers))), ("seconds", .string("\(elapsed.seconds)")),
                    ("items", .number(Int64(counts.items))), ("invoices", .number(Int64(counts.invoices))),
                    ("invoiceLines", .number(Int64(counts.invoiceLines))),
                    ("creditNotes", .number(Int64(counts.creditNotes))),
                    ("payments", .number(Int64(counts.payments))),
                    ("applications", .number(Int64(counts.applications))),
                    ("discounts", .number(Int64(counts.discounts))),
                    ("reversals", .number(Int64(counts.reversals))),
                    ("ledgerSeconds", .string("\(ledgerElapsed.seconds)")),
                ])
            )
        } else {
            Output.line(
                "Wrote \(customers) customers with \(journal) journal entries each in \(elapsed), then W2's ledger in \(ledgerElapsed): \(counts.invoices) invoices, \(counts.creditNotes) credit notes, \(counts.payments) payments, \(counts.reversals) reversals"
            )
        }
    }
}
