/// What a change does to its field.
///
/// The wire has room for eight operation codes (three bits); this release knows four. A
/// change with another code (an operation of a newer release) decodes as ``unknown(_:)``, is
/// stored and forwarded unchanged, and is held: it never stops a stream.
public enum Operation: Sendable, Hashable, CustomStringConvertible {
    /// Writes an editable field (a multi-value register): `value` is the new text, `nil` to
    /// clear; `predecessors` are the writes of this field the writer had as current.
    case assign
    /// Adds `value` to a set field (add-wins): the change's own id is the element's tag.
    case add
    /// Removes `value` from a set field: `predecessors` are the add tags the writer saw.
    case remove
    /// Creates an immutable, append-only record (a journal entry, a document): `value` is the
    /// record as JSON with sorted keys. Merged by union, never in conflict.
    case record
    /// An operation this build does not know, by its code (4-7 on the wire today).
    case unknown(UInt8)

    /// The code on the wire. Stable: never renumber.
    public var code: UInt8 {
        switch self {
        case .assign: 0
        case .add: 1
        case .remove: 2
        case .record: 3
        case .unknown(let code): code
        }
    }

    /// The operation with this code.
    public init(code: UInt8) {
        switch code {
        case 0: self = .assign
        case 1: self = .add
        case 2: self = .remove
        case 3: self = .record
        default: self = .unknown(code)
        }
    }

    /// The operations this release applies.
    public static let known: [Operation] = [.assign, .add, .remove, .record]

    /// Whether this release knows the operation.
    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// The name stored in the `changes.op` column: `assign`, `add`, `remove`, `record`, or
    /// `op-N` for an operation this build does not know.
    public var name: String {
        switch self {
        case .assign: "assign"
        case .add: "add"
        case .remove: "remove"
        case .record: "record"
        case .unknown(let code): "op-\(code)"
        }
    }

    /// Reads a stored name (see ``name``); `nil` for anything else.
    public init?(name: String) {
        switch name {
        case "assign": self = .assign
        case "add": self = .add
        case "remove": self = .remove
        case "record": self = .record
        default:
            guard name.hasPrefix("op-"), let code = UInt8(name.dropFirst(3)), code > 3 else { return nil }
            self = .unknown(code)
        }
    }

    public var description: String { name }
}
