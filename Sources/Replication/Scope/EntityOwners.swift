import Foundation
import GRDB
import Model

/// Which customer each entity belongs to, read from the plain tables through the schema's
/// declarations: what decides whether a change goes to a laptop (``Replica/nextBatch(after:maxChanges:maxBytes:scope:)``).
///
/// - A customer belongs to itself.
/// - A kind whose table has a `customer_id` column belongs to that customer (a to-do without
///   one is shared).
/// - A kind whose record (or register) names an entity of another kind — a quote's decision its
///   quote, a service note its call, a to-do's completion its to-do — belongs where that entity
///   belongs.
/// - Every other kind is shared by the fleet: items, campaigns and their members, assignments,
///   revocations, incarnations, decisions on held changes, resolutions of exceptions, and
///   customer merges (two ids, so that a laptop holding either folder merges it).
/// - An entity whose row this replica does not hold (a held change's, a kind of a newer
///   release) has no known owner: it is not sent to a laptop (the offices hold it).
struct EntityOwners {
    enum Owner: Hashable {
        case shared
        case customer(String)
        case unknown
    }

    /// How a kind's owner is found.
    enum Rule: Hashable {
        case itself
        case column(table: String, column: String)
        case parent(table: String, column: String, kind: EntityKind)
        case shared
    }

    let db: Database
    let schema: FolderSchema
    private var cache: [String: Owner] = [:]

    init(db: Database, schema: FolderSchema) {
        self.db = db
        self.schema = schema
    }

    /// The kinds shared by the fleet although their records name a customer.
    static let sharedKinds: Set<EntityKind> = [.customerMerge]

    static func rule(_ kind: EntityKind, in schema: FolderSchema) -> Rule? {
        if kind == .customer { return .itself }
        if sharedKinds.contains(kind) { return .shared }
        guard let declaration = schema.declaration(of: kind) else { return nil }
        let columns =
            declaration.registers.map { ($0.column, Self.entityKind(of: $0.rule)) }
            + (declaration.recordFields ?? []).map { ($0.column, Self.entityKind(of: $0.value)) }
        if columns.contains(where: { $0.0 == "customer_id" }) {
            return .column(table: declaration.table, column: "customer_id")
        }
        if let parent = columns.first(where: { $0.1 != nil && $0.1 != kind }), let parentKind = parent.1 {
            return .parent(table: declaration.table, column: parent.0, kind: parentKind)
        }
        return .shared
    }

    private static func entityKind(of rule: FieldRule) -> EntityKind? {
        if case .entity(let kind) = rule { return kind }
        return nil
    }

    private static func entityKind(of value: KindDeclaration.RecordField.Value) -> EntityKind? {
        if case .entity(let kind) = value { return kind }
        return nil
    }

    /// The owner of entity `id` of `kind`.
    mutating func owner(_ kind: EntityKind, _ id: String) throws -> Owner {
        if let known = cache[id] { return known }
        let owner: Owner
        switch Self.rule(kind, in: schema) {
        case nil: owner = .unknown
        case .itself: owner = .customer(id)
        case .shared: owner = .shared
        case .column(let table, let column):
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(column) AS owner FROM \(table) WHERE id = ?"),
                arguments: [id]
            )
            if let row {
                owner = (row["owner"] as String?).map(Owner.customer) ?? .shared
            } else {
                owner = .unknown
            }
        case .parent(let table, let column, let parentKind):
            if let parent = try String.fetchOne(
                db.cachedStatement(sql: "SELECT \(column) FROM \(table) WHERE id = ?"),
                arguments: [id]
            ) {
                owner = try self.owner(parentKind, parent)
            } else {
                owner = .unknown
            }
        }
        cache[id] = owner
        return owner
    }

    /// The ids of every entity `customers` own, of every kind of the schema (and the customers
    /// themselves): what a laptop newly given those folders must receive whole.
    static func entities(of customers: Set<String>, _ db: Database, schema: FolderSchema) throws -> Set<String> {
        var owned: [EntityKind: Set<String>] = [.customer: customers]
        /// The ids of `table`'s rows whose `column` is one of `values`.
        func rows(of table: String, where column: String, in values: Set<String>) throws -> Set<String> {
            var result = Set<String>()
            for chunk in Array(values).chunked(500) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                result.formUnion(
                    try String.fetchAll(
                        db,
                        sql: "SELECT id FROM \(table) WHERE \(column) IN (\(marks))",
                        arguments: StatementArguments(chunk)
                    )
                )
            }
            return result
        }
        func ids(_ kind: EntityKind) throws -> Set<String> {
            if let known = owned[kind] { return known }
            var result = Set<String>()
            switch rule(kind, in: schema) {
            case .column(let table, let column):
                result = try rows(of: table, where: column, in: customers)
            case .parent(let table, let column, let parentKind):
                result = try rows(of: table, where: column, in: try ids(parentKind))
            case .itself, .shared, nil: break
            }
            owned[kind] = result
            return result
        }
        var all = Set<String>()
        for declaration in schema.declarations { all.formUnion(try ids(declaration.kind)) }
        return all
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
