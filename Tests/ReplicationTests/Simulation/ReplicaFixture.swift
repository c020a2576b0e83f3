import Foundation
import Model
import Replication

/// Replicas in a temporary folder, each with a simulated wall clock; the folder is removed
/// when the fixture goes away.
final class ReplicaFixture {
    let time = SimulatedTime()
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nextsoft-replica-\(UUID().uuidString)")
    private(set) var clocks: [NodeClock] = []

    deinit { try? FileManager.default.removeItem(at: root) }

    static func nodeID(_ byte: UInt8) -> NodeID { NodeID(digest: [UInt8](repeating: byte, count: 32)) }

    func directory(_ index: Int) -> URL { root.appendingPathComponent("node-\(index)") }

    /// A new replica whose wall clock reads the fixture's time plus `skew` milliseconds.
    func node(_ index: Int, skew: Int64 = 0) throws -> Replica {
        let clock = NodeClock(time: time, skew: skew)
        clocks.append(clock)
        return try Replica.create(
            at: directory(index),
            nodeID: ReplicaFixture.nodeID(UInt8(index)),
            name: "node \(index)",
            wallClock: clock.reading
        )
    }

    /// Sends everything `target` lacks from `source` in one batch.
    @discardableResult
    func sync(_ source: Replica, to target: Replica) throws -> ApplyOutcome {
        guard let batch = try source.nextBatch(after: try target.versionVector()) else { return ApplyOutcome() }
        return try target.apply(batch)
    }

    /// A customer made on `replica` and sent to `others`.
    func customer(on replica: Replica, sharedWith others: [Replica] = []) throws -> EntityID {
        let id = try replica.write { try $0.createCustomer(name: "Acme Ltd") }
        for other in others { try sync(replica, to: other) }
        return id
    }
}
