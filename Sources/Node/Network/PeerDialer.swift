import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Replication

/// Dials a peer node over mutually authenticated TLS, pinned to the node id meant.
///
/// ```swift
/// let peer = try await PeerDialer.connect(
///     host: "10.0.0.7", port: 7420, expected: serverID, identity: identity,
///     verifier: PeerVerifier(trusting: trust.current),
///     framing: { try $0.pipeline.syncOperations.addHandlers(ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder())) },
///     inbound: Frame.self, outbound: Frame.self, logger: logger
/// )
/// try await peer.channel.executeThenClose { inbound, outbound in ... }
/// ```
public enum PeerDialer {
    /// Connects to `host:port`, runs the TLS handshake, and returns once the server has proved
    /// to be node `expected`.
    ///
    /// The server's certificate must have node id `expected` and that id must be trusted by
    /// `verifier`; otherwise the handshake is aborted before any application data is written.
    /// The server judges this node after the handshake: if it does not trust this node, the
    /// first read on the returned connection fails with `.refusedByPeer` (see ``PeerConnection``).
    /// - Parameters:
    ///   - framing: adds the message handlers after TLS; they must produce `Inbound` and consume `Outbound`.
    ///   - timeouts: `connect` bounds the TCP connection, `handshake` the TLS handshake, `idle`
    ///     (if set) closes a quiet connection.
    /// - Throws: ``NetworkError``: `.unreachable` (no TCP connection), `.timeout`, `.impostor`
    ///   (another node answered), `.untrustedPeer` (`expected` is not trusted), `.closed`,
    ///   `.handshakeFailed` or `.tlsSetup`. Each message names the address and the presented node id.
    public static func connect<Inbound: Sendable, Outbound: Sendable>(
        host: String,
        port: Int,
        expected: NodeID,
        identity: NodeIdentity,
        verifier: PeerVerifier,
        framing: @escaping @Sendable (any Channel) throws -> Void,
        inbound: Inbound.Type = Inbound.self,
        outbound: Outbound.Type = Outbound.self,
        timeouts: NetworkTimeouts = NetworkTimeouts(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> PeerConnection<Inbound, Outbound> {
        let context = try TLSContexts.client(for: identity)
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var logger = logger
        logger[metadataKey: "peer.address"] = "\(address)"
        let connectionLogger = logger

        let wrapped: NIOAsyncChannel<Inbound, Outbound>
        let handshake: EventLoopFuture<NodeID>
        do {
            (wrapped, handshake) = try await ClientBootstrap(group: group)
                .connectTimeout(timeouts.connect)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try PeerChannel.configure(
                            channel,
                            role: .client(expected: expected),
                            context: context,
                            verifier: verifier,
                            remoteAddress: address,
                            timeouts: timeouts,
                            framing: framing,
                            logger: connectionLogger
                        )
                    }
                }
        } catch let error as NetworkError {
            throw error
        } catch ChannelError.connectTimeout(let amount) {
            throw NetworkError(.timeout, "no TCP connection to \(address) within \(amount.readable)")
        } catch {
            throw NetworkError(.unreachable, "cannot connect to \(address): \(brief(error))")
        }

        let channel = wrapped.channel
        do {
            let node = try await withTaskCancellationHandler {
                try await handshake.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            logger.debug("connected to peer node \(node)", metadata: ["peer.node": "\(node)"])
            return PeerConnection(remoteNodeID: node, remoteAddress: address, channel: wrapped)
        } catch {
            // Closes the channel and finishes the writer, which NIO requires before it is dropped.
            try? await wrapped.executeThenClose { _, _ in }
            throw error
        }
    }

    /// The useful part of a connection error: the first socket error rather than NIO's summary.
    private static func brief(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return "\(first.error)" }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        }
        return "\(error)"
    }
}
