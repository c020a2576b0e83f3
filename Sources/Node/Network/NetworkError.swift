import Replication

/// An error raised while listening for, dialling or talking to a peer node over TLS.
///
/// Errors are compared on their ``code``; ``message`` is one line for a person, naming the remote
/// address and, when the peer got as far as presenting a certificate, the node id it presented.
/// That id is also in ``presentedNodeID``, so that a caller can offer to trust an unknown node.
public struct NetworkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case untrustedPeer
            case impostor
            case refusedByPeer
            case unreachable
            case handshakeFailed
            case timeout
            case closed
            case tlsSetup
            case cannotListen
        }
        fileprivate let value: Value
        /// The peer presented a certificate whose node id this node does not trust.
        public static let untrustedPeer = Code(value: .untrustedPeer)
        /// The dialled peer presented a node id other than the one this node meant to reach.
        public static let impostor = Code(value: .impostor)
        /// The peer refused this node's certificate (in TLS 1.3 a client learns it at its first read).
        public static let refusedByPeer = Code(value: .refusedByPeer)
        /// No TCP connection could be made to the address.
        public static let unreachable = Code(value: .unreachable)
        /// The TLS handshake failed for another reason: not TLS, no certificate, no common cipher.
        public static let handshakeFailed = Code(value: .handshakeFailed)
        /// Connecting, the handshake, or (with an idle timeout) the connection took too long.
        public static let timeout = Code(value: .timeout)
        /// The peer closed the connection before the handshake ended, or without a TLS close.
        public static let closed = Code(value: .closed)
        /// The node's own key or certificate could not be loaded into TLS.
        public static let tlsSetup = Code(value: .tlsSetup)
        /// The listening address cannot be bound: the port is in use or needs privileges, or
        /// the host is not an address of this machine.
        public static let cannotListen = Code(value: .cannotListen)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what went wrong, with which address and which presented node id.
    public let message: String
    /// The node id of the certificate the peer presented, if it presented one.
    public let presentedNodeID: NodeID?

    public init(_ code: Code, _ message: String, presentedNodeID: NodeID? = nil) {
        self.code = code
        self.message = message
        self.presentedNodeID = presentedNodeID
    }

    public var description: String { "NetworkError.\(code): \(message)" }

    public static func == (lhs: NetworkError, rhs: NetworkError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
