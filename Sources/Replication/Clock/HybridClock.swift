/// A hybrid logical clock (Kulkarni et al.), bounded by the wall clock: readings follow
/// physical time when it moves on, come after every reading this node gave out or observed —
/// as long as those lie within ``maximumDrift`` of physical time — and never run further ahead
/// of physical time than that bound.
///
/// The bound is what keeps one wrong clock from ruling the fleet:
/// - A peer's stamp moves this clock at most to physical time plus the bound
///   (``observe(_:now:)``), so a node minutes fast cannot push its peers ahead, and skew does
///   not spread from hop to hop.
/// - A clock that ran ahead — the wall clock was fast and has been fixed, or a persisted
///   reading came from a fast clock — is pulled back to the bound on the next reading
///   (``tick(now:)``), so the node recovers by itself once its wall clock is right.
///
/// Readings of one node are therefore increasing except across such a correction. Nothing
/// depends on more: which write of a field supersedes which is decided by causality (each
/// change names the writes its writer had seen), and stamps only order concurrent writes.
///
/// A value type: the replica persists ``last`` with every write it stamps, so a reopened
/// replica continues after the last reading it gave out even if the wall clock went back.
public struct HybridClock: Sendable {
    /// The latest reading given out or observed (within the bound).
    public private(set) var last: HybridTime
    /// How far ahead of physical time a reading may run, in milliseconds.
    public var maximumDrift: UInt64

    public init(last: HybridTime = .zero, maximumDriftMilliseconds: UInt64 = 10 * 60 * 1000) {
        self.last = last
        self.maximumDrift = maximumDriftMilliseconds
    }

    /// The latest reading allowed at physical time `now`.
    public func ceiling(now: UInt64) -> HybridTime {
        HybridTime(milliseconds: now &+ maximumDrift, counter: 0)
    }

    /// A new reading for a local event at physical time `now`: later than every earlier one,
    /// unless those ran beyond the bound, which is then forgotten.
    public mutating func tick(now: UInt64) -> HybridTime {
        let ceiling = ceiling(now: now)
        if last > ceiling { last = ceiling }
        if now > last.milliseconds {
            last = HybridTime(milliseconds: now, counter: 0)
        } else if last.counter == UInt16.max {
            last = HybridTime(milliseconds: last.milliseconds + 1, counter: 0)
        } else {
            last = HybridTime(milliseconds: last.milliseconds, counter: last.counter + 1)
        }
        return last
    }

    /// Whether a remote reading is within the drift bound of physical time `now`.
    public func isWithinBound(_ remote: HybridTime, now: UInt64) -> Bool {
        remote.milliseconds <= now &+ maximumDrift
    }

    /// Takes in a remote reading so that later local readings come after it — or, for a
    /// reading beyond the bound, after the bound only.
    public mutating func observe(_ remote: HybridTime, now: UInt64) {
        let adopted = min(remote, ceiling(now: now))
        if adopted > last { last = adopted }
    }
}
