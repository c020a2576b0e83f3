/// An error from the replica or the merge engine.
///
/// Compared on ``code``; ``message`` is one line for a person, naming the thing refused (the
/// id, the field, the node).
public struct ReplicationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case notANode
            case alreadyANode
            case unknownID
            case unknownField
            case invalidValue
            case missingPrerequisites
            case outOfOrder
            case unknownPeer
            case unknownConflict
            case badPick
            case corrupt
            case revoked
            case notAnOffice
        }
        fileprivate let value: Value
        /// The folder holds no replica.
        public static let notANode = Code(value: .notANode)
        /// The folder already holds a replica.
        public static let alreadyANode = Code(value: .alreadyANode)
        /// No customer, contact, document or entity with that id.
        public static let unknownID = Code(value: .unknownID)
        /// The entity has no such field.
        public static let unknownField = Code(value: .unknownField)
        /// A business rule refused the value.
        public static let invalidValue = Code(value: .invalidValue)
        /// A batch assumes changes this replica does not hold yet.
        public static let missingPrerequisites = Code(value: .missingPrerequisites)
        /// A batch skips sequence numbers of an origin.
        public static let outOfOrder = Code(value: .outOfOrder)
        /// No trusted peer by that id or name.
        public static let unknownPeer = Code(value: .unknownPeer)
        /// No open conflict by that id.
        public static let unknownConflict = Code(value: .unknownConflict)
        /// A conflict settlement named a candidate that does not exist.
        public static let badPick = Code(value: .badPick)
        /// The replica's contents break an invariant.
        public static let corrupt = Code(value: .corrupt)
        /// The node (this one, or the peer named) was revoked for the fleet.
        public static let revoked = Code(value: .revoked)
        /// Only an office may do this (revoke a node, decide on held changes).
        public static let notAnOffice = Code(value: .notAnOffice)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ReplicationError, rhs: ReplicationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
