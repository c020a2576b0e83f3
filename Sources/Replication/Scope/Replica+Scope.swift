import Foundation
import GRDB
import Model

/// The most customers one laptop holds: what one hello extension of 16-byte ids carries.
public let maximumLaptopCustomers = 4_000

extension Replica {
    /// The customers whose folders the laptop `node` holds, as this replica's assignment
    /// records decide (docs/PROTOCOL.md, "Laptops hold only their customers"): each customer
    /// assigned to it, and every customer of the same folder (merged into it, or it into them).
    public func scopeGrant(for node: NodeID) throws -> Set<String> {
        try pool.read { db in try Self.scopeGrant(db, node: node) }
    }

    static func scopeGrant(_ db: Database, node: NodeID) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db,
                sql: """
                    WITH assigned AS (SELECT customer_id FROM assignments WHERE node = ?),
                    folders AS (
                        SELECT coalesce(c.merged_into, a.customer_id) AS folder
                        FROM assigned a LEFT JOIN customers c ON c.id = a.customer_id
                    )
                    SELECT id FROM customers WHERE id IN folders OR merged_into IN folders
                    UNION SELECT customer_id FROM assigned
                    """,
                arguments: [node.description]
            )
        )
    }

    /// On a laptop: the customers whose whole history it holds (`scope_customers`).
    public func heldScope() throws -> Set<String> {
        try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT customer_id FROM scope_customers")) }
    }

    /// On a laptop: how far its scope is whole (`scope_complete`): every change of every
    /// customer in ``heldScope()`` numbered at or below this vector is here.
    public func scopeComplete() throws -> VersionVector {
        try pool.read { db in
            var vector = VersionVector()
            for row in try Row.fetchAll(db, sql: "SELECT node_id, seq FROM scope_complete") {
                if let node = NodeID(row["node_id"] as String) { vector[node] = UInt64(row["seq"] as Int64) }
            }
            return vector
        }
    }

    /// On a laptop, after a session with an office finished: the office sent every change it
    /// held (as of its hello, `officeHeld`) of every customer it granted that the laptop
    /// lacked, so the laptop holds those customers whole through the componentwise minimum of
    /// what the office held and what the laptop holds now — and holds no other customer whole
    /// any more (one no longer granted was unassigned: its later changes are elided).
    public func recordScope(granted: Set<String>, officeHeld: VersionVector) throws {
        let ids = String(decoding: try JSONEncoder().encode(granted.sorted()), as: UTF8.self)
        try pool.write { db in
            let complete = officeHeld.meet(try Replica.vector(db))
            try db.execute(
                sql: "DELETE FROM scope_customers WHERE customer_id NOT IN (SELECT value FROM json_each(?))",
                arguments: [ids]
            )
            try db.execute(
                sql: "INSERT OR IGNORE INTO scope_customers (customer_id, since) SELECT value, ? FROM json_each(?)",
                arguments: [Timestamp.format(Date()), ids]
            )
            try db.execute(sql: "DELETE FROM scope_complete")
            for (node, seq) in complete.entries {
                try db.execute(
                    sql: "INSERT INTO scope_complete (node_id, seq) VALUES (?, ?)",
                    arguments: [node.description, Int64(seq)]
                )
            }
        }
    }

    /// The log positions of the changes of `customers`' folders numbered above `complete` and at
    /// or below `known`, in log order: what a laptop holding `known` lacks of them below its
    /// vector — all of a folder newly given to it (`complete` empty), and of the folders it
    /// holds what it holds whole only through `complete` (another office elided what this one
    /// had not received yet). Empty when `complete` covers `known`.
    public func folderHistory(
        of customers: Set<String>,
        below known: VersionVector,
        above complete: VersionVector = VersionVector()
    ) throws -> [Int64] {
        guard !customers.isEmpty, !complete.dominates(known) else { return [] }
        return try pool.read { db in
            let entities = try EntityOwners.entities(of: customers, db, schema: schema)
            var windows: [Int64: (above: UInt64, below: UInt64)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, node_id FROM origins") {
                if let node = NodeID(row["node_id"] as String) { windows[row["id"]] = (complete[node], known[node]) }
            }
            var orders: [Int64] = []
            let statement = try db.cachedStatement(
                sql: "SELECT local_order, origin, seq FROM changes WHERE entity_id = ?"
            )
            for entity in entities {
                for row in try Row.fetchAll(statement, arguments: [entity]) {
                    let seq = UInt64(row["seq"] as Int64)
                    guard let window = windows[row["origin"]] else { continue }
                    if seq > window.above && seq <= window.below { orders.append(row["local_order"]) }
                }
            }
            return orders.sorted()
        }
    }

    /// The logged changes at these log positions, in the order given.
    public func changes(at orders: some Collection<Int64>) throws -> [Change] {
        try pool.read { db in
            var nodes: [Int64: NodeID] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, node_id FROM origins") {
                if let node = NodeID(row["node_id"] as String) { nodes[row["id"]] = node }
            }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT local_order, origin, seq, hlc, entity, entity_id, field, op, value, predecessors, person
                    FROM changes WHERE local_order = ?
                    """
            )
            var changes: [Change] = []
            for order in orders {
                guard let row = try Row.fetchOne(statement, arguments: [order]) else { continue }
                guard let origin = nodes[row["origin"]] else {
                    throw ReplicationError(.corrupt, "change \(order) names an unknown origin")
                }
                changes.append(try Replica.decodeChange(row, origin: origin, nodes: nodes, schema: schema))
            }
            return changes
        }
    }

    /// Whether the document with these bytes belongs to one of `customers` (a laptop may be
    /// sent its bytes).
    public func document(digest: String, ownedByOneOf customers: Set<String>) throws -> Bool {
        try pool.read { db in
            var owners = EntityOwners(db: db, schema: schema)
            for id in try String.fetchAll(db, sql: "SELECT id FROM documents WHERE digest = ?", arguments: [digest]) {
                if case .customer(let customer) = try owners.owner(.document, id), customers.contains(customer) {
                    return true
                }
            }
            return false
        }
    }
}
