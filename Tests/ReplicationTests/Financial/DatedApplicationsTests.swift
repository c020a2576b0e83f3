import Foundation
import GRDB
import Model
import Testing

@testable import Replication

/// "v12: dated payment applications": a replica of the schema before it keeps every payment's
/// applications (now dated) and its credit on account, and its figures do not move.
@Suite("Dated payment applications")
struct DatedApplicationsTests {
    static func day(_ text: String) -> BusinessDate { try! BusinessDate(parsing: text) }

    /// The payment tables and triggers as "v11: search demographics" left them (the kind's own
    /// migration, as released): what an upgraded node's file holds before v12 runs.
    static let beforeV12 = """
        DROP TRIGGER payments_applications_insert;
        DROP TRIGGER payments_applications_delete;
        DROP TABLE payments_unapplied;
        DROP TABLE payment_applications;
        CREATE TABLE payment_applications (
            payment_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            invoice_id TEXT NOT NULL,
            amount INTEGER NOT NULL,
            discount INTEGER NOT NULL,
            PRIMARY KEY (payment_id, position)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX payment_applications_by_invoice ON payment_applications(invoice_id);
        INSERT INTO payment_applications (payment_id, position, invoice_id, amount, discount)
        SELECT p.id, CAST(key AS INTEGER) + 1, value ->> 'invoice', value ->> 'amount', value ->> 'discount'
        FROM payments p, json_each(p.applied);
        CREATE TRIGGER payments_applications_insert AFTER INSERT ON payments BEGIN
            INSERT INTO payment_applications (payment_id, position, invoice_id, amount, discount)
            SELECT new.id, CAST(key AS INTEGER) + 1, value ->> 'invoice', value ->> 'amount', value ->> 'discount'
            FROM json_each(new.applied);
        END;
        CREATE TRIGGER payments_applications_delete AFTER DELETE ON payments BEGIN
            DELETE FROM payment_applications WHERE payment_id = old.id;
        END;
        DELETE FROM grdb_migrations WHERE identifier = 'v12: dated payment applications';
        """

    struct Tables: Equatable {
        /// payment id, position, invoice id, date, amount, discount
        var applications: [[String]]
        /// payment id, customer id, date, amount
        var unapplied: [[String]]

        init(_ replica: Replica) throws {
            (applications, unapplied) = try replica.read { db in
                (
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT payment_id, CAST(position AS TEXT), invoice_id, coalesce(date, 'NULL'),
                                CAST(amount AS TEXT), CAST(discount AS TEXT)
                            FROM payment_applications ORDER BY payment_id, position
                            """
                    ).map { row in (0..<6).map { row[$0] as String } },
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT payment_id, customer_id, date, CAST(amount AS TEXT) FROM payments_unapplied
                            ORDER BY payment_id
                            """
                    ).map { row in (0..<4).map { row[$0] as String } }
                )
            }
        }
    }

    @Test func anUpgradedReplicaKeepsItsApplicationsDatedAndItsCreditOnAccount() throws {
        let fixture = ReplicaFixture()
        let asOf = Self.day("2026-06-30")
        let (before, ageing, collections, onAccount): (Tables, [AgeingRow], [CollectionsRow], EntityID)
        do {
            let replica = try fixture.node(1)
            onAccount = try replica.write { writer -> EntityID in
                _ = try writer.addItem(part: "W", description: "Widget", price: "100.00", tax: nil, unit: nil)
                let slow = try writer.createCustomer(name: "Slow Ltd")
                let ahead = try writer.createCustomer(name: "Ahead plc")
                var numbers: [String] = []
                for date in ["2026-01-05", "2026-02-01", "2026-03-01"] {
                    numbers.append(
                        try writer.addInvoice(
                            customer: slow,
                            source: .lines([LineRequest(part: "W", quantity: Quantity(tenThousandths: 20_000))]),
                            date: Self.day(date),
                            terms: nil,
                            salesperson: nil,
                            notes: nil
                        ).number
                    )
                }
                // Paid late, in part, by two payments; one of them reversed (a bounced check).
                _ = try writer.addPayment(
                    customer: slow,
                    amount: "200.00",
                    method: "check",
                    reference: "101",
                    date: Self.day("2026-04-20"),
                    applications: [ApplicationRequest(invoice: numbers[0], amount: "200.00")]
                )
                let bounced = try writer.addPayment(
                    customer: slow,
                    amount: "150.00",
                    method: "check",
                    reference: "102",
                    date: Self.day("2026-05-02"),
                    applications: [ApplicationRequest(invoice: numbers[1], amount: "150.00")]
                )
                _ = try writer.reversePayment(bounced.number, reason: "bounced", date: Self.day("2026-05-10"))
                // Money on account: applied to nothing, and applied only in part.
                _ = try writer.addPayment(
                    customer: ahead,
                    amount: "75.00",
                    method: "ach",
                    reference: nil,
                    date: Self.day("2026-02-14"),
                    applications: []
                )
                _ = try writer.addPayment(
                    customer: slow,
                    amount: "120.00",
                    method: "card",
                    reference: nil,
                    date: Self.day("2026-06-01"),
                    applications: [ApplicationRequest(invoice: numbers[2], amount: "100.00")]
                )
                return ahead
            }
            before = try Tables(replica)
            ageing = try replica.ageing(asOf: asOf, customer: nil)
            collections = try replica.collectionsReport(asOf: asOf)
        }
        #expect(before.applications.count == 3)
        #expect(before.unapplied.count == 2, "\(before.unapplied)")
        #expect(before.unapplied.contains { $0[1] == onAccount.description && $0[3] == "7500" })

        // The file as the release before held it; opening it runs v12 in place.
        try DatabaseQueue(path: fixture.directory(1).appendingPathComponent(Replica.fileName).path).write { db in
            try db.execute(sql: Self.beforeV12)
            #expect(try !db.tableExists("payments_unapplied"))
            #expect(try !db.columns(in: "payment_applications").contains { $0.name == "date" })
        }
        let upgraded = try Replica.open(at: fixture.directory(1))
        #expect(try Tables(upgraded) == before)
        #expect(try upgraded.ageing(asOf: asOf, customer: nil) == ageing)
        #expect(try upgraded.collectionsReport(asOf: asOf) == collections)
        #expect(!collections.isEmpty)

        // The new triggers: a payment written after the upgrade is dated and, left over, listed.
        try upgraded.write { writer in
            _ = try writer.addPayment(
                customer: onAccount,
                amount: "10.00",
                method: "cash",
                reference: nil,
                date: Self.day("2026-07-01"),
                applications: []
            )
        }
        let after = try Tables(upgraded)
        #expect(after.unapplied.count == 3)
        #expect(after.unapplied.contains { $0[2] == "2026-07-01" && $0[3] == "1000" })
        #expect(after.applications.allSatisfy { $0[3] != "NULL" })
    }
}
