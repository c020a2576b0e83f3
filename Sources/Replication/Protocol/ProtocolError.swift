/// An error of the sync protocol: a frame that cannot be read, a message out of order, a peer
/// of another version, a refusal, or a local step that failed.
///
/// Compared on ``code``. ``message`` is one line for a person naming what was wrong (which
/// message, which version, which peer).
public struct ProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem ended the exchange.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case frameTooLarge = "frame-too-large"
            case malformed = "malformed"
            case unknownMessage = "unknown-message"
            case unsupportedVersion = "unsupported-version"
            case unexpectedMessage = "unexpected-message"
            case refused = "refused"
            case localFailure = "local-failure"
            case interrupted = "interrupted"
        }
        fileprivate let value: Value

        /// A frame announces more bytes than the limit allows (or a message is too large to send).
        public static let frameTooLarge = Code(value: .frameTooLarge)
        /// A frame or its payload is not well formed: a zero length, bad magic, a count over a
        /// limit, invalid UTF-8, trailing bytes, a batch the codec refuses.
        public static let malformed = Code(value: .malformed)
        /// A frame carries a message type this build does not know.
        public static let unknownMessage = Code(value: .unknownMessage)
        /// The peer speaks another protocol version.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// A message arrived that the session does not allow at that point.
        public static let unexpectedMessage = Code(value: .unexpectedMessage)
        /// The peer refused the session (it sent a refusal), or this node refused the peer.
        public static let refused = Code(value: .refused)
        /// A step this node performs failed: applying a batch, reading or storing a blob.
        public static let localFailure = Code(value: .localFailure)
        /// The connection ended before both sides said goodbye.
        public static let interrupted = Code(value: .interrupted)

        /// The code as it travels in a refusal, e.g. `unexpected-message`.
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what was wrong.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ProtocolError, rhs: ProtocolError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
