import Foundation
import GRDB
import Model

/// Applies one appended change to the merge state and the plain tables, as the kind's
/// declaration lays them out.
///
/// - assign: the field's heads lose the change's predecessors and gain the change; the plain
///   column takes the winning head's value (greatest clock, then greatest node id). More than
///   one head is an open conflict.
/// - add / remove: an element is present while any of its adds is not removed (add-wins).
/// - record: the record's row is inserted once; records never change. Two records under one id
///   (a buggy or hostile peer): the earlier by (clock, node id, seq) is the record on every
///   node, whatever the order they arrived in; the other is held.
///
/// An entity's kind is fixed by its first applied change: a change that writes the same id as
/// another kind is refused with a ``Hold`` (thrown before anything is written).
struct Materializer {
    let db: Database
    let schema: FolderSchema
    /// Entities whose kind is known in this transaction.
    private var kinds: [String: String] = [:]
    /// Entities whose plain row this transaction created: they had no change before it.
    private var fresh: Set<String> = []
    /// Fields of fresh entities written in this transaction (`id/field`).
    private var written: Set<String> = []
    /// Entities whose first applied change is in this transaction: no record of them exists.
    private var claimed: Set<String> = []

    /// Whether an entity's creation may be held while other writes to it apply (some
    /// revocation is in force): then every write to an entity that has a row names the row's
    /// creator again (``EntityCreation``).
    var creationsMayBeHeld = false

    init(db: Database, schema: FolderSchema) {
        self.db = db
        self.schema = schema
    }

    /// Forgets what this transaction learnt about plain rows, after something else changed
    /// them (a ``Retraction`` drops the rows of entities it took every write of, and one of them
    /// may be written again later in the same transaction: its row must then be made anew).
    /// Kinds stay known: a retraction leaves them claimed.
    mutating func forgetRows() {
        fresh.removeAll()
        written.removeAll()
        claimed.removeAll()
    }

    /// Returns whether the change opened a conflict (the field had one head and now has more).
    ///
    /// `late`: the change was held and is applied after changes that may have seen it (an
    /// acceptance, an upgrade): a write some applied write superseded does not become a head,
    /// and an add some applied remove saw is removed.
    ///
    /// `record`: the record's JSON as the gate parsed it (parsed here when `nil`).
    mutating func apply(
        _ change: Change,
        row: Int64,
        predecessorRows: [Int64],
        late: Bool = false,
        record: RecordObject? = nil
    ) throws -> Bool {
        guard let declaration = schema.declaration(of: change.entity) else {
            throw Hold(.unknownKind, "kind \(change.entity.code) is not known to release \(schema.release)")
        }
        // The gate holds these; an office's acceptance must not turn them into a NULL element.
        if change.operation == .add || change.operation == .remove, change.value == nil {
            throw Hold(.rule, "\(declaration.name) \(change.entityID): a \(change.field) element without a value")
        }
        try claimKind(change, declaration)
        switch change.operation {
        case .assign:
            return try assign(change, declaration, row: row, predecessorRows: predecessorRows, late: late)
        case .add:
            try ensureRow(change, declaration)
            try db.run(
                sql: "INSERT INTO set_elements (entity_id, field, element, change) VALUES (?, ?, ?, ?)",
                arguments: [change.entityID.description, change.field, change.value, row]
            )
            var live = true
            if late, let remover = try successor(of: change, row: row) {
                try db.run(
                    sql: "UPDATE set_elements SET removed_by = ? WHERE change = ?",
                    arguments: [remover, row]
                )
                live = false
            }
            // A new add stands (add-wins); only a late one may have been seen by a remove.
            try materializeElement(change, declaration, live: live ? true : nil)
            return false
        case .remove:
            try ensureRow(change, declaration)
            for predecessor in predecessorRows {
                try db.run(
                    sql: """
                        UPDATE set_elements SET removed_by = coalesce(removed_by, ?)
                        WHERE change = ? AND entity_id = ? AND field = ? AND element = ?
                        """,
                    arguments: [row, predecessor, change.entityID.description, change.field, change.value]
                )
            }
            try materializeElement(change, declaration)
            return false
        case .record:
            try insertRecord(change, declaration, row: row, object: record ?? RecordJSON.parse(change.value))
            return false
        case .unknown(let code):
            throw Hold(.unknownOperation, "operation \(code) is not known to release \(schema.release)")
        }
    }

    /// Fixes the entity's kind on its first applied change; throws a ``Hold`` when the id is
    /// already another kind's.
    private mutating func claimKind(_ change: Change, _ declaration: KindDeclaration) throws {
        let id = change.entityID.description
        if let known = kinds[id] {
            guard known == declaration.name else { throw kindMismatch(change, known) }
            return
        }
        try db.run(sql: "INSERT OR IGNORE INTO entities (id, kind) VALUES (?, ?)", arguments: [id, declaration.name])
        if db.changesCount > 0 {
            kinds[id] = declaration.name
            claimed.insert(id)
            return
        }
        let stored =
            try String.fetchOne(try db.cachedStatement(sql: "SELECT kind FROM entities WHERE id = ?"), arguments: [id])
            ?? declaration.name
        kinds[id] = stored
        guard stored == declaration.name else { throw kindMismatch(change, stored) }
    }

    private func kindMismatch(_ change: Change, _ known: String) -> Hold {
        Hold(.rule, "\(change.entityID) is a \(known); change \(change.id) writes it as a \(change.entity.name)")
    }

    private mutating func assign(
        _ change: Change,
        _ declaration: KindDeclaration,
        row: Int64,
        predecessorRows: [Int64],
        late: Bool
    ) throws -> Bool {
        let entityID = change.entityID.description
        try ensureRow(change, declaration)
        let before: Int
        if fresh.contains(entityID), !late {
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
        let superseded = late ? try successor(of: change, row: row) != nil : false
        if !superseded {
            try db.run(
                sql: "INSERT INTO field_heads (entity_id, field, change) VALUES (?, ?, ?)",
                arguments: [entityID, change.field, row]
            )
        }
        let after = before - replaced + (superseded ? 0 : 1)
        let value: String?
        if after == 1, !superseded {
            value = change.value
        } else {
            value = try FieldHeads.fetch(db, entityID: entityID, field: change.field).first?.value
        }
        guard let register = declaration.register(change.field) else { return false }
        try db.run(
            sql: "UPDATE \(declaration.table) SET \(register.column) = ? WHERE id = ?",
            arguments: [value, entityID]
        )
        return before <= 1 && after > 1
    }

    /// The row of an applied change of the same entity and field that names this one as a
    /// predecessor (it saw this change), if any.
    private func successor(of change: Change, row: Int64) throws -> Int64? {
        guard
            let origin = try Int64.fetchOne(
                db,
                sql: "SELECT origin FROM changes WHERE local_order = ?",
                arguments: [row]
            )
        else { return nil }
        let token = "\(origin):\(change.seq)"
        let candidates = try Row.fetchAll(
            db,
            sql: """
                SELECT local_order, predecessors FROM changes c
                WHERE entity_id = ? AND field = ? AND local_order <> ? AND predecessors <> ''
                AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)
                ORDER BY local_order
                """,
            arguments: [change.entityID.description, change.field, row]
        )
        for candidate in candidates {
            let text: String = candidate["predecessors"]
            if text.split(separator: " ").contains(where: { $0 == token }) { return candidate["local_order"] }
        }
        return nil
    }

    private func headCount(_ entityID: String, _ field: String) throws -> Int {
        try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT count(*) FROM field_heads WHERE entity_id = ? AND field = ?"),
            arguments: [entityID, field]
        ) ?? 0
    }

    /// Makes the entity's plain row on its first change; while a revocation is in force, names
    /// its creator again on every change (``EntityCreation``).
    private mutating func ensureRow(_ change: Change, _ declaration: KindDeclaration) throws {
        let id = change.entityID.description
        guard !fresh.contains(id) else {
            if creationsMayBeHeld { try EntityCreation.refresh(db, id: id, table: declaration.table) }
            return
        }
        try db.run(
            sql: "INSERT OR IGNORE INTO \(declaration.table) (id, created_at, created_by) VALUES (?, ?, ?)",
            arguments: [id, Timestamp.format(change.time.date), change.origin.description]
        )
        if db.changesCount > 0 {
            fresh.insert(id)
        } else if creationsMayBeHeld {
            try EntityCreation.refresh(db, id: id, table: declaration.table)
        }
    }

    /// Makes the element's plain row match its merge state: present while some add of it is
    /// not removed.
    /// `live`: known to be present (`nil`: read from the merge state).
    private func materializeElement(_ change: Change, _ declaration: KindDeclaration, live known: Bool? = nil) throws {
        guard let set = declaration.set(change.field), let element = change.value else { return }
        let live =
            try known
            ?? Bool.fetchOne(
                try db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM set_elements
                        WHERE entity_id = ? AND field = ? AND element = ? AND removed_by IS NULL)
                        """
                ),
                arguments: [change.entityID.description, change.field, element]
            ) ?? false
        let owner = change.entityID.description
        let columns: [String]
        let values: [String]
        switch set.shape {
        case .plain(let column):
            columns = [column]
            values = [element]
        case .labelled(let labelColumn, let valueColumn, _):
            let labelled = LabelledValue(parsing: element)
            columns = [labelColumn, valueColumn]
            values = [labelled.label, labelled.value]
        }
        if live {
            try db.run(
                sql: """
                    INSERT OR IGNORE INTO \(set.table) (\(set.ownerColumn), \(columns.joined(separator: ", ")))
                    VALUES (?\(String(repeating: ", ?", count: columns.count)))
                    """,
                arguments: StatementArguments([owner] + values)
            )
        } else {
            try db.run(
                sql: "DELETE FROM \(set.table) WHERE \(set.ownerColumn) = ?"
                    + columns.map { " AND \($0) = ?" }.joined(),
                arguments: StatementArguments([owner] + values)
            )
        }
    }

    // MARK: Records

    private mutating func insertRecord(
        _ change: Change,
        _ declaration: KindDeclaration,
        row: Int64,
        object: RecordObject?
    ) throws {
        guard let fields = declaration.recordFields else {
            throw Hold(.unknownField, "\(declaration.name) has no records")
        }
        let id = change.entityID.description
        guard let object else { throw Hold(.rule, "\(declaration.name) \(id) is not a well-formed record") }
        // An entity this very change claimed has no other record; any later one looks.
        let first = claimed.remove(id) != nil
        if !first, let existing = try recordChange(of: id, except: row) {
            let mine = (change.time, change.origin, change.seq)
            guard mine < (existing.change.time, existing.change.origin, existing.change.seq) else {
                throw Hold(.rule, "\(declaration.name) \(id) was already recorded by change \(existing.change.id)")
            }
            // This record is the earlier one: it is the record on every node; the other is held
            // (already, when a revocation holds it).
            if !existing.revoked {
                try db.run(sql: "DELETE FROM \(declaration.table) WHERE id = ?", arguments: [id])
                try HeldStore(db: db, schema: schema).keep(
                    existing.change,
                    logged: existing.row,
                    Hold(.rule, "\(declaration.name) \(id) was recorded earlier by change \(change.id)"),
                    at: change.time.milliseconds
                )
            }
        }
        let values: [(any DatabaseValueConvertible)?] = fields.map { field in
            let member = object[field.key]
            switch field.value {
            case .integer: return member?.integer
            case .text, .entity, .digest, .decision, .date, .choice, .terms, .currency, .node: return member?.text
            case .list: return member?.array.map(RecordJSON.text(ofList:))
            }
        }
        try db.run(
            sql: """
                INSERT OR IGNORE INTO \(declaration.table) (id, \(fields.map(\.column).joined(separator: ", ")))
                VALUES (?\(String(repeating: ", ?", count: fields.count)))
                """,
            arguments: StatementArguments([id] + values)
        )
    }

    /// The record change of an entity other than `row`, if any: an applied one, or one held
    /// for a revocation (`revoked`; whether the revocation reached this node before or after
    /// the record, the record is the same one, so a second record is judged against it alike).
    private func recordChange(of id: String, except row: Int64) throws -> (
        change: Change, row: Int64, revoked: Bool
    )? {
        guard
            let stored = try Row.fetchOne(
                try db.cachedStatement(
                    sql: """
                        SELECT c.local_order, c.seq, c.hlc, c.entity, c.entity_id, c.field, c.op, c.value, c.predecessors,
                            o.node_id,
                            EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order) AS revoked
                        FROM changes c JOIN origins o ON o.id = c.origin
                        WHERE c.entity_id = ? AND c.op = 'record' AND c.local_order <> ?
                        AND NOT EXISTS (
                            SELECT 1 FROM held_changes h WHERE h.change = c.local_order AND h.reason <> 'revoked'
                        )
                        ORDER BY revoked
                        LIMIT 1
                        """
                ),
                arguments: [id, row]
            )
        else { return nil }
        guard let node = NodeID(stored["node_id"] as String) else {
            throw ReplicationError(.corrupt, "origins holds a malformed node id")
        }
        // Records name no predecessors, except one an office accepted as it was: its list
        // names nodes by their origin rows.
        var nodes: [Int64: NodeID] = [:]
        if !(stored["predecessors"] as String).isEmpty {
            for origin in try Row.fetchAll(db, sql: "SELECT id, node_id FROM origins") {
                if let node = NodeID(origin["node_id"] as String) { nodes[origin["id"]] = node }
            }
        }
        let change = try Replica.decodeChange(stored, origin: node, nodes: nodes, schema: schema)
        return (change, stored["local_order"], stored["revoked"])
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
