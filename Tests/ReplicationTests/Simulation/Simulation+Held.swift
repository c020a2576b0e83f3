import Model
import Replication

/// What a replica holds instead of applying, as `heldChanges()` lists it.
extension Simulation {
    /// `heldChanges()` lists exactly what the oracle says node `n` holds: every change in its
    /// log that it does not apply (a preview write on a standard node, a forged change that
    /// breaks a rule, a revoked node's change made after its revocation), and every change it
    /// keeps aside (own-origin and malformed forgeries,
    /// changes parked until a gap fills). Nothing is decided on in the simulation, so nothing
    /// held leaves the list but by being applied.
    func checkHeld(_ n: Int) throws {
        let listed = try replica(n).heldChanges().map { held in
            HeldLine(
                origin: held.origin,
                seq: held.seq,
                reason: held.reason,
                inLog: held.inLog,
                what: "\(held.entityID)/\(held.field) \(held.operation) \(quoted(held.value))"
            )
        }
        let holding = holding(n)
        // A write held for its release and made after a revocation lists either reason: the
        // one it was first held for stands (an upgrade or a revocation does not relabel it).
        var alternatives: [String: String] = [:]
        var expected: [HeldLine] = []
        for write in oracle.writes where holding.vector.contains(write.id) {
            guard let reason = holding.heldReason(write) else { continue }
            let line = HeldLine(
                write.id,
                write.entityID,
                write.field,
                write.operation,
                write.value,
                reason,
                inLog: true
            )
            expected.append(line)
            if reason == .revoked, let other = write.uptake.heldReason(preview: holding.preview) {
                alternatives[line.text] =
                    HeldLine(write.id, write.entityID, write.field, write.operation, write.value, other, inLog: true)
                    .text
            }
        }
        expected += nodes[n].aside.map { aside in
            let change = aside.change
            return HeldLine(
                change.id,
                change.entityID,
                change.field,
                change.operation,
                change.value,
                aside.reason,
                inLog: false
            )
        }
        let have = listed.map(\.text).sorted()
        let want = expected.map { line in
            alternatives[line.text].flatMap { have.contains($0) ? $0 : nil } ?? line.text
        }.sorted()
        guard have != want else { return }
        problem(
            "n\(n) lists held changes \(have.filter { !want.contains($0) }) it should not, and not \(want.filter { !have.contains($0) })"
        )
    }
}

/// One held change, rendered so that listed and predicted ones compare.
private struct HeldLine {
    let origin: NodeID
    /// `nil` for a sequence number beyond what a node writes (`HeldChange.seq` documents it).
    let seq: UInt64?
    let reason: HeldReason
    let inLog: Bool
    let what: String

    init(origin: NodeID, seq: UInt64?, reason: HeldReason, inLog: Bool, what: String) {
        self.origin = origin
        self.seq = seq
        self.reason = reason
        self.inLog = inLog
        self.what = what
    }

    init(
        _ id: WriteID,
        _ entityID: EntityID,
        _ field: String,
        _ operation: Replication.Operation,
        _ value: String?,
        _ reason: HeldReason,
        inLog: Bool
    ) {
        self.init(
            origin: id.origin,
            seq: id.seq <= Reception.maximumSeq ? id.seq : nil,
            reason: reason,
            inLog: inLog,
            what: "\(entityID)/\(field) \(operation.name) \(quoted(value))"
        )
    }

    var text: String {
        "\(origin.short)#\(seq.map { "\($0)" } ?? "beyond bounds") \(reason.rawValue) \(inLog ? "in the log" : "aside"): \(what)"
    }
}
