import Foundation

/// An error raised by a business rule of the customer folder.
///
/// Errors are compared on their ``code``; ``context`` names what was refused (the field, the
/// text) so that a caller can print one clear line.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of rule refused the input.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case invalidEmail
            case invalidValue
            case unknownField
            case unknownJournalKind
            case invalidTimestamp
        }
        fileprivate let value: Value
        public static let invalidEmail = Code(value: .invalidEmail)
        public static let invalidValue = Code(value: .invalidValue)
        public static let unknownField = Code(value: .unknownField)
        public static let unknownJournalKind = Code(value: .unknownJournalKind)
        public static let invalidTimestamp = Code(value: .invalidTimestamp)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what was wrong and with which input.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ModelError, rhs: ModelError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
