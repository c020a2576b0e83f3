import Crypto
import Foundation
import GRDB
import Model

/// Two or more writes to one field made without either having seen the other.
///
/// Identical on every node that holds the same writes: the same id, the same current value,
/// the same candidates in the same order (winner first, then by clock and node, latest first).
public struct Conflict: Sendable, Hashable, Identifiable {
    public struct Candidate: Sendable, Hashable {
        public let value: String?
        public let origin: NodeID
        public let time: HybridTime
        public let write: WriteID
    }

    /// A short digest of the field and the candidates' ids.
    public let id: String
    public let entity: EntityKind
    public let entityID: EntityID
    public let field: String
    /// The value the plain table shows now: the winning candidate's.
    public var current: String? { candidates.first?.value }
    public let candidates: [Candidate]
}

/// One known write of an entity's field, for `history`.
public struct HistoryEntry: Sendable, Hashable {
    public let field: String
    public let operation: Operation
    public let value: String?
    public let origin: NodeID
    public let time: HybridTime
    public let write: WriteID
    /// Whether the write is one of the field's current values (the value, or a candidate).
    public let isCurrent: Bool
    /// Who made it: the person and the node.
    public let by: WriteAuthor
}

extension Replica {
    /// Every open conflict, by entity id and field.
    public func conflicts() throws -> [Conflict] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT entity_id, field FROM open_conflicts ORDER BY entity_id, field").map {
                try Replica.conflict(db, entityID: $0["entity_id"], field: $0["field"], schema: schema)
            }
        }
    }

    /// One open conflict by its id; ``ReplicationError/Code/unknownConflict`` when none.
    public func conflict(_ id: String) throws -> Conflict {
        guard let conflict = try conflicts().first(where: { $0.id == id.lowercased() }) else {
            throw ReplicationError(.unknownConflict, "no open conflict with id \(id)")
        }
        return conflict
    }

    /// Settles a conflict by keeping candidate `pick` (0-based, in ``Conflict/candidates``
    /// order) or writing `value`. The settlement is an ordinary write that has seen every
    /// candidate, so it replicates and settles the conflict on every node.
    public func resolve(conflict id: String, pick: Int?, value: String?, as person: String? = nil) throws {
        try write(as: person) { writer in
            guard
                let row = try Row.fetchAll(writer.db, sql: "SELECT entity_id, field FROM open_conflicts").first(where: {
                    (try? Replica.conflict(writer.db, entityID: $0["entity_id"], field: $0["field"], schema: schema).id)
                        == id.lowercased()
                })
            else { throw ReplicationError(.unknownConflict, "no open conflict with id \(id)") }
            let conflict = try Replica.conflict(
                writer.db,
                entityID: row["entity_id"],
                field: row["field"],
                schema: schema
            )
            let chosen: String?
            if let pick {
                guard conflict.candidates.indices.contains(pick) else {
                    throw ReplicationError(
                        .badPick,
                        "conflict \(id) has candidates 0 to \(conflict.candidates.count - 1); there is no \(pick)"
                    )
                }
                chosen = conflict.candidates[pick].value
            } else {
                guard let register = schema.declaration(of: conflict.entity)?.register(conflict.field) else {
                    throw ReplicationError(.unknownField, "\(conflict.field) is not an editable field")
                }
                chosen = try writer.validated(value, for: register)
            }
            try writer.settle(conflict, with: chosen)
        }
    }

    /// Every known write of the entity's fields (or of one field), oldest first.
    /// ``ReplicationError/Code/unknownID`` when the replica holds no change of that entity.
    public func history(of entityID: EntityID, field: String? = nil) throws -> [HistoryEntry] {
        try pool.read { db in
            var sql = """
                SELECT c.local_order, c.seq, c.hlc, c.field, c.op, c.value, o.node_id, c.person,
                    EXISTS (SELECT 1 FROM field_heads h WHERE h.change = c.local_order)
                    OR EXISTS (SELECT 1 FROM set_elements s WHERE s.change = c.local_order AND s.removed_by IS NULL)
                    OR (c.op = 'record' AND NOT EXISTS (SELECT 1 FROM held_changes hc WHERE hc.change = c.local_order))
                    AS current
                FROM changes c JOIN origins o ON o.id = c.origin
                WHERE c.entity_id = ?
                """
            var arguments: StatementArguments = [entityID.description]
            if let field {
                // A field the entity's kind does not declare has no history: say so, rather
                // than show an empty one.
                if let kind = try String.fetchOne(
                    db,
                    sql: "SELECT kind FROM entities WHERE id = ?",
                    arguments: [entityID.description]
                ),
                    let declaration = schema.kind(named: kind).flatMap(schema.declaration(of:)),
                    !declaration.fieldNames.contains(field)
                {
                    let known =
                        declaration.fieldNames.isEmpty
                        ? "none (it is a record)" : declaration.fieldNames.joined(separator: ", ")
                    throw ReplicationError(.unknownField, "a \(kind) has no field '\(field)'; its fields: \(known)")
                }
                sql += " AND c.field = ?"
                _ = arguments.append(contentsOf: [field])
            }
            sql += " ORDER BY c.hlc, o.node_id, c.seq"
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            if rows.isEmpty,
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM changes WHERE entity_id = ?",
                    arguments: [entityID.description]
                ) == 0
            {
                throw ReplicationError(.unknownID, "nothing with id \(entityID) in this replica")
            }
            let directory = try AuthorDirectory(db)
            return try rows.map { row in
                guard let node = NodeID(row["node_id"] as String), let operation = Operation(name: row["op"]) else {
                    throw ReplicationError(.corrupt, "a change is malformed")
                }
                return HistoryEntry(
                    field: row["field"],
                    operation: operation,
                    value: row["value"],
                    origin: node,
                    time: HybridTime(packed: row["hlc"]),
                    write: WriteID(origin: node, seq: UInt64(row["seq"] as Int64)),
                    isCurrent: row["current"],
                    by: directory.author(origin: node, person: row["person"])
                )
            }
        }
    }

    static func conflict(_ db: Database, entityID: String, field: String, schema: FolderSchema) throws -> Conflict {
        // A removal conflict's candidates are the removals and what they did not see (``Removal``).
        let heads =
            field == Removal.field
            ? try Removal.candidates(db, entityID: entityID)
            : try FieldHeads.fetch(db, entityID: entityID, field: field)
        guard let id = EntityID(entityID),
            let kindText = try String.fetchOne(
                db,
                sql: "SELECT kind FROM entities WHERE id = ?",
                arguments: [entityID]
            ),
            let kind = schema.kind(named: kindText)
        else { throw ReplicationError(.corrupt, "conflict on a malformed entity \(entityID)") }
        let candidates = heads.map {
            Conflict.Candidate(value: $0.value, origin: $0.id.origin, time: $0.time, write: $0.id)
        }
        var digestInput = "\(entityID)/\(field)"
        for write in heads.map(\.id).sorted() { digestInput += "/\(write.origin)#\(write.seq)" }
        let conflictID = ShortDigest.of(digestInput)
        return Conflict(id: conflictID, entity: kind, entityID: id, field: field, candidates: candidates)
    }
}
