/// What a replica holds: for each origin node, the highest sequence number it has of that
/// node's writes. Because replicas receive each origin's writes in order and without gaps, the
/// vector says exactly which changes a replica holds.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var entries: [NodeID: UInt64]

    public init(_ entries: [NodeID: UInt64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    public subscript(origin: NodeID) -> UInt64 {
        get { entries[origin] ?? 0 }
        set { entries[origin] = newValue == 0 ? nil : newValue }
    }

    /// Whether this vector holds the change.
    public func contains(_ id: WriteID) -> Bool { self[id.origin] >= id.seq }

    /// Whether every change `other` holds is held here too.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// The componentwise maximum.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = self
        for (origin, seq) in other.entries where seq > result[origin] { result[origin] = seq }
        return result
    }

    /// The componentwise minimum.
    public func meet(_ other: VersionVector) -> VersionVector {
        VersionVector(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, min($0.value, other[$0.key])) }))
    }

    /// The total number of changes the vector covers.
    public var count: UInt64 { entries.values.reduce(0, +) }

    public var description: String {
        entries.sorted { $0.key < $1.key }.map { "\($0.key.short):\($0.value)" }.joined(separator: ",")
    }
}
