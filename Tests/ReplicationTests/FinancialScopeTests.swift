import Foundation
import GRDB
import Model
import Testing

@testable import Replication

/// The figures of one folder (or one invoice) are read from its own rows through the indexes,
/// and they are the whole book's figures for it: a payment's write, a customer's tab and its
/// statement never go over every invoice and payment of the replica.
@Suite("Financial: one folder's figures")
struct FinancialScopeTests {
    static let asOf = try! BusinessDate(parsing: "2026-11-30")

    /// Three customers, the second merged into the first; invoices (one dated after the as-of
    /// date), credit notes (one leaving an invoice overpaid), payments (one with a discount, one
    /// left partly on account), a reversal. The fixture keeps the replica's folder.
    static func ledger() throws -> (ReplicaFixture, Replica, [EntityID]) {
        let fixture = ReplicaFixture()
        let replica = try fixture.node(1)
        let customers = try replica.write { writer in
            _ = try writer.addItem(part: "W-1", description: "Widget", price: "10.00", tax: "5", unit: nil)
            _ = try writer.addItem(part: "LAB", description: "Labour", price: "85.00", tax: nil, unit: nil)
            return try ["Acme Ltd", "Acme Limited", "Zenith Co"].map { try writer.createCustomer(name: $0) }
        }
        let invoices = try replica.write { writer in
            var invoices: [IssuedDocument] = []
            for (index, customer) in [customers[0], customers[1], customers[2], customers[1]].enumerated() {
                invoices.append(
                    try writer.addInvoice(
                        customer: customer,
                        source: .lines([
                            LineRequest(part: "W-1", quantity: Quantity(index + 1)),
                            LineRequest(part: "LAB", quantity: Quantity(1)),
                        ]),
                        date: try BusinessDate(parsing: "2026-0\(index + 5)-10"),
                        terms: index == 2 ? try PaymentTerms(parsing: "2/10 net 30") : nil,
                        salesperson: nil,
                        notes: nil
                    )
                )
            }
            _ = try writer.addInvoice(
                customer: customers[2],
                source: .lines([LineRequest(part: "LAB", quantity: Quantity(2))]),
                date: try BusinessDate(parsing: "2026-12-05"),
                terms: nil,
                salesperson: nil,
                notes: nil
            )
            return invoices
        }
        // The duplicate's invoices, made before the merge, show in the kept customer's folder.
        try replica.write { writer in
            _ = try writer.mergeCustomers(keep: customers[0], duplicate: customers[1], by: "test")
        }
        try replica.write { writer in
            _ = try writer.addCreditNote(
                invoice: invoices[0].number,
                amount: Money(minorUnits: 1_000, currency: .usd),
                lines: [],
                reason: "goodwill",
                date: try BusinessDate(parsing: "2026-05-20")
            )
            _ = try writer.addPayment(
                customer: customers[0],
                amount: "200.00",
                method: "check",
                reference: "check 1001",
                date: try BusinessDate(parsing: "2026-08-01"),
                applications: [ApplicationRequest(invoice: invoices[1].number, amount: "50.00")]
            )
            let bounced = try writer.addPayment(
                customer: customers[1],
                amount: "30.00",
                method: "check",
                reference: "check 1002",
                date: try BusinessDate(parsing: "2026-09-01"),
                applications: []
            )
            _ = try writer.reversePayment(
                bounced.number,
                reason: "bounced check",
                date: try BusinessDate(parsing: "2026-09-05")
            )
            _ = try writer.addPayment(
                customer: customers[2],
                amount: "104.00",
                method: "wire",
                reference: nil,
                date: try BusinessDate(parsing: "2026-07-15"),
                applications: [ApplicationRequest(invoice: invoices[2].number, amount: "104.00", discount: "2.00")]
            )
            _ = try writer.addCreditNote(
                invoice: invoices[2].number,
                amount: Money(minorUnits: 2_000, currency: .usd),
                lines: [],
                reason: "returned goods",
                date: try BusinessDate(parsing: "2026-08-01")
            )
        }
        return (fixture, replica, customers)
    }

    @Test func aFoldersFiguresAreTheWholeBooksFiguresForIt() throws {
        let (fixture, replica, customers) = try Self.ledger()
        defer { withExtendedLifetime(fixture) {} }
        // Before the August payment, while the bounced check stood, and at the end.
        for text in ["2026-07-20", "2026-09-02", "2026-11-30"] {
            let asOf = try BusinessDate(parsing: text)
            let all = try replica.invoices(customer: nil, asOf: asOf)
            let ageing = try replica.ageing(asOf: asOf, customer: nil)
            for customer in customers {
                let folder = customer == customers[1] ? customers[0] : customer
                let mine = try replica.invoices(customer: customer, asOf: asOf)
                #expect(mine == all.filter { $0.customerID == folder }, "\(text)")
                for invoice in mine { #expect(try replica.invoice(invoice.number, asOf: asOf) == invoice) }
                let row = try #require(try replica.ageing(asOf: asOf, customer: customer).first)
                if let whole = ageing.first(where: { $0.customerID == folder }) {
                    #expect(row == whole, "\(text)")
                } else {
                    #expect(row.balance.isZero && row.unapplied.isZero, "\(text)")
                }
                let balance = try replica.balance(customer: customer, asOf: asOf)
                #expect(balance == row.balance, "\(text)")
                #expect(try replica.statement(customer: customer, from: nil, to: asOf).closing == balance, "\(text)")
            }
        }
        let ageing = try replica.ageing(asOf: Self.asOf, customer: nil)
        #expect(try replica.invoices(customer: nil, asOf: Self.asOf).count == 4)
        // Acme's folder: two invoices of its duplicate's, the bounced check undone, 150.00 on account.
        let acme = try #require(ageing.first { $0.customerID == customers[0] })
        #expect(acme.unapplied == Money(minorUnits: 15_000, currency: .usd))
        #expect(try replica.invoices(customer: customers[0], asOf: Self.asOf).count == 3)
        // Zenith's: 116.50 less a credit of 20.00 and 104.00 paid with 2.00 off is 9.50 overpaid;
        // its December invoice is not yet issued as of November 30.
        let zenith = try replica.invoices(customer: customers[2], asOf: Self.asOf)
        #expect(zenith.map(\.status) == ["overpaid"])
        let row = try #require(ageing.first { $0.customerID == customers[2] })
        #expect(row.unapplied == Money(minorUnits: 950, currency: .usd))
        #expect(row.balance == Money(minorUnits: -950, currency: .usd))
    }

    @Test func aFoldersQueriesReadItsRowsByIndex() throws {
        let (fixture, replica, customers) = try Self.ledger()
        defer { withExtendedLifetime(fixture) {} }
        let folder = customers[0].description
        let queries: [(String, StatementArguments)] = [
            (
                "WITH \(FinancialSQL.invoiceState(.folder)) SELECT * FROM invoice_state WHERE folder = :folder",
                ["asOf": "2026-11-30", "folder": folder]
            ),
            (
                "WITH \(FinancialSQL.invoiceState(.invoice)) SELECT * FROM invoice_state WHERE id = :id",
                ["asOf": "2026-11-30", "id": folder]
            ),
            (FinancialSQL.folderAgeing, ["asOf": "2026-11-30", "folder": folder]),
            (FinancialSQL.statementLines, ["asOf": "2026-11-30", "customer": folder]),
        ]
        for (sql, arguments) in queries {
            let plan = try replica.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
            }
            // Every stored table is searched by a key or an index, none read whole (the common
            // table expressions the plan scans hold the folder's rows only).
            let tables: Set<String> = [
                "invoices", "customers", "payments", "payment_applications", "payment_reversals", "credit_notes",
                "i", "c", "p", "a", "r",
            ]
            let scans = plan.filter { line in
                let words = line.split(separator: " ")
                return words.first == "SCAN" && words.count > 1 && tables.contains(String(words[1]))
            }
            #expect(scans.isEmpty, "\(plan.joined(separator: "\n"))")
        }
    }
}
