import Logging
import NIOCore
import NIOSSL
import NIOTLS
import Replication

/// The channel-local half of peer verification: judges the certificate, waits for the handshake,
/// and turns TLS failures into ``NetworkError``.
///
/// It sits right after the `NIOSSLHandler`. Its ``verify(_:result:)`` is the handler's custom
/// verification callback, so the verdict and the presented node id are kept here, on the
/// channel's event loop, for the connection's lifetime. ``handshakeResult`` succeeds with the
/// accepted node id when the handshake completes and fails with a ``NetworkError`` otherwise:
/// refused certificate (`.untrustedPeer`, `.impostor`), a certificate alert from the peer
/// (`.refusedByPeer`), handshake timeout (`.timeout`), peer gone (`.closed`), anything else
/// (`.handshakeFailed`). The promise is always completed, at the
/// latest when the handler is removed.
///
/// After the handshake, errors going up the pipeline are translated: on the dialling side a TLS
/// error before the first application data means the server refused this node
/// (`.refusedByPeer`); an unclean TCP close is `.closed`; an idle timeout is `.timeout`.
final class PeerHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Which end of the connection this node is.
    enum Role {
        /// Accepting: the peer must be trusted.
        case server
        /// Dialling: the peer must be `expected` (and trusted).
        case client(expected: NodeID)
    }

    private enum State {
        case handshaking
        case established(receivedData: Bool)
        case failed
    }

    private let role: Role
    private let verifier: PeerVerifier
    private let timeouts: NetworkTimeouts
    private let remoteAddress: String
    private let logger: Logger
    private let promise: EventLoopPromise<NodeID>
    private var state = State.handshaking
    private var verdict: PeerVerifier.Verdict?
    private var timer: Scheduled<Void>?

    /// Completes when the handshake ends: the accepted node id, or a ``NetworkError``.
    var handshakeResult: EventLoopFuture<NodeID> { promise.futureResult }

    init(
        role: Role,
        verifier: PeerVerifier,
        timeouts: NetworkTimeouts,
        remoteAddress: String,
        eventLoop: any EventLoop,
        logger: Logger
    ) {
        self.role = role
        self.verifier = verifier
        self.timeouts = timeouts
        self.remoteAddress = remoteAddress
        self.logger = logger
        self.promise = eventLoop.makePromise(of: NodeID.self)
    }

    /// The custom verification callback: judges the leaf certificate with the verifier.
    func verify(_ certificates: [NIOSSLCertificate], result: EventLoopPromise<NIOSSLVerificationResult>) {
        guard let leaf = certificates.first, let der = try? leaf.toDERBytes() else {
            logger.debug("TLS peer \(remoteAddress) presented no usable certificate")
            result.succeed(.failed)
            return
        }
        let expected: NodeID?
        switch role {
        case .server: expected = nil
        case .client(let node): expected = node
        }
        let verdict = verifier.verify(
            leafCertificateDER: der,
            expected: expected,
            remoteAddress: remoteAddress,
            logger: logger
        )
        self.verdict = verdict
        if case .accepted = verdict {
            result.succeed(.certificateVerified)
        } else {
            result.succeed(.failed)
        }
    }

    /// Completes the handshake promise when the pipeline could not be set up, so that it never leaks.
    func setupFailed(_ error: any Error) {
        guard case .handshaking = state else { return }
        fail(NetworkError(.handshakeFailed, "cannot set up the connection to \(remoteAddress): \(error)"))
    }

    // MARK: events

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if case .handshaking = state {
            fail(NetworkError(.closed, "the connection to \(remoteAddress) ended during the TLS handshake"))
        }
        timer?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .handshaking = state {
            fail(NetworkError(.closed, "\(remoteAddress) closed the connection during the TLS handshake"))
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .established = state { state = .established(receivedData: true) }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case TLSUserEvent.handshakeCompleted:
            guard case .handshaking = state else { break }
            timer?.cancel()
            if case .accepted(let node) = verdict {
                state = .established(receivedData: false)
                promise.succeed(node)
            } else {
                // Unreachable with a verification callback installed; refuse rather than trust.
                fail(NetworkError(.handshakeFailed, "TLS handshake with \(remoteAddress) ended unverified"))
                context.close(promise: nil)
            }
        case let idle as IdleStateHandler.IdleStateEvent where idle == .all:
            guard case .established = state else { return }
            context.fireErrorCaught(
                NetworkError(
                    .timeout,
                    "closed the idle connection to \(remoteAddress)\(nodeSuffix) after \(timeouts.idle?.readable ?? "a while") of silence",
                    presentedNodeID: verdict?.presented
                )
            )
            context.close(promise: nil)
            return
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .handshaking:
            let mapped = handshakeError(error)
            fail(mapped)
            context.fireErrorCaught(mapped)
            context.close(promise: nil)
        case .established(let receivedData):
            context.fireErrorCaught(establishedError(error, receivedData: receivedData))
        case .failed:
            context.fireErrorCaught(error)
        }
    }

    // MARK: helpers

    private func startTimer(context: ChannelHandlerContext) {
        guard timer == nil, case .handshaking = state else { return }
        let timeout = timeouts.handshake
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard case .handshaking = self.state else { return }
            self.fail(
                NetworkError(
                    .timeout,
                    "\(self.remoteAddress) did not complete the TLS handshake within \(timeout.readable)",
                    presentedNodeID: self.verdict?.presented
                )
            )
            context.close(promise: nil)
        }
    }

    private func fail(_ error: NetworkError) {
        state = .failed
        timer?.cancel()
        promise.fail(error)
    }

    /// ` (node X)` once the peer has presented a certificate, else empty.
    private var nodeSuffix: String {
        verdict.map { " (node \($0.presented))" } ?? ""
    }

    private func handshakeError(_ error: any Error) -> NetworkError {
        switch verdict {
        case .untrusted(let node):
            return NetworkError(
                .untrustedPeer,
                "\(remoteAddress) presented node \(node), which is not trusted",
                presentedNodeID: node
            )
        case .revoked(let node):
            return NetworkError(
                .untrustedPeer,
                "\(remoteAddress) presented node \(node), which was revoked for the fleet",
                presentedNodeID: node
            )
        case .impostor(let presented, let expected):
            return NetworkError(
                .impostor,
                "\(remoteAddress) presented node \(presented) where node \(expected) was expected",
                presentedNodeID: presented
            )
        case .accepted, nil:
            if let error = error as? NetworkError { return error }
            if case NIOSSLError.uncleanShutdown = error {
                return NetworkError(
                    .closed,
                    "\(remoteAddress)\(nodeSuffix) closed the connection during the TLS handshake",
                    presentedNodeID: verdict?.presented
                )
            }
            let reason = Self.reason(error)
            if reason.hasPrefix("TLS alert"), reason.contains("CERTIFICATE") {
                // The peer sent a certificate alert: it did not accept this node.
                return NetworkError(
                    .refusedByPeer,
                    "\(remoteAddress)\(nodeSuffix) refused this node's certificate (\(reason))",
                    presentedNodeID: verdict?.presented
                )
            }
            return NetworkError(
                .handshakeFailed,
                "TLS handshake with \(remoteAddress)\(nodeSuffix) failed: \(reason)",
                presentedNodeID: verdict?.presented
            )
        }
    }

    private func establishedError(_ error: any Error, receivedData: Bool) -> any Error {
        if case NIOSSLError.uncleanShutdown = error {
            return NetworkError(
                .closed,
                "\(remoteAddress)\(nodeSuffix) closed the connection without a TLS close",
                presentedNodeID: verdict?.presented
            )
        }
        guard error is NIOSSLError || error is BoringSSLError else { return error }
        if case .client = role, !receivedData {
            return NetworkError(
                .refusedByPeer,
                "\(remoteAddress)\(nodeSuffix) refused this node's certificate (\(Self.reason(error)))",
                presentedNodeID: verdict?.presented
            )
        }
        return error
    }

    /// The gist of a TLS error: the alert or the BoringSSL reason code, without the source path.
    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        let reasonCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        for marker in ["ALERT_", "OPENSSL_internal:"] {
            if let range = text.range(of: marker) {
                let code = text[range.upperBound...].prefix { reasonCharacters.contains($0) }
                if !code.isEmpty {
                    return marker == "ALERT_" ? "TLS alert \(code)" : String(code)
                }
            }
        }
        return text
    }
}
