import Foundation
import GRDB
import Model

/// What applying a batch did.
public struct ApplyOutcome: Sendable, Hashable {
    /// Changes new to this replica.
    public var applied: Int
    /// Changes it already held (skipped: applying twice is applying once).
    public var duplicates: Int
    /// Conflicts the batch opened.
    public var conflicts: Int
    /// Changes kept but not applied (`held list` shows them).
    public var held: Int
    /// Elisions: runs of changes a laptop will not receive (``Elision``).
    public var elided: Int

    public init(applied: Int = 0, duplicates: Int = 0, conflicts: Int = 0, held: Int = 0, elided: Int = 0) {
        self.applied = applied
        self.duplicates = duplicates
        self.conflicts = conflicts
        self.held = held
        self.elided = elided
    }
}

extension Replica {
    /// What this replica holds: the highest sequence number per origin.
    public func versionVector() throws -> VersionVector {
        try pool.read { db in try Replica.vector(db) }
    }

    static func vector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT node_id, max_seq FROM origins WHERE max_seq > 0") {
            guard let node = NodeID(row["node_id"] as String) else {
                throw ReplicationError(.corrupt, "origins holds a malformed node id")
            }
            vector[node] = UInt64(row["max_seq"] as Int64)
        }
        return vector
    }

    /// The next batch a peer holding `known` lacks: at most `maxChanges` changes and about
    /// `maxBytes` of values, the earliest in this replica's log order, with `base == known`.
    /// `nil` when the peer lacks nothing.
    ///
    /// Guarantees: the batch applies on any replica that holds `known` (its changes' causal
    /// past is in `known` or earlier in the batch). Cost grows with the batch, not with the
    /// replica: each origin is read through the `(origin, seq)` index from `known`'s entry.
    /// Feed the next call `known.advanced(by: batch)` to stream the whole delta. Each origin
    /// stops before the first of its numbers above `known` that this replica elided
    /// (``Elision``): a laptop never makes a peer's vector claim what it does not hold.
    ///
    /// `scope`: the peer is a laptop holding these customers' folders (docs/PROTOCOL.md,
    /// "Laptops hold only their customers"): a change of an entity another customer owns, or
    /// whose owner is not known here (``EntityOwners``), is not sent. With `elide` (an office
    /// sending: its grant is the fleet's word), each run of them of one origin is sent as one
    /// elision instead; without (a laptop sending to a laptop), the origin's stream stops
    /// before the first of them — the peer's vector never moves past a change it lacks on a
    /// laptop's word.
    public func nextBatch(
        after known: VersionVector,
        maxChanges: Int = 5000,
        maxBytes: Int = 4 << 20,
        scope: Set<String>? = nil,
        elide: Bool = true
    ) throws -> ChangeBatch? {
        try pool.read { db in
            // Every origin names nodes (a predecessor may name one whose changes this replica
            // never held); only those with changes are read.
            let origins = try Row.fetchAll(db, sql: "SELECT id, node_id, max_seq FROM origins")
            var nodes: [Int64: NodeID] = [:]
            var candidates: [(order: Int64, change: Change)] = []
            for origin in origins {
                guard let node = NodeID(origin["node_id"] as String) else {
                    throw ReplicationError(.corrupt, "origins holds a malformed node id")
                }
                nodes[origin["id"]] = node
            }
            for origin in origins {
                let row: Int64 = origin["id"]
                guard let node = nodes[row], UInt64(origin["max_seq"] as Int64) > known[node] else { continue }
                let stop = try Elision.firstElided(db, origin: row, above: known[node]).map { Int64($0) } ?? Int64.max
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT local_order, seq, hlc, entity, entity_id, field, op, value, predecessors, person
                        FROM changes WHERE origin = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT ?
                        """,
                    arguments: [row, Int64(known[node]), stop, maxChanges]
                )
                while let change = try rows.next() {
                    candidates.append(
                        (
                            change["local_order"],
                            try Replica.decodeChange(change, origin: node, nodes: nodes, schema: schema)
                        )
                    )
                }
            }
            guard !candidates.isEmpty else { return nil }
            candidates.sort { $0.order < $1.order }
            // A prefix in log order, cut by count and by the bytes of its values (at least one
            // change), so that every batch fits in one frame.
            var changes: [Change] = []
            var bytes = 0
            var owners = scope.map { _ in EntityOwners(db: db, schema: schema) }
            // Per origin, the run of changes left out so far: (first, last).
            var runs: [NodeID: (first: UInt64, last: UInt64)] = [:]
            // Origins whose stream stopped (not eliding).
            var stopped: Set<NodeID> = []
            for candidate in candidates.prefix(maxChanges) {
                let change = candidate.change
                if stopped.contains(change.origin) { continue }
                if let scope, owners != nil {
                    let owner = try owners!.owner(change.entity, change.entityID.description)
                    let inScope: Bool
                    switch owner {
                    case .shared: inScope = true
                    case .customer(let customer): inScope = scope.contains(customer)
                    case .unknown: inScope = false
                    }
                    if !inScope {
                        guard elide else {
                            stopped.insert(change.origin)
                            continue
                        }
                        if let run = runs[change.origin] {
                            runs[change.origin] = (run.first, change.seq)
                        } else {
                            runs[change.origin] = (change.seq, change.seq)
                        }
                        continue
                    }
                    if let run = runs.removeValue(forKey: change.origin) {
                        changes.append(
                            Elision.change(origin: change.origin, last: run.last, count: run.last - run.first + 1)
                        )
                    }
                }
                bytes += 64 + change.field.utf8.count + (change.value?.utf8.count ?? 0)
                if !changes.isEmpty && bytes > maxBytes { break }
                changes.append(change)
            }
            // The runs still open end the batch (each origin's are the last of its changes here).
            for (origin, run) in runs.sorted(by: { $0.key < $1.key }) {
                changes.append(Elision.change(origin: origin, last: run.last, count: run.last - run.first + 1))
            }
            return changes.isEmpty ? nil : ChangeBatch(base: known, changes: changes)
        }
    }

    static func decodeChange(_ row: Row, origin: NodeID, nodes: [Int64: NodeID], schema: FolderSchema) throws -> Change
    {
        guard let entity = schema.kind(named: row["entity"]),
            let entityID = EntityID(row["entity_id"] as String),
            let operation = Operation(name: row["op"])
        else { throw ReplicationError(.corrupt, "change \(origin.short)#\(row["seq"] as Int64) is malformed") }
        let predecessorText: String = row["predecessors"]
        var predecessors: [WriteID] = []
        if !predecessorText.isEmpty {
            for pair in predecessorText.split(separator: " ") {
                let parts = pair.split(separator: ":")
                guard parts.count == 2, let originRow = Int64(parts[0]), let seq = UInt64(parts[1]),
                    let node = nodes[originRow]
                else { throw ReplicationError(.corrupt, "malformed predecessor list '\(predecessorText)'") }
                predecessors.append(WriteID(origin: node, seq: seq))
            }
        }
        return Change(
            origin: origin,
            seq: UInt64(row["seq"] as Int64),
            time: HybridTime(packed: row["hlc"]),
            entity: entity,
            entityID: entityID,
            field: row["field"],
            operation: operation,
            value: row["value"],
            predecessors: predecessors,
            person: row.hasColumn("person") ? row["person"] : nil
        )
    }

    /// Applies a peer's batch atomically: all of it or, on any error, none of it.
    ///
    /// Changes already held are skipped, so applying a batch twice is applying it once. A
    /// change the gate refuses — an unknown kind, field or operation, a broken rule, a forged
    /// origin, numbers beyond bounds — is held (``heldChanges()``) and the rest of the batch
    /// goes on.
    /// A change stamped ahead of this node's clock is applied like any other (it moves the
    /// clock at most to the drift bound: ``HybridClock``). Refuses with
    /// ``ReplicationError/Code/missingPrerequisites`` when this replica lacks something the
    /// batch's `base` assumes.
    @discardableResult
    public func apply(_ batch: ChangeBatch) throws -> ApplyOutcome {
        try apply([batch])
    }

    /// Applies several batches, in order, in one transaction: all of them or none.
    @discardableResult
    public func apply(_ batches: [ChangeBatch]) throws -> ApplyOutcome {
        try pool.write { db in
            var ledger = try self.ledger(db)
            var outcome = ApplyOutcome()
            for batch in batches {
                let have = ledger.vector
                if let lacking = batch.base.entries.first(where: { have[$0.key] < $0.value }) {
                    throw ReplicationError(
                        .missingPrerequisites,
                        "the update assumes changes up to \(lacking.value) of node \(lacking.key), but this node holds up to \(have[lacking.key]); ask for a full update"
                    )
                }
                for change in batch.changes {
                    switch try ledger.append(change) {
                    case .duplicate: outcome.duplicates += 1
                    case .elided: outcome.elided += 1
                    case .applied(let opened):
                        outcome.applied += 1
                        if opened { outcome.conflicts += 1 }
                    case .held:
                        outcome.held += 1
                    }
                }
            }
            try ledger.saveState()
            return outcome
        }
    }
}

extension VersionVector {
    /// This vector after the batch's changes are held too.
    public func advanced(by batch: ChangeBatch) -> VersionVector {
        var result = self
        for change in batch.changes where change.seq > result[change.origin] { result[change.origin] = change.seq }
        return result
    }
}
