import Foundation
import Model
import Replication

/// A receiving replica and a trusted-but-hostile peer's hand-made changes.
final class HostileBatchFixture {
    let fixture = ReplicaFixture()
    let receiver: Replica
    /// The peer whose origin the hostile changes claim.
    let peer = ReplicaFixture.nodeID(9)
    private var seq: UInt64 = 0

    init(schema: FolderSchema = .standard) throws {
        receiver = try Replica.create(
            at: fixture.directory(1),
            nodeID: ReplicaFixture.nodeID(1),
            name: "receiver",
            schema: schema,
            wallClock: { SimulatedTime.epoch }
        )
    }

    var now: HybridTime { HybridTime(milliseconds: SimulatedTime.epoch, counter: 0) }

    /// The peer's next change (its origin and next seq), with defaults for the rest.
    func next(
        _ entity: EntityKind = .customer,
        id: EntityID? = nil,
        field: String = "name",
        operation: Replication.Operation = .assign,
        value: String? = "Acme Ltd",
        predecessors: [WriteID] = [],
        counter: UInt16? = nil
    ) -> Change {
        seq += 1
        let time = HybridTime(milliseconds: SimulatedTime.epoch - 1000, counter: counter ?? UInt16(seq))
        return Change(
            origin: peer,
            seq: seq,
            time: time,
            entity: entity,
            entityID: id ?? EntityID(milliseconds: time.milliseconds, counter: time.counter, node: peer.discriminator),
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors
        )
    }

    /// Applies the changes as one batch on the receiver (base: what it holds now).
    @discardableResult
    func deliver(_ changes: [Change]) throws -> ApplyOutcome {
        try receiver.apply(ChangeBatch(base: VersionVector(), changes: changes))
    }

    func held() throws -> [HeldChange] { try receiver.heldChanges() }
}
