import GRDB
import Model

/// Where each customer's folder shows after merges: `customers.merged_into`.
///
/// A merge is an immutable record (keep, duplicate). Merges are taken in the order of their
/// time, then id — the same on every node that holds the same merges, whatever order they
/// arrived in — and each one points the duplicate's final customer at the kept one's final
/// customer, so a merge into a customer that was itself merged follows the chain. A merge
/// whose two customers already end in the same one (the same merge made twice, on one node or
/// two; or two offices that merged A into B and B into A while apart) changes nothing: the
/// later of a crossed pair is the one without effect, on every node.
///
/// `merged_into` is derived: recomputed in the transaction that applies or takes back a merge,
/// never replicated. It names the final customer (no chains to follow when reading); NULL for
/// a customer that was not merged. Everything of a merged customer — contacts, journal,
/// documents, writes other nodes make to it later — keeps its `customer_id` and shows in the
/// folder of the customer it was merged into.
enum CustomerMerges {
    /// Recomputes every customer's `merged_into` from the merges in force.
    static func resolve(_ db: Database) throws {
        var parent: [String: String] = [:]
        func root(_ id: String) -> String {
            var id = id
            while let next = parent[id] { id = next }
            return id
        }
        let merges = try Row.fetchAll(
            db,
            sql: "SELECT keep_id, duplicate_id FROM customer_merges ORDER BY merged_at, id"
        )
        for merge in merges {
            let keep = root(merge["keep_id"])
            let duplicate = root(merge["duplicate_id"])
            if keep != duplicate { parent[duplicate] = keep }
        }
        var target: [String: String] = [:]
        for id in parent.keys { target[id] = root(id) }
        let current = try Row.fetchAll(db, sql: "SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL")
        for row in current where target[row["id"] as String] == nil {
            try db.execute(
                sql: "UPDATE customers SET merged_into = NULL WHERE id = ?",
                arguments: [row["id"] as String]
            )
        }
        let known = Dictionary(uniqueKeysWithValues: current.map { ($0["id"] as String, $0["merged_into"] as String) })
        for (id, into) in target.sorted(by: { $0.key < $1.key }) where known[id] != into {
            try db.execute(sql: "UPDATE customers SET merged_into = ? WHERE id = ?", arguments: [into, id])
        }
    }

    /// The customer whose folder `id` shows in: `id` itself unless it was merged.
    static func final(_ db: Database, _ id: EntityID) throws -> EntityID {
        let into = try String.fetchOne(
            try db.cachedStatement(sql: "SELECT merged_into FROM customers WHERE id = ?"),
            arguments: [id.description]
        )
        return into.flatMap(EntityID.init) ?? id
    }

    /// SQL: the ids of the customers whose things show in the folder of customer `?` (itself
    /// and every customer merged into it). Takes the id twice.
    static let folderMembers = "SELECT id FROM customers WHERE id = ? OR merged_into = ?"
}
