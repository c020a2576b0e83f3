import Model

/// The kinds of thing a replica holds, each with its own table.
public enum EntityKind: String, CaseIterable, Sendable, Hashable, Codable {
    case customer
    case contact
    case journal
    case document

    /// A one-byte code for the wire. Stable: never renumber.
    public var code: UInt8 {
        switch self {
        case .customer: 1
        case .contact: 2
        case .journal: 3
        case .document: 4
        }
    }

    public init?(code: UInt8) {
        guard let kind = EntityKind.allCases.first(where: { $0.code == code }) else { return nil }
        self = kind
    }
}

/// What a change does to its field.
public enum Operation: UInt8, Sendable, Hashable, Codable {
    /// Writes an editable field (a multi-value register): `value` is the new text, `nil` to
    /// clear; `predecessors` are the writes of this field the writer had as current.
    case assign = 0
    /// Adds `value` to a set field (add-wins): the change's own id is the element's tag.
    case add = 1
    /// Removes `value` from a set field: `predecessors` are the add tags the writer saw.
    case remove = 2
    /// Creates an immutable, append-only record (a journal entry, a document): `value` is the
    /// record as JSON with sorted keys. Merged by union, never in conflict.
    case record = 3
}

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

    public init(
        origin: NodeID,
        seq: UInt64,
        time: HybridTime,
        entity: EntityKind,
        entityID: EntityID,
        field: String,
        operation: Operation,
        value: String?,
        predecessors: [WriteID] = []
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
    }

    public var id: WriteID { WriteID(origin: origin, seq: seq) }
}
