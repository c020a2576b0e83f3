import Foundation
import GRDB

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
