import Foundation
import GRDB
import Model

/// Applies one appended change to the merge state and the plain tables.
///
/// - assign: the field's heads lose the change's predecessors and gain the change; the plain
///   column takes the winning head's value (greatest clock, then greatest node id). More than
///   one head is an open conflict.
/// - add / remove: an element is present while any of its adds is not removed (add-wins).
/// - record: the record's row is inserted once; records never change.
struct Materializer {
    let db: Database
    /// Entities whose plain row is known to exist in this transaction.
    private var rows: Set<String> = []
    /// Entities whose plain row this transaction created: they had no change before it.
    private var fresh: Set<String> = []
    /// Fields of fresh entities written in this transaction (`id/field`).
    private var written: Set<String> = []

    init(db: Database) {
        self.db = db
    }

    /// Returns whether the change opened a conflict (the field had one head and now has more).
    mutating func apply(_ change: Change, row: Int64, predecessorRows: [Int64]) throws -> Bool {
        switch change.operation {
        case .assign:
            return try assign(change, row: row, predecessorRows: predecessorRows)
        case .add:
            try ensureRow(change)
            try db.run(
                sql: "INSERT INTO set_elements (entity_id, field, element, change) VALUES (?, ?, ?, ?)",
                arguments: [change.entityID.description, change.field, change.value, row]
            )
            try materializeElement(change, present: true)
            return false
        case .remove:
            try ensureRow(change)
            for predecessor in predecessorRows {
                try db.run(
                    sql: """
                        UPDATE set_elements SET removed_by = coalesce(removed_by, ?)
                        WHERE change = ? AND entity_id = ? AND field = ? AND element = ?
                        """,
                    arguments: [row, predecessor, change.entityID.description, change.field, change.value]
                )
            }
            let live = try Bool.fetchOne(
                try db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM set_elements
                        WHERE entity_id = ? AND field = ? AND element = ? AND removed_by IS NULL)
                        """
                ),
                arguments: [change.entityID.description, change.field, change.value]
            )
            if live != true { try materializeElement(change, present: false) }
            return false
        case .record:
            try insertRecord(change)
            return false
        }
    }

    private mutating func assign(_ change: Change, row: Int64, predecessorRows: [Int64]) throws -> Bool {
        let entityID = change.entityID.description
        try ensureRow(change)
        let before: Int
        if fresh.contains(entityID) {
            // A new entity has no heads but those this transaction wrote.
            before = written.insert(entityID + "/" + change.field).inserted ? 0 : try headCount(entityID, change.field)
        } else {
            before = try headCount(entityID, change.field)
        }
        // A predecessor may no longer be a head here: another write that also saw it may have
        // superseded it already. Count only the heads this write really replaces.
        var replaced = 0
        for predecessor in predecessorRows {
            try db.run(
                sql: "DELETE FROM field_heads WHERE entity_id = ? AND field = ? AND change = ?",
                arguments: [entityID, change.field, predecessor]
            )
            replaced += db.changesCount
        }
        try db.run(
            sql: "INSERT INTO field_heads (entity_id, field, change) VALUES (?, ?, ?)",
            arguments: [entityID, change.field, row]
        )
        let after = before - replaced + 1
        let value: String?
        if after == 1 {
            value = change.value
        } else {
            value = try FieldHeads.fetch(db, entityID: entityID, field: change.field).first?.value
        }
        guard let register = FieldCatalog.register(change.entity, change.field) else { return false }
        try db.run(
            sql: "UPDATE \(FieldCatalog.table(change.entity)) SET \(register.column) = ? WHERE id = ?",
            arguments: [value, entityID]
        )
        return before <= 1 && after > 1
    }

    private func headCount(_ entityID: String, _ field: String) throws -> Int {
        try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT count(*) FROM field_heads WHERE entity_id = ? AND field = ?"),
            arguments: [entityID, field]
        ) ?? 0
    }

    /// Makes the entity's plain row on its first change.
    private mutating func ensureRow(_ change: Change) throws {
        let id = change.entityID.description
        guard rows.insert(id).inserted else { return }
        try db.run(
            sql:
                "INSERT OR IGNORE INTO \(FieldCatalog.table(change.entity)) (id, created_at, created_by) VALUES (?, ?, ?)",
            arguments: [id, Timestamp.format(change.time.date), change.origin.description]
        )
        if db.changesCount > 0 { fresh.insert(id) }
    }

    private func materializeElement(_ change: Change, present: Bool) throws {
        guard let set = FieldCatalog.set(change.entity, change.field), let element = change.value else { return }
        let owner = change.entityID.description
        switch set.shape {
        case .plain(let column):
            if present {
                try db.run(
                    sql: "INSERT OR IGNORE INTO \(set.table) (\(set.ownerColumn), \(column)) VALUES (?, ?)",
                    arguments: [owner, element]
                )
            } else {
                try db.run(
                    sql: "DELETE FROM \(set.table) WHERE \(set.ownerColumn) = ? AND \(column) = ?",
                    arguments: [owner, element]
                )
            }
        case .labelled(let labelColumn, let valueColumn, _):
            let labelled = LabelledValue(parsing: element)
            if present {
                try db.run(
                    sql: """
                        INSERT OR IGNORE INTO \(set.table) (\(set.ownerColumn), \(labelColumn), \(valueColumn))
                        VALUES (?, ?, ?)
                        """,
                    arguments: [owner, labelled.label, labelled.value]
                )
            } else {
                try db.run(
                    sql:
                        "DELETE FROM \(set.table) WHERE \(set.ownerColumn) = ? AND \(labelColumn) = ? AND \(valueColumn) = ?",
                    arguments: [owner, labelled.label, labelled.value]
                )
            }
        }
    }

    private func insertRecord(_ change: Change) throws {
        let json = Data((change.value ?? "").utf8)
        let id = change.entityID.description
        switch change.entity {
        case .journal:
            guard let record = JournalRecord(json: json) else {
                throw ReplicationError(.invalidValue, "journal entry \(id) is not a well-formed record")
            }
            try db.run(
                sql: """
                    INSERT OR IGNORE INTO journal_entries (id, customer_id, at, kind, parties, notes, author, corrects)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, record.customerId, record.at, record.kind, record.parties, record.notes, record.author,
                    record.corrects,
                ]
            )
        case .document:
            let record: DocumentRecord
            do { record = try JSONDecoder().decode(DocumentRecord.self, from: json) } catch {
                throw ReplicationError(.invalidValue, "document \(id) is not a well-formed record")
            }
            guard record.digest.count == 64, record.size >= 0 else {
                throw ReplicationError(.invalidValue, "document \(id) has a malformed digest or size")
            }
            try db.run(
                sql: """
                    INSERT OR IGNORE INTO documents
                    (id, customer_id, title, file_name, media_type, size, digest, added_at, added_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, record.customerId, record.title, record.fileName, record.mediaType, record.size,
                    record.digest, record.addedAt, record.addedBy,
                ]
            )
        case .customer, .contact:
            throw ReplicationError(.unknownField, "\(change.entity.rawValue) has no records")
        }
    }
}

/// The current writes of one editable field, winner first.
struct FieldHeads {
    struct Head {
        let row: Int64
        let id: WriteID
        let time: HybridTime
        let value: String?
    }

    /// The heads ordered winner first: greatest clock, then greatest node id. The same order
    /// on every node that holds the same writes.
    static func fetch(_ db: Database, entityID: String, field: String) throws -> [Head] {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT c.local_order, c.seq, c.hlc, c.value, o.node_id
                    FROM field_heads h JOIN changes c ON c.local_order = h.change JOIN origins o ON o.id = c.origin
                    WHERE h.entity_id = ? AND h.field = ?
                    """
            ),
            arguments: [entityID, field]
        )
        let heads = try rows.map { row -> Head in
            guard let node = NodeID(row["node_id"] as String) else {
                throw ReplicationError(.corrupt, "origins holds a malformed node id")
            }
            return Head(
                row: row["local_order"],
                id: WriteID(origin: node, seq: UInt64(row["seq"] as Int64)),
                time: HybridTime(packed: row["hlc"]),
                value: row["value"]
            )
        }
        return heads.sorted { ($0.time, $0.id.origin) > ($1.time, $1.id.origin) }
    }
}
