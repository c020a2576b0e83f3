import Foundation
import GRDB
import Replication

/// The floor a replica is measured against: the same W1 field values inserted into a plain
/// SQLite table in a scratch file, in one transaction, through one prepared statement — what
/// storing the data costs with no replication at all.
public enum PlainInsertFloor {
    /// Inserts W1's field values for `customers` customers with `journal` entries each into a
    /// fresh file in `directory`; returns the wall seconds and the number of values.
    public static func measure(customers: Int, journal: Int, directory: URL) throws -> (seconds: Double, values: Int) {
        let path = directory.appendingPathComponent("floor.sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: "CREATE TABLE field_values (entity TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL)"
            )
        }
        let started = ContinuousClock.now
        var values = 0
        try queue.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT INTO field_values (entity, field, value) VALUES (?, ?, ?)"
            )
            for i in 0..<customers {
                let entity = "c\(i)"
                let fields: [(String, String)] = [
                    ("name", "Customer \(i) Ltd"),
                    ("phone", "+1 555 " + String(format: "%07d", i)),
                    ("email", "c\(i)@example.com"),
                    ("street", "\(i) Main Street"),
                    ("city", "Springfield"),
                    ("zip", String(10000 + i % 90000)),
                    ("category", W1Workload.categories[i % 3]),
                    ("notes", "Prefers calls before noon"),
                ]
                for (field, value) in fields {
                    try statement.execute(arguments: [entity, field, value])
                    values += 1
                }
                for k in 0..<journal {
                    let entry = "\(entity)/j\(k)"
                    let day = String(format: "%02d", 1 + k % 28)
                    for (field, value) in [
                        ("at", "2026-11-\(day)T10:00:00Z"), ("kind", "call"), ("parties", "Alice; Contact \(i)"),
                        ("notes", "Follow-up \(k) on invoice \(i * 10 + k)"),
                    ] {
                        try statement.execute(arguments: [entry, field, value])
                        values += 1
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        try? FileManager.default.removeItem(atPath: path)
        return (elapsed.seconds, values)
    }
}

extension PlainInsertFloor {
    /// A table of W2's floor and the query that reads its rows from a replica.
    private struct LedgerTable {
        let name: String
        let columns: [String]
        let source: String
    }

    private static let ledgerTables: [LedgerTable] = [
        LedgerTable(
            name: "customers",
            columns: ["id", "name", "phone", "email", "address", "notes", "category"],
            source: """
                SELECT id, name, phone, email, address, notes,
                    (SELECT group_concat(category, ';') FROM customer_categories WHERE customer_id = customers.id)
                FROM customers
                """
        ),
        LedgerTable(
            name: "items",
            columns: ["id", "part", "description", "price", "tax", "unit"],
            source: "SELECT id, part, description, price, tax, unit FROM items"
        ),
        LedgerTable(
            name: "invoices",
            columns: [
                "id", "customer_id", "number", "date", "currency", "subtotal", "tax", "total", "due_date", "terms",
            ],
            source:
                "SELECT id, customer_id, number, date, currency, subtotal, tax, total, due_date, terms FROM invoices"
        ),
        LedgerTable(
            name: "lines",
            columns: [
                "document_id", "position", "part", "description", "quantity", "unit_price", "discount", "tax_rate",
                "net", "tax",
            ],
            source:
                "SELECT document_id, position, part, description, quantity, unit_price, discount, tax_rate, net, tax FROM sales_lines"
        ),
        LedgerTable(
            name: "credit_notes",
            columns: [
                "id", "customer_id", "number", "date", "currency", "subtotal", "tax", "total", "invoice_id", "reason",
            ],
            source:
                "SELECT id, customer_id, number, date, currency, subtotal, tax, total, invoice_id, reason FROM credit_notes"
        ),
        LedgerTable(
            name: "payments",
            columns: ["id", "customer_id", "number", "date", "currency", "amount", "method", "reference"],
            source: "SELECT id, customer_id, number, date, currency, amount, method, reference FROM payments"
        ),
        LedgerTable(
            name: "allocations",
            columns: ["payment_id", "position", "invoice_id", "date", "amount", "discount"],
            source: "SELECT payment_id, position, invoice_id, date, amount, discount FROM payment_applications"
        ),
        LedgerTable(
            name: "reversals",
            columns: ["id", "payment_id", "date", "reason"],
            source: "SELECT id, payment_id, date, reason FROM payment_reversals"
        ),
    ]

    /// W2's floor: what `replica` holds of the workload — customers, items, invoices, their
    /// lines, credit notes, payments, their allocations (applications) and reversals — inserted
    /// as one row each into plain SQLite tables (no keys, no indexes) in a scratch file in
    /// `directory`, in one transaction, through one prepared statement a table. The rows are read
    /// from the replica first (not timed). Returns the wall seconds of the inserts and the rows
    /// of each table.
    public static func measureLedger(from replica: Replica, directory: URL) throws -> (
        seconds: Double, rows: [(table: String, rows: Int)]
    ) {
        let data: [[[DatabaseValue]]] = try replica.read { db in
            try ledgerTables.map { table in
                try Row.fetchAll(db, sql: table.source).map { row in
                    (0..<table.columns.count).map { row[$0] as DatabaseValue }
                }
            }
        }
        let path = directory.appendingPathComponent("floor-w2.sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for table in ledgerTables {
                try db.execute(sql: "CREATE TABLE \(table.name) (\(table.columns.joined(separator: ", ")))")
            }
        }
        let started = ContinuousClock.now
        try queue.write { db in
            for (table, rows) in zip(ledgerTables, data) {
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let statement = try db.makeStatement(
                    sql: "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(marks))"
                )
                for row in rows {
                    try statement.execute(arguments: StatementArguments(row))
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        try? FileManager.default.removeItem(atPath: path)
        return (elapsed.seconds, zip(ledgerTables, data).map { ($0.name, $1.count) })
    }
}
