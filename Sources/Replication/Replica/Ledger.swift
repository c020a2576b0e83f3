import Foundation
import GRDB
import Model

/// The merge engine, bound to one write transaction.
///
/// It appends changes to the log and applies their effect on the field heads, set elements
/// and plain tables. Local writes and peers' changes take the same path (``append(_:)``), so
/// a replica's state depends only on which changes it holds, never on who wrote them.
/// Callers guarantee causal order: a change is appended only after every change its writer
/// had seen (local writes trivially; batches by their ``ChangeBatch/base`` and log order).
struct Ledger {
    let db: Database
    let local: NodeID
    let wallClock: @Sendable () -> UInt64
    private(set) var clock: HybridClock
    private var originRows: [NodeID: Int64] = [:]
    private var originNodes: [Int64: NodeID] = [:]
    private var maxSeq: [Int64: UInt64] = [:]
    /// Origins whose `max_seq` moved in this transaction (written by ``saveState()``).
    private var dirtyOrigins: Set<Int64> = []
    private var materializer: Materializer

    init(db: Database, local: NodeID, wallClock: @escaping @Sendable () -> UInt64) throws {
        self.db = db
        self.local = local
        self.wallClock = wallClock
        self.materializer = Materializer(db: db)
        let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT clock, max_drift_ms FROM node WHERE id = 1"))
        guard let row else { throw ReplicationError(.corrupt, "the replica has no node row") }
        clock = HybridClock(
            last: HybridTime(packed: row["clock"]),
            maximumDriftMilliseconds: UInt64(max(0, row["max_drift_ms"] as Int64))
        )
        for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, node_id, max_seq FROM origins")) {
            guard let node = NodeID(row["node_id"] as String) else {
                throw ReplicationError(.corrupt, "origins holds a malformed node id")
            }
            let id: Int64 = row["id"]
            originRows[node] = id
            originNodes[id] = node
            maxSeq[id] = UInt64(row["max_seq"] as Int64)
        }
    }

    /// Persists the clock's latest reading and each origin's new highest sequence number.
    /// Called once, at the end of every transaction that appended changes.
    func saveState() throws {
        try db.run(sql: "UPDATE node SET clock = ? WHERE id = 1", arguments: [clock.last.packed])
        for origin in dirtyOrigins {
            try db.run(
                sql: "UPDATE origins SET max_seq = ? WHERE id = ?",
                arguments: [Int64(maxSeq[origin] ?? 0), origin]
            )
        }
    }

    // MARK: Origins and the version vector

    var vector: VersionVector {
        var vector = VersionVector()
        for (row, seq) in maxSeq { if let node = originNodes[row] { vector[node] = seq } }
        return vector
    }

    func held(_ origin: NodeID) -> UInt64 {
        originRows[origin].flatMap { maxSeq[$0] } ?? 0
    }

    mutating func originRow(_ node: NodeID) throws -> Int64 {
        if let row = originRows[node] { return row }
        try db.run(sql: "INSERT INTO origins (node_id, max_seq) VALUES (?, 0)", arguments: [node.description])
        let row = db.lastInsertedRowID
        originRows[node] = row
        originNodes[row] = node
        maxSeq[row] = 0
        return row
    }

    func node(ofOrigin row: Int64) throws -> NodeID {
        guard let node = originNodes[row] else { throw ReplicationError(.corrupt, "unknown origin row \(row)") }
        return node
    }

    /// The local row of a change held here, by its id.
    func localOrder(of id: WriteID) throws -> Int64? {
        guard let origin = originRows[id.origin] else { return nil }
        return try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT local_order FROM changes WHERE origin = ? AND seq = ?"),
            arguments: [origin, Int64(id.seq)]
        )
    }

    // MARK: Stamping local writes

    /// Stamps a new local change: this node's next sequence number and clock reading.
    mutating func stamp(
        entity: EntityKind,
        entityID: EntityID,
        field: String,
        operation: Operation,
        value: String?,
        predecessors: [WriteID]
    ) -> Change {
        let time = clock.tick(now: wallClock())
        return Change(
            origin: local,
            seq: held(local) + 1,
            time: time,
            entity: entity,
            entityID: entityID,
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors
        )
    }

    /// A fresh entity id from this node's clock (unique across nodes and time).
    mutating func newEntityID() -> EntityID {
        let time = clock.tick(now: wallClock())
        return EntityID(milliseconds: time.milliseconds, counter: time.counter, node: local.discriminator)
    }

    // MARK: Appending

    /// What appending one change did.
    enum Effect {
        case duplicate
        case applied(openedConflict: Bool)
    }

    /// Appends a change to the log and applies it; skips one already held.
    ///
    /// Throws ``ReplicationError/Code/outOfOrder`` when the change skips a sequence number of
    /// its origin and ``ReplicationError/Code/clockTooFarAhead`` when it is stamped beyond the
    /// drift bound; the caller's transaction then rolls back.
    mutating func append(_ change: Change) throws -> Effect {
        let have = held(change.origin)
        if change.seq <= have { return .duplicate }
        guard change.seq == have + 1 else {
            throw ReplicationError(
                .outOfOrder,
                "change \(change.seq) of node \(change.origin) arrived before change \(have + 1)"
            )
        }
        if change.origin != local {
            let now = wallClock()
            guard clock.accepts(change.time, now: now) else {
                throw ReplicationError(
                    .clockTooFarAhead,
                    "node \(change.origin) sent a change stamped \(Timestamp.format(change.time.date)), more than \(clock.maximumDrift / 60000) minutes ahead of this node's clock; refusing it"
                )
            }
            clock.observe(change.time)
        }
        try validateShape(change)
        let origin = try originRow(change.origin)
        let predecessorRows = try change.predecessors.map { id -> Int64 in
            guard let row = try localOrder(of: id) else {
                throw ReplicationError(
                    .missingPrerequisites,
                    "change \(change.id) refers to change \(id), which this node does not hold"
                )
            }
            return row
        }
        try db.run(
            sql: """
                INSERT INTO changes (origin, seq, hlc, entity, entity_id, field, op, value, predecessors)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                origin, Int64(change.seq), change.time.packed, change.entity.rawValue,
                change.entityID.description, change.field, change.operation.name, change.value,
                Ledger.encodePredecessors(change.predecessors, rows: originRows),
            ]
        )
        let row = db.lastInsertedRowID
        maxSeq[origin] = change.seq
        dirtyOrigins.insert(origin)
        let opened = try materializer.apply(change, row: row, predecessorRows: predecessorRows)
        return .applied(openedConflict: opened)
    }

    /// Refuses a change whose entity, field and operation do not fit the catalog.
    private func validateShape(_ change: Change) throws {
        let ok: Bool
        switch change.operation {
        case .assign: ok = FieldCatalog.register(change.entity, change.field) != nil
        case .add, .remove: ok = FieldCatalog.set(change.entity, change.field) != nil && change.value != nil
        case .record: ok = FieldCatalog.isRecord(change.entity) && change.field.isEmpty && change.value != nil
        }
        guard ok else {
            throw ReplicationError(
                .unknownField,
                "change \(change.id) writes \(change.entity.rawValue).\(change.field) with \(change.operation.name), which this node does not know"
            )
        }
    }

    // MARK: Predecessor lists as stored

    /// `origin-row:seq` pairs separated by spaces (local rows, so they are short).
    static func encodePredecessors(_ ids: [WriteID], rows: [NodeID: Int64]) -> String {
        ids.compactMap { id in rows[id.origin].map { "\($0):\(id.seq)" } }.joined(separator: " ")
    }
}

extension Operation {
    /// The name stored in the `changes.op` column.
    var name: String {
        switch self {
        case .assign: "assign"
        case .add: "add"
        case .remove: "remove"
        case .record: "record"
        }
    }

    init?(name: String) {
        switch name {
        case "assign": self = .assign
        case "add": self = .add
        case "remove": self = .remove
        case "record": self = .record
        default: return nil
        }
    }
}

extension HybridTime {
    /// The physical part as a date.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000) }
}
