import GRDB
import Model

/// Any entity of a field kind, read through its declaration: what `nodectl entity show`
/// prints for kinds that have no command of their own.
public struct EntitySnapshot: Sendable, Hashable {
    public let kind: EntityKind
    public let id: EntityID
    /// Each declared register, in declaration order, with its current (winning) value.
    public let fields: [Field]
    /// Each declared set, in declaration order, with its elements sorted.
    public let sets: [SetValue]

    public struct Field: Sendable, Hashable {
        public let name: String
        public let value: String?
    }

    public struct SetValue: Sendable, Hashable {
        public let name: String
        public let elements: [String]
    }
}

extension Replica {
    /// The kind of an entity this replica has applied; ``ReplicationError/Code/unknownID``
    /// when none.
    public func kind(of id: EntityID) throws -> EntityKind {
        try pool.read { db in try Replica.kind(db, of: id, schema: schema) }
    }

    static func kind(_ db: Database, of id: EntityID, schema: FolderSchema) throws -> EntityKind {
        guard
            let name = try String.fetchOne(
                db,
                sql: "SELECT kind FROM entities WHERE id = ?",
                arguments: [id.description]
            ),
            let kind = schema.kind(named: name)
        else { throw ReplicationError(.unknownID, "nothing with id \(id) in this replica") }
        return kind
    }

    /// One entity of a field kind, as its plain tables show it.
    public func entity(_ id: EntityID) throws -> EntitySnapshot {
        try pool.read { db in
            let kind = try Replica.kind(db, of: id, schema: schema)
            guard let declaration = schema.declaration(of: kind), !declaration.isRecord else {
                throw ReplicationError(.unknownID, "\(id) is a \(kind.name), which has no editable fields")
            }
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM \(declaration.table) WHERE id = ?",
                    arguments: [id.description]
                )
            else { throw ReplicationError(.unknownID, "no \(kind.name) with id \(id)") }
            let fields = declaration.registers.map { EntitySnapshot.Field(name: $0.field, value: row[$0.column]) }
            let sets = try declaration.sets.map { set in
                let elements = try String.fetchAll(
                    db,
                    sql: "SELECT element FROM set_elements WHERE entity_id = ? AND field = ? AND removed_by IS NULL",
                    arguments: [id.description, set.field]
                )
                return EntitySnapshot.SetValue(name: set.field, elements: Array(Set(elements)).sorted())
            }
            return EntitySnapshot(kind: kind, id: id, fields: fields, sets: sets)
        }
    }
}

extension LocalWriter {
    /// Creates an entity of any field kind the schema declares, with its first fields
    /// (`values`: register name → value) and set elements; returns its new id. Refuses a kind
    /// of records, an unknown field, or a missing required field, and writes nothing then.
    public mutating func create(
        _ kind: EntityKind,
        values: [String: String],
        elements: [String: [String]] = [:]
    ) throws -> EntityID {
        let declaration = try declaration(kind)
        guard !declaration.isRecord else {
            throw ReplicationError(.unknownField, "a \(kind.name) is a record: it has its own command")
        }
        for field in values.keys.sorted() + elements.keys.sorted()
        where declaration.register(field) == nil && declaration.set(field) == nil {
            throw ReplicationError(
                .unknownField,
                "\(kind.name) has no field '\(field)' (fields: \(declaration.fieldNames.joined(separator: ", ")))"
            )
        }
        var stored: [(KindDeclaration.Register, String)] = []
        for register in declaration.registers {
            let value = values[register.field]
            guard let checked = try validated(value, for: register), !checked.isEmpty else { continue }
            stored.append((register, checked))
        }
        let id = ledger.newEntityID()
        for (register, value) in stored { try append(kind, id, register.field, .assign, value, []) }
        for field in elements.keys.sorted() {
            for element in elements[field] ?? [] { try add(kind, id, field: field, element: element) }
        }
        return id
    }
}
