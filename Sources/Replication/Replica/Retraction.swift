import Foundation
import GRDB
import Model

/// Takes applied changes back out of the folder: they stay in the log, are held, and every
/// field, set element, record and entity they touched is derived again from the applied
/// changes that remain.
///
/// This is how a revocation reaches a node that had applied some of the revoked node's later
/// changes before it heard of the revocation: afterwards its folder is the one a node that
/// heard of the revocation first has, change for change (the same rules the materializer
/// follows, from scratch):
/// - a field's heads are its applied assigns that no applied assign of the field names as a
///   predecessor; the plain column takes the winner's value (NULL when none is left);
/// - an element add is removed when an applied remove of the element names it;
/// - a record's row goes with its record change;
/// - an entity no applied change writes any more leaves its plain table and sets (its kind stays
///   claimed in `entities`, as a node that held its changes from the start claims it);
///   one that other writes keep names the earliest of them as its creator (``EntityCreation``).
///
/// A revocation or a decision on held changes taken back leaves what it already did in
/// place: only offices make those, and an office is never revoked by a laptop.
struct Retraction {
    let db: Database
    let schema: FolderSchema

    private struct FieldKey: Hashable {
        let entityID: String
        let field: String
    }

    private struct ElementKey: Hashable {
        let entityID: String
        let field: String
        let element: String
    }

    /// Holds the logged changes at `rows` for `hold`'s reason and derives what they touched
    /// again. Each change in `changes` is the one logged at the same index of `rows`.
    func retract(_ changes: [(change: Change, row: Int64)], _ hold: (Change) -> Hold, at wallClock: UInt64) throws {
        guard !changes.isEmpty else { return }
        let store = HeldStore(db: db, schema: schema)
        var fields: Set<FieldKey> = []
        var elements: Set<ElementKey> = []
        var entities: Set<String> = []
        for (change, row) in changes {
            try store.keep(change, logged: row, hold(change), at: wallClock)
            let id = change.entityID.description
            entities.insert(id)
            switch change.operation {
            case .assign:
                fields.insert(FieldKey(entityID: id, field: change.field))
            case .add:
                try db.run(sql: "DELETE FROM set_elements WHERE change = ?", arguments: [row])
                if let element = change.value {
                    elements.insert(ElementKey(entityID: id, field: change.field, element: element))
                }
            case .remove:
                try db.run(sql: "UPDATE set_elements SET removed_by = NULL WHERE removed_by = ?", arguments: [row])
                if let element = change.value {
                    elements.insert(ElementKey(entityID: id, field: change.field, element: element))
                }
            case .record:
                if let declaration = schema.declaration(of: change.entity) {
                    try db.run(sql: "DELETE FROM \(declaration.table) WHERE id = ?", arguments: [id])
                }
            case .unknown:
                break
            }
        }
        for key in fields.sorted(by: { ($0.entityID, $0.field) < ($1.entityID, $1.field) }) { try rebuild(key) }
        for key in elements.sorted(by: { ($0.entityID, $0.field, $0.element) < ($1.entityID, $1.field, $1.element) }) {
            try rebuild(key)
        }
        for id in entities.sorted() {
            try dropIfUnwritten(id)
            try Removal.noteForSearch(db, entityID: id)
        }
    }

    /// The applied changes of a field or element (not held), with their tokens and predecessors.
    private func applied(_ sql: String, _ arguments: StatementArguments) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.local_order, c.origin, c.seq, c.predecessors, c.value FROM changes c
                WHERE \(sql) AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)
                ORDER BY c.local_order
                """,
            arguments: arguments
        )
    }

    private static func token(_ row: Row) -> String { "\(row["origin"] as Int64):\(row["seq"] as Int64)" }

    private static func predecessorTokens(_ row: Row) -> [Substring] {
        (row["predecessors"] as String).split(separator: " ")
    }

    private func rebuild(_ key: FieldKey) throws {
        let writes = try applied(
            "c.entity_id = ? AND c.field = ? AND c.op = 'assign'",
            [key.entityID, key.field]
        )
        let superseded = Set(writes.flatMap(Self.predecessorTokens).map(String.init))
        try db.run(
            sql: "DELETE FROM field_heads WHERE entity_id = ? AND field = ?",
            arguments: [key.entityID, key.field]
        )
        for write in writes where !superseded.contains(Self.token(write)) {
            try db.run(
                sql: "INSERT INTO field_heads (entity_id, field, change) VALUES (?, ?, ?)",
                arguments: [key.entityID, key.field, write["local_order"] as Int64]
            )
        }
        guard
            let kind = try String.fetchOne(
                db,
                sql: "SELECT kind FROM entities WHERE id = ?",
                arguments: [key.entityID]
            ),
            let declaration = schema.kind(named: kind).flatMap(schema.declaration(of:)),
            let register = declaration.register(key.field)
        else { return }
        let value = try FieldHeads.fetch(db, entityID: key.entityID, field: key.field).first?.value
        try db.run(
            sql: "UPDATE \(declaration.table) SET \(register.column) = ? WHERE id = ?",
            arguments: [value, key.entityID]
        )
    }

    private func rebuild(_ key: ElementKey) throws {
        let removes = try applied(
            "c.entity_id = ? AND c.field = ? AND c.op = 'remove' AND c.value = ?",
            [key.entityID, key.field, key.element]
        )
        let adds = try Row.fetchAll(
            db,
            sql: """
                SELECT e.change AS local_order, c.origin, c.seq FROM set_elements e
                JOIN changes c ON c.local_order = e.change
                WHERE e.entity_id = ? AND e.field = ? AND e.element = ? AND e.removed_by IS NULL
                """,
            arguments: [key.entityID, key.field, key.element]
        )
        for add in adds {
            let token = Self.token(add)
            if let remover = removes.first(where: { Self.predecessorTokens($0).contains { $0 == token } }) {
                try db.run(
                    sql: "UPDATE set_elements SET removed_by = ? WHERE change = ?",
                    arguments: [remover["local_order"] as Int64, add["local_order"] as Int64]
                )
            }
        }
        guard
            let kind = try String.fetchOne(
                db,
                sql: "SELECT kind FROM entities WHERE id = ?",
                arguments: [key.entityID]
            ),
            let declaration = schema.kind(named: kind).flatMap(schema.declaration(of:)),
            let set = declaration.set(key.field)
        else { return }
        let live =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM set_elements
                    WHERE entity_id = ? AND field = ? AND element = ? AND removed_by IS NULL)
                    """,
                arguments: [key.entityID, key.field, key.element]
            ) ?? false
        let columns: [String]
        let values: [String]
        switch set.shape {
        case .plain(let column):
            columns = [column]
            values = [key.element]
        case .labelled(let labelColumn, let valueColumn, _):
            let labelled = LabelledValue(parsing: key.element)
            columns = [labelColumn, valueColumn]
            values = [labelled.label, labelled.value]
        }
        if live {
            try db.run(
                sql: """
                    INSERT OR IGNORE INTO \(set.table) (\(set.ownerColumn), \(columns.joined(separator: ", ")))
                    VALUES (?\(String(repeating: ", ?", count: columns.count)))
                    """,
                arguments: StatementArguments([key.entityID] + values)
            )
        } else {
            try db.run(
                sql: "DELETE FROM \(set.table) WHERE \(set.ownerColumn) = ?"
                    + columns.map { " AND \($0) = ?" }.joined(),
                arguments: StatementArguments([key.entityID] + values)
            )
        }
    }

    /// Removes an entity that no applied change writes any more (one the retracted changes
    /// created): its plain row and its set rows; its kind stays claimed.
    private func dropIfUnwritten(_ id: String) throws {
        let written =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM changes c WHERE c.entity_id = ?
                    AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order))
                    """,
                arguments: [id]
            ) ?? false
        let declaration = try String.fetchOne(db, sql: "SELECT kind FROM entities WHERE id = ?", arguments: [id])
            .flatMap(schema.kind(named:)).flatMap(schema.declaration(of:))
        guard !written else {
            // Another node's writes keep it: its row names the earliest of them now.
            if let declaration { try EntityCreation.refresh(db, id: id, table: declaration.table) }
            return
        }
        if let declaration {
            for set in declaration.sets {
                try db.run(sql: "DELETE FROM \(set.table) WHERE \(set.ownerColumn) = ?", arguments: [id])
            }
            try db.run(sql: "DELETE FROM \(declaration.table) WHERE id = ?", arguments: [id])
        }
        try db.run(sql: "DELETE FROM set_elements WHERE entity_id = ?", arguments: [id])
        try db.run(sql: "DELETE FROM field_heads WHERE entity_id = ?", arguments: [id])
        // Its kind stays claimed: a change of another kind under this id is held on every node,
        // whether the revocation reached it before or after the entity's changes.
    }
}
