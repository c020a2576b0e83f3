import Logging
import Replication

/// Decides, from the certificate a TLS peer presents, whether this node talks to it.
///
/// A verifier is a value: a snapshot of the node ids trusted when it was made. Nodes trust each
/// other by pinning node ids (the SHA-256 digest of the certificate's DER bytes), not through a
/// certificate authority, so the decision rests on the digest alone: the TLS handshake has
/// already proved that the peer holds the key of the certificate it presented, and a changed
/// certificate is a different node. Validity dates and issuers are not looked at.
///
/// ```swift
/// let verifier = PeerVerifier(trusting: [laptopID, serverID])
/// switch verifier.verify(leafCertificateDER: der, remoteAddress: "10.0.0.7:7420", logger: logger) {
/// case .accepted(let id): print("talking to \(id)")
/// case .untrusted, .impostor: break  // already logged
/// }
/// ```
public struct PeerVerifier: Sendable, Hashable {
    /// The outcome of ``verify(leafCertificateDER:expected:remoteAddress:logger:)``.
    public enum Verdict: Sendable, Hashable {
        /// The peer is trusted (and, when one was expected, is the expected node).
        case accepted(NodeID)
        /// The peer presented this node id, which is not trusted.
        case untrusted(NodeID)
        /// The peer presented `presented` where `expected` was dialled.
        case impostor(presented: NodeID, expected: NodeID)
        /// The peer presented this node id, which was revoked for the fleet.
        case revoked(NodeID)

        /// The node id the peer presented, whatever the verdict.
        public var presented: NodeID {
            switch self {
            case .accepted(let id), .untrusted(let id), .revoked(let id): id
            case .impostor(let presented, _): presented
            }
        }
    }

    /// The node ids this verifier accepts.
    public let trusted: Set<NodeID>
    /// The node ids revoked for the fleet: refused whatever `trusted` says, and named as
    /// revoked in the refusal.
    public let revoked: Set<NodeID>

    /// A verifier that accepts exactly the nodes in `trusted` that are not in `revoked`.
    public init(trusting trusted: some Sequence<NodeID>, revoked: some Sequence<NodeID> = [NodeID]()) {
        self.revoked = Set(revoked)
        self.trusted = Set(trusted).subtracting(self.revoked)
    }

    /// Judges the peer whose leaf certificate is `leafCertificateDER`.
    ///
    /// A refusal is logged at `info` level with the remote address and the presented node id, in
    /// the message and as metadata (`peer.address`, `peer.node`), so that an operator can see
    /// which node knocked and decide to trust it.
    /// - Parameters:
    ///   - expected: when dialling, the node meant; any other node id is an impostor even if trusted.
    ///   - remoteAddress: the peer's address, for the log line.
    public func verify(
        leafCertificateDER: [UInt8],
        expected: NodeID? = nil,
        remoteAddress: String,
        logger: Logger
    ) -> Verdict {
        let presented = NodeID(certificateDER: leafCertificateDER)
        let verdict: Verdict
        if let expected, expected != presented {
            verdict = .impostor(presented: presented, expected: expected)
        } else if revoked.contains(presented) {
            verdict = .revoked(presented)
        } else if trusted.contains(presented) {
            verdict = .accepted(presented)
        } else {
            verdict = .untrusted(presented)
        }
        switch verdict {
        case .accepted:
            break
        case .untrusted:
            logger.info(
                "refused TLS peer \(remoteAddress): it presented node \(presented), which is not trusted",
                metadata: ["peer.address": "\(remoteAddress)", "peer.node": "\(presented)"]
            )
        case .revoked:
            logger.notice(
                "refused TLS peer \(remoteAddress): it presented node \(presented), which was revoked for the fleet",
                metadata: ["peer.address": "\(remoteAddress)", "peer.node": "\(presented)"]
            )
        case .impostor(_, let expected):
            logger.info(
                "refused TLS peer \(remoteAddress): it presented node \(presented) where node \(expected) was expected",
                metadata: ["peer.address": "\(remoteAddress)", "peer.node": "\(presented)"]
            )
        }
        return verdict
    }
}
