import GRDB
import Model

/// How an editable entity (a contact) leaves the folder, and how a removal made while
/// someone else edited the entity shows as a conflict until settled.
///
/// A removal is an ordinary write of the entity's `removed` register (`true`). Its
/// predecessors are not only the register's heads but **every write of the entity it saw**:
/// the heads of all its fields and the adds of its set elements that are present. So what a
/// removal did not see is known exactly, on every node, from the log alone:
///
/// - The entity is **removed** when its `removed` register is `true` and nothing below holds.
/// - A **removal conflict** is open while some head of another field, or some present element
///   add, is not named by a `true` head of `removed` (an edit made without having seen the
///   removal), or while `removed` has both a `true` and an empty head (a removal and a restore
///   made apart). Two removals made apart are not a conflict.
/// - While the conflict is open the entity stays in the folder, marked: nothing vanishes
///   silently. Settling it (`conflicts resolve`) is a write that has seen every candidate:
///   keeping the entity writes `removed` empty, removing it writes `true` naming every write
///   of the entity again.
///
/// A head not named by a removal was never seen by it: heads only lose their place to later
/// writes, so a write that was a head when the removal was made, and is still one, is named.
/// (A concurrent remove of a set element is not an edit that conflicts: it only takes away.)
///
/// `removal_edits`, `removal_conflicts` and `open_conflicts` are plain SQL views over the
/// merge state (docs/SCHEMA.md).
public enum Removal {
    /// The register that marks an entity removed.
    public static let field = "removed"

    /// Every write of entity `id` that is current here: the heads of each of its fields (the
    /// `removed` register's included) and the adds of its present set elements. A removal or a
    /// settlement names them all.
    static func seen(_ db: Database, entityID id: String, ledger: Ledger) throws -> [WriteID] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.origin, c.seq FROM field_heads h JOIN changes c ON c.local_order = h.change
                WHERE h.entity_id = ?
                UNION
                SELECT c.origin, c.seq FROM set_elements s JOIN changes c ON c.local_order = s.change
                WHERE s.entity_id = ? AND s.removed_by IS NULL
                ORDER BY 1, 2
                """,
            arguments: [id, id]
        )
        return try rows.map {
            WriteID(origin: try ledger.node(ofOrigin: $0["origin"]), seq: UInt64($0["seq"] as Int64))
        }
    }

    /// Whether entity `id` is in the folder: not removed, or removed in an open conflict.
    static func isInFolder(_ db: Database, table: String, entityID id: String) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT removed IS NULL OR id IN (SELECT entity_id FROM removal_conflicts)
                    FROM \(table) WHERE id = ?
                    """
            ),
            arguments: [id]
        ) ?? false
    }

    /// The candidates of entity `id`'s removal conflict, kept ones (empty value) first: the
    /// writes the removal did not see and any restore, then the removals, each group latest
    /// first (clock, then node id). The same on every node that holds the same writes.
    static func candidates(_ db: Database, entityID id: String) throws -> [FieldHeads.Head] {
        let heads = try FieldHeads.fetch(db, entityID: id, field: field)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT c.local_order, c.seq, c.hlc, o.node_id
                FROM removal_edits e JOIN changes c ON c.local_order = e.edit JOIN origins o ON o.id = c.origin
                WHERE e.entity_id = ?
                """,
            arguments: [id]
        )
        let edits = try rows.map { row -> FieldHeads.Head in
            guard let node = NodeID(row["node_id"] as String) else {
                throw ReplicationError(.corrupt, "origins holds a malformed node id")
            }
            return FieldHeads.Head(
                row: row["local_order"],
                id: WriteID(origin: node, seq: UInt64(row["seq"] as Int64)),
                time: HybridTime(packed: row["hlc"]),
                value: nil
            )
        }
        let latestFirst = { (a: FieldHeads.Head, b: FieldHeads.Head) in (a.time, a.id.origin) > (b.time, b.id.origin) }
        let kept = (edits + heads.filter { $0.value == nil }).sorted(by: latestFirst)
        return kept + heads.filter { $0.value != nil }.sorted(by: latestFirst)
    }

    /// The views, made by the migration that brings removals (docs/SCHEMA.md).
    static let views = """
        CREATE INDEX field_heads_removals ON field_heads(entity_id) WHERE field = 'removed';

        CREATE VIEW removal_edits AS
            SELECT r.entity_id, r.change AS removal, h.change AS edit
            FROM field_heads r JOIN changes rc ON rc.local_order = r.change
            JOIN field_heads h ON h.entity_id = r.entity_id AND h.field <> 'removed'
            JOIN changes hc ON hc.local_order = h.change
            WHERE r.field = 'removed' AND rc.value IS NOT NULL
            AND instr(' ' || rc.predecessors || ' ', ' ' || hc.origin || ':' || hc.seq || ' ') = 0
            UNION
            SELECT r.entity_id, r.change, s.change
            FROM field_heads r JOIN changes rc ON rc.local_order = r.change
            JOIN set_elements s ON s.entity_id = r.entity_id AND s.removed_by IS NULL
            JOIN changes sc ON sc.local_order = s.change
            WHERE r.field = 'removed' AND rc.value IS NOT NULL
            AND instr(' ' || rc.predecessors || ' ', ' ' || sc.origin || ':' || sc.seq || ' ') = 0;

        CREATE VIEW removal_conflicts AS
            SELECT entity_id FROM removal_edits
            UNION
            SELECT r.entity_id FROM field_heads r JOIN changes c ON c.local_order = r.change
            WHERE r.field = 'removed'
            GROUP BY r.entity_id HAVING count(DISTINCT coalesce(c.value, '')) > 1;

        DROP VIEW open_conflicts;
        CREATE VIEW open_conflicts AS
            SELECT h.entity_id, h.field, count(*) AS candidates
            FROM field_heads h WHERE h.field <> 'removed'
            GROUP BY h.entity_id, h.field
            HAVING count(*) > 1
            UNION ALL
            SELECT r.entity_id, 'removed',
                (SELECT count(*) FROM field_heads h WHERE h.entity_id = r.entity_id AND h.field = 'removed')
                + (SELECT count(DISTINCT edit) FROM removal_edits e WHERE e.entity_id = r.entity_id)
            FROM removal_conflicts r;
        """
}
