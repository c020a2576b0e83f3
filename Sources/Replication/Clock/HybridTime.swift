/// A hybrid logical clock reading: Unix milliseconds and a counter that orders events within
/// one millisecond.
///
/// Ordered by (milliseconds, counter). Packed into one 64-bit integer (`milliseconds << 16 |
/// counter`) for the replica, so plain SQL can sort by it.
public struct HybridTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconds: UInt64
    public let counter: UInt16

    public init(milliseconds: UInt64, counter: UInt16) {
        self.milliseconds = milliseconds
        self.counter = counter
    }

    /// Unpacks the 64-bit form; negative values (never written) read as zero.
    public init(packed: Int64) {
        let bits = UInt64(max(packed, 0))
        self.init(milliseconds: bits >> 16, counter: UInt16(truncatingIfNeeded: bits))
    }

    public var packed: Int64 { Int64(bitPattern: milliseconds << 16 | UInt64(counter)) }

    public static let zero = HybridTime(milliseconds: 0, counter: 0)

    /// The next reading after this one.
    public var successor: HybridTime {
        counter == .max
            ? HybridTime(milliseconds: milliseconds + 1, counter: 0)
            : HybridTime(milliseconds: milliseconds, counter: counter + 1)
    }

    public static func < (lhs: HybridTime, rhs: HybridTime) -> Bool {
        (lhs.milliseconds, lhs.counter) < (rhs.milliseconds, rhs.counter)
    }

    public var description: String { "\(milliseconds).\(counter)" }
}
