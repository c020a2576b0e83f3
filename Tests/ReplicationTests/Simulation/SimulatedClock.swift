import Synchronization

/// The simulation's time: one shared "true" time, and per node a wall clock that reads it with
/// a skew. The simulation moves time on; nothing reads the system clock.
///
/// Skews start within ±``maximumSkew``; a clock jump (`Simulation.jumpClock`) sets one up to
/// ±``maximumJump``, beyond a receiver's drift bound (10 minutes), which must refuse nothing.
final class SimulatedTime: Sendable {
    /// 2026-01-01T00:00:00Z in Unix milliseconds.
    static let epoch: UInt64 = 1_767_225_600_000
    /// How far a node's wall clock may be from true time: 4 minutes.
    static let maximumSkew: Int64 = 4 * 60 * 1000
    /// How far a clock jump may set a node's wall clock off: 20 minutes.
    static let maximumJump: Int64 = 20 * 60 * 1000

    private let now = Mutex<UInt64>(SimulatedTime.epoch)

    /// True time in Unix milliseconds.
    var milliseconds: UInt64 { now.withLock { $0 } }

    /// Moves true time forward.
    func advance(by milliseconds: UInt64) { now.withLock { $0 += milliseconds } }
}

/// One node's wall clock: true time plus a skew that the simulation may change (a clock
/// corrected backwards while the node was down).
final class NodeClock: Sendable {
    private let time: SimulatedTime
    private let skew: Mutex<Int64>

    init(time: SimulatedTime, skew: Int64) {
        self.time = time
        self.skew = Mutex(skew)
    }

    var currentSkew: Int64 { skew.withLock { $0 } }

    func setSkew(_ value: Int64) { skew.withLock { $0 = value } }

    /// The wall-clock reading in Unix milliseconds.
    var milliseconds: UInt64 {
        let offset = skew.withLock { $0 }
        return UInt64(Int64(time.milliseconds) + offset)
    }

    /// The reading as the replica takes it.
    var reading: @Sendable () -> UInt64 { { [self] in milliseconds } }
}
