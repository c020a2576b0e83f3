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
    /// This node.
    let local: NodeID
    /// The origin this node's writes carry now: its node id, or the origin of its latest
    /// incarnation (begun when the replica was restored or copied). Only changes under it are
    /// this node's own; those of its earlier incarnations come back from peers like any other.
    /// Its bits make this node's entity ids unique: a copy of the folder (a new incarnation)
    /// never makes an id that the node made before the copy, or that the other copy makes, even
    /// with its clock set back.
    let origin: NodeID
    let schema: FolderSchema
    let wallClock: @Sendable () -> UInt64
    /// This node's role: an office may revoke for the fleet.
    let role: NodeRole
    /// Checks the signatures of revocations.
    let signatures: SignatureVerifier
    /// The revocations in force here.
    private(set) var revokedOrigins: RevokedOrigins
    private(set) var clock: HybridClock
    /// Who this node's writes in this transaction are by (``PersonName``): `Replica.write(as:)`
    /// sets it; by default the node's name.
    var person: String
    /// The last entity id's time: ids come from the clock but never repeat, even when the
    /// clock was pulled back to the drift bound.
    private var idClock: HybridTime
    private var idClockMoved = false
    private var originRows: [NodeID: Int64] = [:]
    private var originNodes: [Int64: NodeID] = [:]
    private var maxSeq: [Int64: UInt64] = [:]
    /// Origins whose `max_seq` moved in this transaction (written by ``saveState()``).
    private var dirtyOrigins: Set<Int64> = []
    private var materializer: Materializer
    private let gate: ChangeGate
    let held: HeldStore
    /// Whether changes wait aside for their turn (checked once per transaction).
    private var parked: Bool

    init(
        db: Database,
        local: NodeID,
        origin: NodeID? = nil,
        schema: FolderSchema,
        wallClock: @escaping @Sendable () -> UInt64,
        signatures: SignatureVerifier = .none
    ) throws {
        self.db = db
        self.local = local
        self.schema = schema
        self.wallClock = wallClock
        self.signatures = signatures
        self.gate = ChangeGate(schema: schema)
        self.held = HeldStore(db: db, schema: schema)
        self.materializer = Materializer(db: db, schema: schema)
        let row = try Row.fetchOne(
            try db.cachedStatement(
                sql: "SELECT clock, id_clock, max_drift_ms, role, origin, name FROM node WHERE id = 1"
            )
        )
        guard let row else { throw ReplicationError(.corrupt, "the replica has no node row") }
        // The stored origin, not one remembered by the caller: another process may have begun
        // a new incarnation since this one opened the replica.
        self.origin = origin ?? (row["origin"] as String?).flatMap(NodeID.init) ?? local
        role = NodeRole(rawValue: row["role"]) ?? .office
        person = PersonName.standingFor(node: row["name"])
        clock = HybridClock(
            last: HybridTime(packed: row["clock"]),
            maximumDriftMilliseconds: UInt64(max(0, row["max_drift_ms"] as Int64))
        )
        idClock = HybridTime(packed: row["id_clock"])
        for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, node_id, max_seq FROM origins")) {
            guard let node = NodeID(row["node_id"] as String) else {
                throw ReplicationError(.corrupt, "origins holds a malformed node id")
            }
            let id: Int64 = row["id"]
            originRows[node] = id
            originNodes[id] = node
            maxSeq[id] = UInt64(row["max_seq"] as Int64)
        }
        parked = try held.hasParked()
        revokedOrigins = try RevokedOrigins.load(db)
        materializer.creationsMayBeHeld = !revokedOrigins.isEmpty
    }

    /// Persists the clock's latest reading and each origin's new highest sequence number, and
    /// brings the search index up to the plain tables (``SearchIndex/flush(_:)``).
    /// Called once, at the end of every transaction that appended changes.
    func saveState() throws {
        try SearchIndex.flush(db)
        try db.run(sql: "UPDATE node SET clock = ? WHERE id = 1", arguments: [clock.last.packed])
        if idClockMoved {
            try db.run(sql: "UPDATE node SET id_clock = ? WHERE id = 1", arguments: [idClock.packed])
        }
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

    /// The local row of an origin this replica has seen, without adding one.
    func originRow(ifKnown node: NodeID) -> Int64? { originRows[node] }

    /// Every known origin by its local row.
    var originNodeMap: [Int64: NodeID] { originNodes }

    /// Puts a revocation in force for the changes appended from now on.
    mutating func addRevocation(_ entry: RevokedOrigins.Entry) throws {
        try revokedOrigins.add(entry, db)
        materializer.creationsMayBeHeld = true
    }

    /// See ``Materializer/forgetRows()``.
    mutating func forgetMaterializedRows() { materializer.forgetRows() }

    func node(ofOrigin row: Int64) throws -> NodeID {
        guard let node = originNodes[row] else { throw ReplicationError(.corrupt, "unknown origin row \(row)") }
        return node
    }

    /// The local row of a change held here, by its id.
    func localOrder(of id: WriteID) throws -> Int64? {
        guard let origin = originRows[id.origin], let seq = Int64(exactly: id.seq) else { return nil }
        return try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT local_order FROM changes WHERE origin = ? AND seq = ?"),
            arguments: [origin, seq]
        )
    }

    /// The change this replica logged under `(origin, seq)`, if any.
    func loggedChange(_ origin: NodeID, _ seq: UInt64) throws -> Change? {
        guard let row = originRows[origin], let number = Int64(exactly: seq),
            let stored = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT * FROM changes WHERE origin = ? AND seq = ?"),
                arguments: [row, number]
            )
        else { return nil }
        return try Replica.decodeChange(stored, origin: origin, nodes: originNodes, schema: schema)
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
            origin: origin,
            seq: held(origin) + 1,
            time: time,
            entity: entity,
            entityID: entityID,
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors,
            person: person
        )
    }

    /// A fresh entity id from this node's clock, later than every id this node made before
    /// (so unique across nodes and time, also after the clock was pulled back).
    mutating func newEntityID() -> EntityID {
        let time = max(clock.tick(now: wallClock()), idClock.successor)
        idClock = time
        idClockMoved = true
        return EntityID(milliseconds: time.milliseconds, counter: time.counter, node: origin.discriminator)
    }

    // MARK: Appending

    /// What appending one change did.
    enum Effect {
        case duplicate
        /// An elision a laptop recorded, or one it (or an office) passed over (``Elision``).
        case elided
        case applied(openedConflict: Bool)
        /// Kept, not applied: `held list` shows it (in the log and forwarded, unless it could
        /// not take its place there).
        case held(HeldReason)
    }

    /// Appends a change to the log and applies it; skips one already held; holds one the gate
    /// or the folder's rules refuse.
    ///
    /// Never throws for what a change says: a change with numbers beyond bounds, under this
    /// node's own origin, or out of order is held aside (not logged); one of an unknown kind,
    /// field or operation, one that breaks a rule, or one naming a predecessor nobody sent is
    /// logged (so it is forwarded unchanged) and held. A change stamped ahead of this node's
    /// clock is appended like any other. Throws only for a failing database.
    mutating func append(_ change: Change) throws -> Effect {
        if change.entity == Elision.kind { return try appendElision(change) }
        if let hold = ChangeGate.boundsViolation(change) {
            try held.keep(change, logged: nil, hold, at: wallClock())
            return .held(hold.reason)
        }
        let have = held(change.origin)
        if change.seq <= have {
            // Content is bound to the id: a different change under a number this replica holds
            // is a second copy of its node writing on (a clone, or a copy restored from an
            // earlier state), never mistaken for the one held.
            guard let stored = try loggedChange(change.origin, change.seq) else {
                // A change this laptop was told it would not receive, now sent (its folder was
                // assigned): it takes its place in the log.
                if let row = originRows[change.origin], try Elision.fill(db, origin: row, seq: change.seq) {
                    return try appendInOrder(change)
                }
                return .duplicate
            }
            guard !stored.hasSameContent(as: change) else {
                try learnPerson(of: change)
                return .duplicate
            }
            let hold = Hold(
                .clone,
                "node \(change.origin) wrote two different changes numbered \(change.seq): two copies of it are writing"
            )
            try held.keep(change, logged: nil, hold, at: wallClock())
            return .held(.clone)
        }
        if change.origin == origin {
            let hold = Hold(
                .ownOrigin,
                "change \(change.id) claims this node's origin, but this node wrote only up to \(have)"
            )
            try held.keep(change, logged: nil, hold, at: wallClock())
            return .held(.ownOrigin)
        }
        guard change.seq == have + 1 else {
            let hold = Hold(
                .outOfOrder,
                "change \(change.seq) of node \(change.origin) arrived before change \(have + 1); kept until it fits"
            )
            try held.keep(change, logged: nil, hold, at: wallClock())
            parked = true
            return .held(.outOfOrder)
        }
        let effect = try appendInOrder(change)
        if parked { try appendParked(after: change) }
        return effect
    }

    /// An elision (``Elision``): on a laptop, the run's numbers it lacks are recorded as elided
    /// and its vector moves past them; changes parked behind the run take their turn. An office
    /// never takes one (its log would claim changes it lacks), nor does a laptop for its own
    /// origin, a malformed one, or one that does not start at or before the origin's next
    /// number (nothing is recorded: the changes after it wait as out of order).
    private mutating func appendElision(_ change: Change) throws -> Effect {
        guard role == .laptop, change.origin != origin, let run = Elision.run(of: change) else { return .elided }
        let have = held(change.origin)
        guard run.upperBound > have else { return .duplicate }
        guard run.lowerBound <= have + 1 else { return .elided }
        let row = try originRow(change.origin)
        try Elision.record(db, origin: row, run: (have + 1)...run.upperBound)
        maxSeq[row] = run.upperBound
        dirtyOrigins.insert(row)
        if parked { try appendParked(after: change) }
        return .elided
    }

    /// A change this replica holds arrived again with its person, where the one logged came
    /// without (relayed through a node of an earlier release): the log learns who wrote it.
    /// The person is not content, so nothing else changes.
    private func learnPerson(of change: Change) throws {
        guard let person = change.person, PersonName.problem(person) == nil,
            let row = originRows[change.origin], let seq = Int64(exactly: change.seq)
        else { return }
        try db.run(
            sql: "UPDATE changes SET person = ? WHERE origin = ? AND seq = ? AND person IS NULL",
            arguments: [person, row, seq]
        )
    }

    /// Appends a write this node just stamped (``stamp(entity:entityID:field:operation:value:predecessors:)``),
    /// through the same gate and merge as a peer's change.
    mutating func appendLocal(_ change: Change) throws -> Effect {
        precondition(change.origin == origin && change.seq == held(origin) + 1, "a local write is stamped first")
        if let revocation = revokedOrigins.revoked(local), change.entity != .incarnation {
            throw ReplicationError(
                .revoked,
                "this node was revoked for the fleet at \(revocation.revokedAt) by office \(revocation.revokedBy.short) (\(revocation.reason)): it writes nothing more"
            )
        }
        return try appendInOrder(change)
    }

    /// Appends the change that is next in its origin's order (or this node's own new write).
    private mutating func appendInOrder(_ change: Change) throws -> Effect {
        // A stamp ahead of this node's clock is kept as it is (it orders concurrent writes the
        // same way on every node); it moves this clock no further than the drift bound.
        if change.origin != origin { clock.observe(change.time) }
        let origin = try originRow(change.origin)
        var predecessorRows: [Int64] = []
        var missing: [WriteID] = []
        for id in change.predecessors {
            if let row = try localOrder(of: id) {
                predecessorRows.append(row)
            } else {
                _ = try originRow(id.origin)  // so that the stored list names it
                missing.append(id)
            }
        }
        try db.run(
            sql: """
                INSERT INTO changes (origin, seq, hlc, entity, entity_id, field, op, value, predecessors, person)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                origin, Int64(change.seq), change.time.packed, schema.kind(code: change.entity.code).name,
                change.entityID.description, change.field, change.operation.name, change.value,
                Ledger.encodePredecessors(change.predecessors, rows: originRows),
                change.person.flatMap { PersonName.problem($0) == nil ? $0 : nil },
            ]
        )
        let row = db.lastInsertedRowID
        // A filled elision is below the origin's highest number: that stays.
        maxSeq[origin] = max(maxSeq[origin] ?? 0, change.seq)
        dirtyOrigins.insert(origin)
        var record: RecordObject?
        var hold =
            ChangeGate.predecessorViolation(change) ?? revokedOrigins.revocation(after: change).map {
                revokedHold(change, $0)
            }
            ?? gate.violation(change, record: &record)
        if hold == nil, let first = missing.first {
            hold = Hold(.missingPredecessor, "change \(change.id) names change \(first), which no node sent before it")
        }
        // Decisions and revocations are rare: read as Foundation's objects.
        let foundation =
            change.entity == .revocation || change.entity == .heldDecision
            ? record.map { $0.mapValues(\.foundation) } : nil
        if hold == nil, change.entity == .revocation, let foundation { hold = try authorityHold(change, foundation) }
        if let hold {
            try held.keep(change, logged: row, hold, at: wallClock())
            if hold.reason == .revoked { try claimKind(of: change) }
            return .held(hold.reason)
        }
        do {
            let opened = try materializer.apply(change, row: row, predecessorRows: predecessorRows, record: record)
            if change.entity == .heldDecision, let foundation { try carryOut(decision: foundation) }
            if change.entity == .revocation, let foundation { try enforce(revocation: foundation) }
            if change.entity == .customerMerge { try CustomerMerges.resolve(db) }
            if change.entity == .customer { try CustomerMerges.resolveIfNamed(db, change.entityID) }
            if change.entity == .contact { try Removal.noteForSearch(db, entityID: change.entityID.description) }
            return .applied(openedConflict: opened)
        } catch let hold as Hold {
            try held.keep(change, logged: row, hold, at: wallClock())
            return .held(hold.reason)
        }
    }

    /// Fixes the kind of the entity a revoked node's held change writes, as an applied change
    /// would: an entity's kind is that of the first change logged under its id, applied or held
    /// for a revocation, so a later change of another kind under the id is held on every node
    /// whether or not the revocation reached it first (``Retraction`` keeps the kind too).
    private func claimKind(of change: Change) throws {
        guard let declaration = schema.declaration(of: change.entity) else { return }
        try db.run(
            sql: "INSERT OR IGNORE INTO entities (id, kind) VALUES (?, ?)",
            arguments: [change.entityID.description, declaration.name]
        )
    }

    /// Appends the changes that waited aside for `change`, one after the other.
    private mutating func appendParked(after change: Change) throws {
        var next = change.seq + 1
        while true {
            var waiting = try held.takeParked(origin: change.origin, seq: next)
            guard !waiting.isEmpty else { return }
            // Two different changes parked under one id: the first in id order takes the place,
            // the other waits again (it will show as out of order behind a held duplicate).
            _ = try appendInOrder(waiting.removeFirst())
            for other in waiting {
                try held.keep(other, logged: nil, Hold(.outOfOrder, "a second change \(other.id)"), at: wallClock())
            }
            next += 1
        }
    }

    /// Carries out an office's decision on a held change: an acceptance applies it as it is
    /// (a drop only takes it off `held list`). A decision on a change this node does not hold
    /// changes nothing, nor does an acceptance of one no office may accept (of a kind, field or
    /// operation this release does not know: `held accept` refuses those here too).
    private mutating func carryOut(decision object: [String: Any]) throws {
        guard object["decision"] as? String == "accept", let text = object["origin"] as? String,
            let origin = NodeID(text), let seq = object["seq"].flatMap(RecordValue.integer), seq > 0,
            let row = try localOrder(of: WriteID(origin: origin, seq: UInt64(seq))),
            let reason = try String.fetchOne(
                db,
                sql: "SELECT reason FROM held_changes WHERE change = ?",
                arguments: [row]
            ),
            HeldReason(rawValue: reason)?.acceptable == true,
            let stored = try Row.fetchOne(db, sql: "SELECT * FROM changes WHERE local_order = ?", arguments: [row])
        else { return }
        let change = try Replica.decodeChange(stored, origin: origin, nodes: originNodes, schema: schema)
        _ = try applyHeld(change, row: row, force: true)
    }

    /// Applies a logged change that was held, now that it may be (an office accepted it, or an
    /// upgrade declares its kind): `force` skips the gate (an admin's acceptance).
    mutating func applyHeld(_ change: Change, row: Int64, force: Bool) throws -> Hold? {
        if !force, let hold = gate.violation(change) { return hold }
        // A change held for its release, made after a revocation that arrived meanwhile,
        // stays held once this release understands it (an office may still accept it).
        if !force, let revocation = revokedOrigins.revocation(after: change) { return revokedHold(change, revocation) }
        let record = change.entity == .revocation ? RecordJSON.object(change.value) : nil
        if !force, let record, let hold = try authorityHold(change, record) { return hold }
        var predecessorRows: [Int64] = []
        for id in change.predecessors {
            if let predecessor = try localOrder(of: id) { predecessorRows.append(predecessor) }
        }
        do {
            _ = try materializer.apply(change, row: row, predecessorRows: predecessorRows, late: true)
        } catch let hold as Hold {
            return hold
        }
        try held.release(logged: row)
        // Applied only now: it may be its entity's earliest applied write, when the entity's
        // creation is held (the materializer looked while it was still held).
        if materializer.creationsMayBeHeld, change.operation != .record,
            let declaration = schema.declaration(of: change.entity)
        {
            try EntityCreation.refresh(db, id: change.entityID.description, table: declaration.table)
        }
        if let record { try enforce(revocation: record) }
        if change.entity == .customerMerge { try CustomerMerges.resolve(db) }
        if change.entity == .customer { try CustomerMerges.resolveIfNamed(db, change.entityID) }
        if change.entity == .contact { try Removal.noteForSearch(db, entityID: change.entityID.description) }
        return nil
    }

    // MARK: Predecessor lists as stored

    /// `origin-row:seq` pairs separated by spaces (local rows, so they are short).
    static func encodePredecessors(_ ids: [WriteID], rows: [NodeID: Int64]) -> String {
        ids.compactMap { id in rows[id.origin].map { "\($0):\(id.seq)" } }.joined(separator: " ")
    }
}

extension HybridTime {
    /// The physical part as a date.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000) }
}
