import Model

/// The parts of an ``EntityID`` that ``EntityID/init(milliseconds:counter:node:)`` made, so the
/// codec can write (milliseconds, counter) instead of 16 bytes when the node is known.
struct CompactEntityID: Equatable {
    /// The low 58 bits of a node discriminator that ``EntityID`` keeps.
    static let nodeMask: UInt64 = 0x03FF_FFFF_FFFF_FFFF
    /// The largest millisecond value an id holds (48 bits).
    static let maxMilliseconds: UInt64 = 0xFFFF_FFFF_FFFF

    let milliseconds: UInt64
    let counter: UInt16
    /// The low 58 bits of the discriminator of the node that made the id.
    let node: UInt64

    /// The parts of `id`, or nil if no (milliseconds, counter, node) makes exactly `id` (a wrong
    /// version or variant).
    init?(_ id: EntityID) {
        let milliseconds = id.high >> 16
        let counter = UInt16(truncatingIfNeeded: (id.high & 0xFFF) << 4 | (id.low >> 58) & 0xF)
        let node = id.low & CompactEntityID.nodeMask
        guard EntityID(milliseconds: milliseconds, counter: counter, node: node) == id else { return nil }
        self.milliseconds = milliseconds
        self.counter = counter
        self.node = node
    }
}
