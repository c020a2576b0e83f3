import GRDB
import Model

/// When and by whom an entity was made, as its plain row shows it (`created_at`, `created_by`).
///
/// It is the entity's creation: the first change of the origin whose bits its id carries (an
/// id is made from the clock and the origin of the node that makes it). Causality makes the
/// creation the first change of the entity any node applies, so rows name it without asking.
/// When the creation is held — a revoked node made the entity after its revocation, and
/// another node, not knowing, wrote to it — the entity stays in the folder with the writes
/// that do apply, and its row names the earliest of those (by clock, then origin): the same on
/// every node, whichever order the changes and the revocation arrived in.
enum EntityCreation {
    /// Sets the row's `created_at` and `created_by` in `table` from the creation of entity
    /// `id` if it applies, else from its earliest applied change; leaves it alone when none
    /// applies.
    static func refresh(_ db: Database, id: String, table: String) throws {
        let applied = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT c.hlc, c.seq, o.node_id FROM changes c JOIN origins o ON o.id = c.origin
                    WHERE c.entity_id = ?
                    AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)
                    ORDER BY c.hlc, o.node_id
                    """
            ),
            arguments: [id]
        )
        guard let earliest = applied.first else { return }
        let creator = EntityID(id).flatMap(CompactEntityID.init).map(\.node)
        let creation =
            applied.filter { row in
                NodeID(row["node_id"] as String).map { $0.discriminator & CompactEntityID.nodeMask } == creator
            }
            .min { ($0["seq"] as Int64) < ($1["seq"] as Int64) }
        let chosen = creation ?? earliest
        let time = HybridTime(packed: chosen["hlc"] as Int64)
        try db.execute(
            sql: "UPDATE \(table) SET created_at = ?, created_by = ? WHERE id = ?",
            arguments: [Timestamp.format(time.date), chosen["node_id"] as String, id]
        )
    }
}
