import Logging
import NIOCore
import NIOSSL
import Replication

/// Puts TLS, peer verification and the caller's framing on a new channel, on both sides.
enum PeerChannel {
    /// Configures `channel`'s pipeline as `NIOSSLHandler` (with the verification callback), an
    /// optional `IdleStateHandler`, ``PeerHandshakeHandler``, the handlers `framing` adds, and
    /// wraps the result as a `NIOAsyncChannel`.
    ///
    /// Must run on the channel's event loop (as bootstrap channel initializers do). The
    /// verification callback is built here, per connection, from the `Sendable` verifier.
    /// - Returns: the wrapped channel and the handshake's outcome (the peer's node id).
    static func configure<Inbound: Sendable, Outbound: Sendable>(
        _ channel: any Channel,
        role: PeerHandshakeHandler.Role,
        context: NIOSSLContext,
        verifier: PeerVerifier,
        remoteAddress: String,
        timeouts: NetworkTimeouts,
        framing: @Sendable (any Channel) throws -> Void,
        logger: Logger
    ) throws -> (channel: NIOAsyncChannel<Inbound, Outbound>, handshake: EventLoopFuture<NodeID>) {
        let peer = PeerHandshakeHandler(
            role: role,
            verifier: verifier,
            timeouts: timeouts,
            remoteAddress: remoteAddress,
            eventLoop: channel.eventLoop,
            logger: logger
        )
        let callback: NIOSSLCustomVerificationCallback = { certificates, result in
            peer.verify(certificates, result: result)
        }
        do {
            let tls: NIOSSLHandler
            switch role {
            case .server:
                tls = NIOSSLServerHandler(context: context, customVerificationCallback: callback)
            case .client:
                // No SNI: a node is reached by address, and IP addresses are not allowed in SNI.
                tls = try NIOSSLClientHandler(
                    context: context,
                    serverHostname: nil,
                    customVerificationCallback: callback
                )
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(tls)
            if let idle = timeouts.idle {
                try pipeline.addHandler(IdleStateHandler(allTimeout: idle))
            }
            try pipeline.addHandler(peer)
            try framing(channel)
            let wrapped = try NIOAsyncChannel<Inbound, Outbound>(wrappingChannelSynchronously: channel)
            return (wrapped, peer.handshakeResult)
        } catch {
            peer.setupFailed(error)
            throw error
        }
    }
}
