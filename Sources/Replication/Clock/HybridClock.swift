/// A hybrid logical clock (Kulkarni et al.): readings follow physical time when it moves on,
/// never go backwards, and are always later than every reading this node has observed.
///
/// A value type: the replica persists ``last`` with every write it stamps, so a reopened
/// replica continues after the last reading it gave out even if the wall clock went back.
public struct HybridClock: Sendable {
    /// The latest reading given out or observed.
    public private(set) var last: HybridTime
    /// How far ahead of local physical time a remote reading may be before it is refused.
    public var maximumDrift: UInt64

    public init(last: HybridTime = .zero, maximumDriftMilliseconds: UInt64 = 10 * 60 * 1000) {
        self.last = last
        self.maximumDrift = maximumDriftMilliseconds
    }

    /// A new reading, later than every earlier one, for a local event at physical time `now`.
    public mutating func tick(now: UInt64) -> HybridTime {
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
    public func accepts(_ remote: HybridTime, now: UInt64) -> Bool {
        remote.milliseconds <= now &+ maximumDrift
    }

    /// Takes in a remote reading so that later local readings come after it. The caller checks
    /// ``accepts(_:now:)`` first; a reading beyond the bound is never adopted.
    public mutating func observe(_ remote: HybridTime) {
        if remote > last { last = remote }
    }
}
