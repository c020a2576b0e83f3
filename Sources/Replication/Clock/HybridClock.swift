/// A hybrid logical clock (Kulkarni et al.), bounded by the wall clock: readings follow
/// physical time when it moves on, come after every reading this node gave out or observed
/// that lies within ``maximumDrift`` of physical time, and never run further ahead of physical
/// time than that bound.
///
/// The bound is what keeps one wrong clock from ruling the fleet:
/// - A peer's stamp moves this clock's readings at most to physical time plus the bound, so a
///   node minutes fast cannot push its peers ahead, and skew does not spread from hop to hop.
/// - A clock that ran ahead — the wall clock was fast and has been fixed, or a reading came
///   from a fast clock — gives readings at the bound (``tick(now:)``), so the node recovers by
///   itself once its wall clock is right; a reading seen ahead is caught up with as physical
///   time reaches it.
///
/// Readings of one node are therefore increasing except across such a correction. Nothing
/// depends on more: which write of a field supersedes which is decided by causality (each
/// change names the writes its writer had seen), and stamps only order concurrent writes.
///
/// A value type: the replica persists ``last`` with every write it stamps, so a reopened
/// replica continues after the last reading it gave out even if the wall clock went back.
public struct HybridClock: Sendable {
    /// The latest reading given out or observed, however far ahead (persisted).
    public private(set) var last: HybridTime
    /// How far ahead of physical time a reading may run, in milliseconds.
    public var maximumDrift: UInt64
    /// The latest reading given out by this value: readings of one clock value increase.
    private var issued = HybridTime.zero

    public init(last: HybridTime = .zero, maximumDriftMilliseconds: UInt64 = 10 * 60 * 1000) {
        self.last = last
        self.maximumDrift = maximumDriftMilliseconds
    }

    /// The latest reading allowed at physical time `now`.
    public func ceiling(now: UInt64) -> HybridTime {
        HybridTime(milliseconds: now &+ maximumDrift, counter: 0)
    }

    /// A new reading for a local event at physical time `now`: after every reading given out
    /// or observed that lies within the bound at `now`, and never beyond the bound (but for
    /// counters within its millisecond).
    public mutating func tick(now: UInt64) -> HybridTime {
        let known = min(last, ceiling(now: now))
        var reading = now > known.milliseconds ? HybridTime(milliseconds: now, counter: 0) : known.successor
        if reading <= issued { reading = issued.successor }
        issued = reading
        if reading > last { last = reading }
        return reading
    }

    /// Takes in a remote reading: later local readings come after it as soon as it lies within
    /// the bound (at once, for a peer whose clock is right).
    public mutating func observe(_ remote: HybridTime) {
        if remote > last { last = remote }
    }
}
