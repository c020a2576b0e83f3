/// An error of the running node that is neither the replica's nor the identity's.
public struct NodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case notANode
            case alreadyANode
            case untrustedSigner
            case fileUnreadable
            case fileUnwritable
            case documentMissing
            case alreadyServing
            case diskFull
        }
        fileprivate let value: Value
        public static let notANode = Code(value: .notANode)
        public static let alreadyANode = Code(value: .alreadyANode)
        public static let untrustedSigner = Code(value: .untrustedSigner)
        public static let fileUnreadable = Code(value: .fileUnreadable)
        public static let fileUnwritable = Code(value: .fileUnwritable)
        public static let documentMissing = Code(value: .documentMissing)
        /// Another `serve` holds the folder.
        public static let alreadyServing = Code(value: .alreadyServing)
        /// The disk (or SQLite's allowed size of the replica) is full: nothing more can be written.
        public static let diskFull = Code(value: .diskFull)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: NodeError, rhs: NodeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
