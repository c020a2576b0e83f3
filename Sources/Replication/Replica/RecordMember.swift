import Foundation

/// A record's JSON as typed Swift values: what the gate checks and the materializer stores.
///
/// The apply path reads every record of an initial sync; typed values spare it Foundation's
/// bridged objects (`[String: Any]`, `NSNumber`), whose casts were most of the CPU of a W2 sync.
/// ``RecordJSON/parse(_:)`` makes them from a change's text; ``RecordJSON/text(ofList:)``
/// writes a list back as a column stores it.
enum RecordMember: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without a fraction or an exponent that fits 64 bits.
    case integer(Int64)
    /// Any other number; always finite.
    case number(Double)
    case string(String)
    case array([RecordMember])
    case object(RecordObject)

    /// The string, or `nil`.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The member as an exact 64-bit integer: an integer, or a number with no fraction that
    /// fits (`2.0`, `5e2`, as Foundation's reader counted them); `nil` for a Boolean or anything
    /// else.
    var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return value.rounded() == value ? Int64(exactly: value) : nil
        default: return nil
        }
    }

    /// The elements of an array, or `nil`.
    var array: [RecordMember]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an object, or `nil`.
    var object: RecordObject? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The member as Foundation's JSON reader gives it (for the few records read as
    /// `[String: Any]`: decisions and revocations, which are rare).
    var foundation: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .integer(let value): return value
        case .number(let value): return NSNumber(value: value)
        case .string(let value): return value
        case .array(let elements): return elements.map(\.foundation)
        case .object(let members): return members.mapValues(\.foundation)
        }
    }
}

/// A record's members by key.
typealias RecordObject = [String: RecordMember]
