import Foundation
import GRDB
import Model
import Replication
import Testing

/// A peer's documents are checked as strictly as a local writer's: a record that breaks the
/// form or the arithmetic of the Financial tab is held with its reason, never applied half,
/// and the stream goes on; a good one lands in the plain tables with its lines.
@Suite("Hostile financial records")
struct HostileFinancialRecordTests {
    static let customer = EntityID(milliseconds: SimulatedTime.epoch - 5000, counter: 1, node: 9)
    static let invoice = EntityID(milliseconds: SimulatedTime.epoch - 4000, counter: 1, node: 9)

    /// A good invoice record: 3 × 49.90 at 8.25 % = 149.70 + 12.35.
    static func invoiceJSON(_ change: (inout [String: Any]) -> Void = { _ in }) -> String {
        var object: [String: Any] = [
            "customerId": customer.description, "number": "VAN-INV-000001", "date": "2026-11-01",
            "currency": "USD", "subtotal": 14970, "tax": 1235, "total": 16205, "dueDate": "2026-12-01",
            "terms": "net 30",
            "lines": [
                [
                    "part": "W-100", "description": "Filter", "quantity": "3", "unitPrice": 4990, "discount": "0",
                    "taxRate": "8.25", "net": 14970, "tax": 1235,
                ]
            ],
        ]
        change(&object)
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self
        )
    }

    static func line(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { object in
            var lines = object["lines"] as! [[String: Any]]
            change(&lines[0])
            object["lines"] = lines
        }
    }

    static func paymentJSON(amount: Int64 = 16205, applied: [[String: Any]]? = nil, method: String = "check")
        -> String
    {
        let object: [String: Any] = [
            "customerId": customer.description, "number": "VAN-PAY-000001", "date": "2026-11-05",
            "currency": "USD", "amount": amount, "method": method,
            "applied": applied ?? [["invoice": invoice.description, "amount": amount, "discount": 0]],
        ]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self
        )
    }

    static let brokenInvoices: [(String, String)] = [
        ("a net off by a cent", invoiceJSON(line { $0["net"] = 14971 })),
        ("a tax rounded down", invoiceJSON(line { $0["tax"] = 1234 })),
        (
            "totals that are not the lines' sums",
            invoiceJSON {
                $0["subtotal"] = 14000
                $0["total"] = 15235
            }
        ),
        ("a total that is not subtotal plus tax", invoiceJSON { $0["total"] = 16206 }),
        ("a quantity not in canonical form", invoiceJSON(line { $0["quantity"] = "3.0" })),
        ("a negative quantity", invoiceJSON(line { $0["quantity"] = "-3" })),
        ("a negative price", invoiceJSON(line { $0["unitPrice"] = -4990 })),
        ("a fractional amount", invoiceJSON(line { $0["unitPrice"] = 49.9 })),
        ("a discount of 100 %", invoiceJSON(line { $0["discount"] = "100" })),
        ("a tax rate with its sign", invoiceJSON(line { $0["taxRate"] = "8.25%" })),
        ("lines that are not a list", invoiceJSON { $0["lines"] = "W-100 3" }),
        ("a line that is not an object", invoiceJSON { $0["lines"] = [5] }),
        ("a date that is no day", invoiceJSON { $0["date"] = "2026-02-30" }),
        ("a due date with a time", invoiceJSON { $0["dueDate"] = "2026-12-01T00:00:00Z" }),
        ("terms in another form", invoiceJSON { $0["terms"] = "Net 30" }),
        ("a currency that is no code", invoiceJSON { $0["currency"] = "dollars" }),
        ("a customer id not in canonical form", invoiceJSON { $0["customerId"] = customer.description.uppercased() }),
        ("a total beyond 10^15", invoiceJSON { $0["subtotal"] = Int64(1) << 60 }),
        ("no number", invoiceJSON { $0.removeValue(forKey: "number") }),
    ]

    @Test("a broken invoice is held with its reason and the stream goes on", arguments: brokenInvoices.indices)
    func brokenInvoice(_ index: Int) throws {
        let (what, json) = Self.brokenInvoices[index]
        let world = try HostileBatchFixture()
        let customer = world.next(id: Self.customer)
        let hostile = world.next(.invoice, id: Self.invoice, field: "", operation: .record, value: json)
        let after = world.next(id: Self.customer, field: "notes", value: "still arrives")
        let outcome = try world.deliver([customer, hostile, after])
        #expect(outcome.applied == 2 && outcome.held == 1, "\(what)")
        #expect(try world.held().map(\.reason) == [.rule], "\(what)")
        let rows = try world.receiver.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM invoices) + (SELECT count(*) FROM sales_lines)")
        }
        #expect(rows == 0, "\(what): nothing of it applied")
        #expect(try world.receiver.folder(Self.customer).customer.notes == "still arrives")
        #expect(try world.receiver.check() == [])
    }

    @Test("a good invoice and its payment land with their lines; figures follow")
    func goodInvoiceAndPayment() throws {
        let world = try HostileBatchFixture()
        let changes = [
            world.next(id: Self.customer),
            world.next(.invoice, id: Self.invoice, field: "", operation: .record, value: Self.invoiceJSON()),
            world.next(.payment, field: "", operation: .record, value: Self.paymentJSON(amount: 10000)),
        ]
        let outcome = try world.deliver(changes)
        #expect(outcome.applied == 3 && outcome.held == 0)
        let lines = try world.receiver.read { db in
            try Row.fetchAll(db, sql: "SELECT part, quantity, unit_price, net, tax FROM sales_lines")
        }
        #expect(lines.count == 1 && lines[0]["net"] as Int64 == 14970 && lines[0]["quantity"] as String == "3")
        let date = try BusinessDate(parsing: "2026-12-31")
        let invoice = try #require(try world.receiver.invoices(customer: Self.customer, asOf: date).first)
        #expect(
            invoice.open.description == "62.05" && invoice.status == "partial" && invoice.number == "VAN-INV-000001"
        )
        #expect(try world.receiver.balance(customer: Self.customer, asOf: date).description == "62.05")
        #expect(try world.receiver.check() == [])
    }

    static let brokenPayments: [(String, String)] = [
        (
            "applications above the amount",
            paymentJSON(amount: 100, applied: [["invoice": invoice.description, "amount": 101, "discount": 0]])
        ),
        (
            "one invoice applied twice",
            paymentJSON(
                amount: 100,
                applied: [
                    ["invoice": invoice.description, "amount": 50, "discount": 0],
                    ["invoice": invoice.description, "amount": 50, "discount": 0],
                ]
            )
        ),
        (
            "a negative discount",
            paymentJSON(amount: 100, applied: [["invoice": invoice.description, "amount": 100, "discount": -5]])
        ),
        (
            "an application of nothing",
            paymentJSON(amount: 100, applied: [["invoice": invoice.description, "amount": 0, "discount": 0]])
        ),
        (
            "an invoice that is no id",
            paymentJSON(amount: 100, applied: [["invoice": "HQ-INV-000001", "amount": 100, "discount": 0]])
        ),
        ("an unknown method", paymentJSON(method: "barter")),
        ("a negative amount", paymentJSON(amount: -1, applied: [])),
    ]

    @Test("a broken payment is held with its reason", arguments: brokenPayments.indices)
    func brokenPayment(_ index: Int) throws {
        let (what, json) = Self.brokenPayments[index]
        let world = try HostileBatchFixture()
        let outcome = try world.deliver([
            world.next(id: Self.customer),
            world.next(.invoice, id: Self.invoice, field: "", operation: .record, value: Self.invoiceJSON()),
            world.next(.payment, field: "", operation: .record, value: json),
        ])
        #expect(outcome.applied == 2 && outcome.held == 1, "\(what)")
        let rows = try world.receiver.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM payment_applications)"
            )
        }
        #expect(rows == 0, "\(what)")
        #expect(try world.receiver.check() == [])
    }
}
