import Model
import Replication

/// A change a replica keeps outside its log (`heldChanges()` lists it with `inLog == false`):
/// one claiming the replica's own origin, one with numbers beyond bounds, or one parked until
/// the gap before it in its origin's numbers fills.
struct AsideChange: Equatable {
    let change: Change
    let reason: HeldReason
}

/// What one replica must do with each change it receives, in order, derived from the rules and
/// not from the engine's code: docs/ARCHITECTURE.md (a change is identified by origin and seq,
/// each node numbering its writes without gaps; twice is once; a replica stores changes in
/// causal order) and the gate of this release as `HeldReason` and `Replica.apply` document it:
///
/// 1. a sequence number outside 1…2^63-1: kept aside, malformed (a predecessor's number out
///    of bounds does not stop its change taking its place in the log: see 5);
/// 2. a change it already holds (seq ≤ what it holds of the origin): skipped as a duplicate;
/// 3. a change under its own origin that it never made: kept aside, own-origin;
/// 4. a change that skips numbers of its origin: parked aside, out-of-order, and appended by
///    itself once the changes before it arrive;
/// 5. otherwise it takes its place in the log (so it is forwarded and the vector advances), and
///    is applied — or held, when a predecessor's number is out of bounds (malformed), this
///    release does not understand it, or it breaks a rule.
///
/// `outcome` counts the received changes only: a parked change appended later is not part of
/// the batch that filled its gap.
struct Reception {
    let own: NodeID
    let preview: Bool
    private(set) var vector: VersionVector
    private(set) var aside: [AsideChange]
    private(set) var outcome = ApplyOutcome()
    /// Forged changes that took a place in the log: the oracle records them once the apply
    /// commits, with the receiver's vector just before as what their "writer" had seen.
    private(set) var logged: [OracleWrite] = []
    /// Parked changes appended because their gap filled.
    private(set) var filled = 0
    /// Received preview writes this replica applied, and held.
    private(set) var previewApplied = 0
    private(set) var previewHeld = 0
    /// Received changes held for a revocation in force.
    private(set) var revokedHeld = 0
    private(set) var problems: [String] = []

    /// The largest sequence number a node writes (SQLite integers are signed).
    static let maximumSeq = UInt64(Int64.max)

    init(_ node: Simulation.Node) {
        own = node.origin
        preview = node.preview
        vector = node.held
        aside = node.aside
    }

    mutating func receive(_ change: Change, oracle: Oracle, forgeries: [Change: HeldReason]) {
        let bounds = 1...Self.maximumSeq
        if !bounds.contains(change.seq) {
            keepAside(change, .malformed)
        } else if change.seq <= vector[change.origin] {
            outcome.duplicates += 1
        } else if change.origin == own {
            keepAside(change, .ownOrigin)
        } else if change.seq != vector[change.origin] + 1 {
            keepAside(change, .outOfOrder)
        } else {
            append(change, oracle: oracle, forgeries: forgeries, counted: true)
            while let next = aside.firstIndex(where: {
                $0.reason == .outOfOrder && $0.change.origin == change.origin
                    && $0.change.seq == vector[change.origin] + 1
            }) {
                append(aside.remove(at: next).change, oracle: oracle, forgeries: forgeries, counted: false)
                filled += 1
            }
        }
    }

    private mutating func keepAside(_ change: Change, _ reason: HeldReason) {
        outcome.held += 1
        aside.removeAll { $0.change == change }
        aside.append(AsideChange(change: change, reason: reason))
    }

    private mutating func append(_ change: Change, oracle: Oracle, forgeries: [Change: HeldReason], counted: Bool) {
        let before = oracle.holding(vector, preview: preview)
        vector[change.origin] = change.seq
        let after = oracle.holding(vector, preview: preview)
        let write: OracleWrite
        if let known = oracle.write(change.id) {
            if let mismatch = known.mismatch(change) {
                problems.append("\(own.short) logged a changed write: \(mismatch)")
            }
            write = known
        } else if let reason = forgeries[change] {
            write = OracleWrite(change, context: before.vector, uptake: .nowhere(reason))
            logged.append(write)
        } else {
            problems.append("\(own.short) logged \(change.id), which nobody wrote or forged")
            return
        }
        if let reason = after.heldReason(write) {
            if reason == .revoked { revokedHeld += 1 }
            if write.uptake.isPreviewOnly { previewHeld += 1 }
            if counted { outcome.held += 1 }
            return
        }
        if write.uptake.isPreviewOnly { previewApplied += 1 }
        guard counted else { return }
        outcome.applied += 1
        if write.operation == .assign, oracle.heads(write.key, holding: before).count <= 1,
            oracle.heads(write.key, holding: after).count > 1
        {
            outcome.conflicts += 1
        }
    }
}
