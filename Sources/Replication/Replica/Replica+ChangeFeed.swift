import Foundation
import GRDB
import Model

/// One applied write, as `nodectl changes` lists it: which folder, what, the value, who, when.
public struct FeedEntry: Sendable, Hashable {
    /// The write's clock reading: when it was made, by its node's clock.
    public let time: HybridTime
    /// The customer whose folder the written entity is in now; `nil` for a record outside any
    /// folder (a held-change decision, an incarnation, a revocation).
    public let customerID: String?
    /// The entity's kind, as the log names it (`customer`, `contact`, `journal`, ...).
    public let entity: String
    public let entityID: String
    /// The field written; empty for a record.
    public let field: String
    public let operation: Operation
    public let value: String?
    public let by: WriteAuthor
}

extension Replica {
    /// The applied writes from `since` on (all when `nil`), of one customer's folder (the
    /// customer, its contacts and every record that names it, and the same of every customer
    /// merged into it; a merged customer's id leads to the folder it shows in) or of all, oldest first by clock
    /// (then log order); with `limit`, the newest `limit` of them, still oldest first.
    ///
    /// Reads the log by an index, never by a scan: all folders through `changes_by_time`
    /// (`hlc`), from `since` (or, with `limit`, backwards from the newest); one folder through
    /// `changes_by_entity` (`entity_id`), for each of its entities. Held changes are left out
    /// (they changed no folder). ``ReplicationError/Code/unknownID`` for a customer this
    /// replica holds no write of.
    public func changeFeed(since: Date? = nil, customer: EntityID? = nil, limit: Int? = nil) throws -> [FeedEntry] {
        try pool.read { db in
            if let customer,
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM entities WHERE id = ? AND kind = 'customer')",
                    arguments: [customer.description]
                ) != true
            {
                throw ReplicationError(.unknownID, "no customer \(customer)")
            }
            let directory = try AuthorDirectory(db)
            let query = Replica.changeFeedQuery(schema: schema, since: since, customer: customer, limit: limit)
            var entries: [FeedEntry] = []
            let rows = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
            while let row = try rows.next() {
                entries.append(
                    FeedEntry(
                        time: HybridTime(packed: row["hlc"]),
                        customerID: row["customer_id"],
                        entity: row["entity"],
                        entityID: row["entity_id"],
                        field: row["field"],
                        operation: Operation(name: row["op"]) ?? .unknown(255),
                        value: row["value"],
                        by: try directory.author(originRow: row["origin"], person: row["person"])
                    )
                )
            }
            return limit == nil ? entries : entries.reversed()
        }
    }

    /// The SQL of ``changeFeed(since:customer:limit:)`` (a test shows its query plan).
    static func changeFeedQuery(
        schema: FolderSchema,
        since: Date?,
        customer: EntityID?,
        limit: Int?
    ) -> (sql: String, arguments: StatementArguments) {
        // The folder of each kind: its own id for a customer; for another kind, the column of
        // its reference to a customer (a contact's register, a record's member), or of its
        // reference to an entity of a kind that has one (a withdrawal names its document).
        struct FolderPath {
            /// The kind, as the log names it.
            let kind: String
            /// The customer of the entity `c.entity_id`.
            let customerOf: String
            /// The ids of this kind in the folder `?`.
            let members: String
        }
        func reference(_ declaration: KindDeclaration, to kind: EntityKind) -> String? {
            declaration.registers.first { $0.rule == .entity(kind) }?.column
                ?? declaration.recordFields?.first { $0.value == .entity(kind) }?.column
        }
        var direct: [EntityKind: (table: String, column: String)] = [:]
        var paths: [FolderPath] = []
        for declaration in schema.declarations where declaration.kind != .customer {
            guard let column = reference(declaration, to: .customer) else { continue }
            direct[declaration.kind] = (declaration.table, column)
            paths.append(
                FolderPath(
                    kind: declaration.name,
                    customerOf: "(SELECT \(column) FROM \(declaration.table) WHERE id = c.entity_id)",
                    members: "SELECT id FROM \(declaration.table) WHERE \(column) = ?"
                )
            )
        }
        for declaration in schema.declarations where declaration.kind != .customer && direct[declaration.kind] == nil {
            // The first kind in the schema's order that it refers to and that is in a folder.
            guard
                let (link, via) = schema.declarations.lazy.compactMap({ target in
                    direct[target.kind].flatMap { via in reference(declaration, to: target.kind).map { ($0, via) } }
                }).first
            else { continue }
            let table = declaration.table
            paths.append(
                FolderPath(
                    kind: declaration.name,
                    customerOf: "(SELECT o.\(via.column) FROM \(table) x JOIN \(via.table) o ON o.id = x.\(link) "
                        + "WHERE x.id = c.entity_id)",
                    members: "SELECT x.id FROM \(table) x JOIN \(via.table) o ON o.id = x.\(link) "
                        + "WHERE o.\(via.column) = ?"
                )
            )
        }
        var written = "CASE c.entity WHEN 'customer' THEN c.entity_id"
        for path in paths { written += " WHEN '\(path.kind)' THEN \(path.customerOf)" }
        written += " END"
        // A merged customer's folder shows in the one it was merged into (``CustomerMerges``).
        let customerOf = "coalesce((SELECT m.merged_into FROM customers m WHERE m.id = \(written)), \(written))"

        var conditions = ["NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)"]
        var arguments: StatementArguments = []
        if let customer {
            // One folder: its entities' writes through the entity index; the time is only a
            // filter here (`+` keeps SQLite from reading by time instead).
            // The customer's folder: the customer (the one its id leads to after merges), every
            // customer merged into it, and their entities.
            let folder = "SELECT coalesce(merged_into, id) FROM customers WHERE id = ?"
            let merged = "SELECT id FROM customers WHERE merged_into = (\(folder))"
            var members = ["\(folder)", merged]
            _ = arguments.append(contentsOf: [customer.description, customer.description])
            for path in paths {
                members.append(path.members.replacingOccurrences(of: "= ?", with: "IN (\(folder) UNION ALL \(merged))"))
                _ = arguments.append(contentsOf: [customer.description, customer.description])
            }
            conditions.append("c.entity_id IN (\(members.joined(separator: " UNION ALL ")))")
            if let since {
                conditions.append("+c.hlc >= ?")
                _ = arguments.append(contentsOf: [Replica.packedStart(of: since)])
            }
        } else if let since {
            conditions.append("c.hlc >= ?")
            _ = arguments.append(contentsOf: [Replica.packedStart(of: since)])
        }
        var sql = """
            SELECT c.origin, c.hlc, c.entity, c.entity_id, c.field, c.op, c.value, c.person,
                \(customerOf) AS customer_id
            FROM changes c
            WHERE \(conditions.joined(separator: " AND "))
            """
        if let limit {
            sql += " ORDER BY c.hlc DESC, c.local_order DESC LIMIT ?"
            _ = arguments.append(contentsOf: [max(0, limit)])
        } else {
            sql += " ORDER BY c.hlc, c.local_order"
        }
        return (sql, arguments)
    }

    /// The first clock reading at or after `date` (its milliseconds, counter 0), packed.
    static func packedStart(of date: Date) -> Int64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.up)
        guard milliseconds > 0 else { return 0 }
        let bounded = min(milliseconds, Double(ChangeGate.maximumMilliseconds))
        return HybridTime(milliseconds: UInt64(bounded), counter: 0).packed
    }
}
