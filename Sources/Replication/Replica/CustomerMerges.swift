import GRDB
import Model

/// Where each customer's folder shows after merges: `customers.merged_into`.
///
/// A merge is an immutable record (keep, duplicate). Merges are taken in the order of their
/// ids — the same on every node that holds the same merges, whatever order they arrived in.
/// An id begins with the merging node's hybrid clock, later than every change that node had
/// seen, so a merge is taken after every merge its node knew of, whatever the wall clocks
/// said (`merged_at` is a wall clock: a node's may read earlier than a merge it received) —
/// except a merge stamped beyond the drift bound ahead of the node's wall clock, which its
/// clock does not follow (``HybridClock``).
/// Each one points the duplicate's final customer at the kept one's final customer, so a
/// merge into a customer that was itself merged follows the chain. A merge whose two customers
/// already end in the same one (the same merge made twice, on one node or two; or two offices
/// that merged A into B and B into A while apart) changes nothing: the later of a crossed pair
/// is the one without effect, on every node. A merge is in force only where both its
/// customers exist: a customer made by a revoked node after its revocation, kept by no other
/// write, has no row on a node that holds the revocation, and a merge into it would hide the
/// duplicate's folder (``resolveIfNamed(_:_:)``).
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
            sql: """
                SELECT keep_id, duplicate_id FROM customer_merges
                WHERE keep_id IN (SELECT id FROM customers) AND duplicate_id IN (SELECT id FROM customers)
                ORDER BY id
                """
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

    /// Recomputes `merged_into` when a change to customer `id` may have made or dropped its
    /// row and a merge names it (a merge is in force only where both its customers exist).
    static func resolveIfNamed(_ db: Database, _ id: EntityID) throws {
        let named = try Bool.fetchOne(
            try db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM customer_merges WHERE keep_id = ? OR duplicate_id = ?)"
            ),
            arguments: [id.description, id.description]
        )
        if named == true { try resolve(db) }
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
