import Model

/// The identity of one write: the node that made it and that node's sequence number for it.
public struct WriteID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let origin: NodeID
    public let seq: UInt64

    public init(origin: NodeID, seq: UInt64) {
        self.origin = origin
        self.seq = seq
    }

    public static func < (lhs: WriteID, rhs: WriteID) -> Bool {
        lhs.origin == rhs.origin ? lhs.seq < rhs.seq : lhs.origin < rhs.origin
    }

    public var description: String { "\(origin.short)#\(seq)" }
}

/// One write a user made on some node, as it travels between replicas.
///
/// A change is immutable and identified by (`origin`, `seq`): every node numbers its own writes
/// 1, 2, 3, ... without gaps. Replicas hold changes in causal order: a change is only ever
/// stored after every change its writer had seen.
public struct Change: Sendable, Hashable {
    public var origin: NodeID
    public var seq: UInt64
    public var time: HybridTime
    public var entity: EntityKind
    public var entityID: EntityID
    /// The field written; empty for ``Operation/record``.
    public var field: String
    public var operation: Operation
    public var value: String?
    public var predecessors: [WriteID]
    /// Who wrote it (``PersonName``), as the writer said; `nil` when not known (a change written
    /// before release 0.3.0, or relayed through a node of an earlier release, which drops it).
    /// Not part of the change's content (``hasSameContent(as:)``): the same change relayed with
    /// and without its person is one change.
    public var person: String?

    public init(
        origin: NodeID,
        seq: UInt64,
        time: HybridTime,
        entity: EntityKind,
        entityID: EntityID,
        field: String,
        operation: Operation,
        value: String?,
        predecessors: [WriteID] = [],
        person: String? = nil
    ) {
        self.origin = origin
        self.seq = seq
        self.time = time
        self.entity = entity
        self.entityID = entityID
        self.field = field
        self.operation = operation
        self.value = value
        self.predecessors = predecessors
        self.person = person
    }

    public var id: WriteID { WriteID(origin: origin, seq: seq) }
}

extension Change {
    /// Whether two changes say the same: every field, the kind by its code (a kind this
    /// release does not declare is named by its code only). The person is left out: it is
    /// carried beside the content (a node of an earlier release relays a change without it),
    /// so a change with and without its person is the same change, never a clone.
    public func hasSameContent(as other: Change) -> Bool {
        origin == other.origin && seq == other.seq && time == other.time && entity.code == other.entity.code
            && entityID == other.entityID && field == other.field && operation == other.operation
            && value == other.value && predecessors == other.predecessors
    }
}
