import Foundation
import GRDB

extension Replica {
    /// Writes a consistent copy of the replica to a new SQLite file at `url` (SQLite's online
    /// backup, from one read snapshot: writers go on meanwhile) and returns the document
    /// digests and the number of changes that copy holds.
    public func backup(to url: URL) throws -> (digests: [String], changes: Int) {
        let destination = try DatabaseQueue(path: url.path)
        try pool.backup(to: destination)
        let result = try destination.read { db in
            (
                try String.fetchAll(db, sql: "SELECT DISTINCT digest FROM documents ORDER BY digest"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM changes") ?? 0
            )
        }
        try destination.close()
        return result
    }
}
