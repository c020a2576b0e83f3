import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Replication

/// Accepts TLS connections from trusted peer nodes and serves each one concurrently.
///
/// Each connection is mutually authenticated: the client must present a certificate, and its
/// node id must be trusted by the verifier that `verifier` returns *for that connection*, so a node
/// trusted after the listener started is accepted without a restart. A refused client is logged
/// by ``PeerVerifier`` with the node id it presented; it never reaches `handler`.
///
/// Messages are framed by the caller: `framing` runs on the channel's event loop for each
/// connection and adds handlers with `channel.pipeline.syncOperations` (for example a
/// `ByteToMessageHandler` producing `Inbound` and a `MessageToByteHandler` consuming `Outbound`).
/// The handlers must produce and consume exactly `Inbound` and `Outbound`: a mismatch traps in NIO.
///
/// ```swift
/// let listener = SyncListener<Frame, Frame>(
///     host: "0.0.0.0", port: 7420, identity: identity,
///     verifier: { PeerVerifier(trusting: trust.current) },
///     framing: { try $0.pipeline.syncOperations.addHandlers(ByteToMessageHandler(FrameDecoder()), MessageToByteHandler(FrameEncoder())) },
///     logger: logger
/// )
/// try await listener.run(onBound: { print("listening on \($0)") }) { peer in
///     try await peer.channel.executeThenClose { inbound, outbound in ... }
/// }
/// ```
public struct SyncListener<Inbound: Sendable, Outbound: Sendable>: Sendable {
    private let host: String
    private let port: Int
    private let identity: NodeIdentity
    private let verifier: @Sendable () -> PeerVerifier
    private let framing: @Sendable (any Channel) throws -> Void
    private let timeouts: NetworkTimeouts
    private let group: any EventLoopGroup
    private let logger: Logger

    /// - Parameters:
    ///   - port: the TCP port; 0 picks any free port (see `onBound` in ``run(onBound:handler:)``).
    ///   - verifier: called once per connection for the current trust snapshot.
    ///   - framing: adds the message handlers to each connection's pipeline, after TLS.
    ///   - timeouts: `handshake` bounds each TLS handshake; `idle`, if set, closes quiet connections.
    public init(
        host: String,
        port: Int,
        identity: NodeIdentity,
        verifier: @escaping @Sendable () -> PeerVerifier,
        framing: @escaping @Sendable (any Channel) throws -> Void,
        timeouts: NetworkTimeouts = NetworkTimeouts(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.host = host
        self.port = port
        self.identity = identity
        self.verifier = verifier
        self.framing = framing
        self.timeouts = timeouts
        self.group = group
        self.logger = logger
    }

    /// Binds, reports the bound address through `onBound`, then serves every verified peer by
    /// calling `handler` in its own child task, until the calling task is cancelled.
    ///
    /// Guarantees: `handler` is called only after the TLS handshake has completed with a trusted
    /// peer; the connection is closed when `handler` returns or throws; an error from `handler`,
    /// a failed handshake or a garbage connection is logged and never stops the listener. On
    /// cancellation the listening socket and every open connection are closed, and `run` returns
    /// once all handlers have returned.
    /// - Throws: ``NetworkError`` `.tlsSetup` for an unusable identity; `.cannotListen` when the
    ///   address cannot be bound ("port 7420 is in use").
    public func run(
        onBound: @Sendable (SocketAddress) -> Void,
        handler: @escaping @Sendable (PeerConnection<Inbound, Outbound>) async throws -> Void
    ) async throws {
        let context = try TLSContexts.server(for: identity)
        let verifier = self.verifier
        let framing = self.framing
        let timeouts = self.timeouts
        let logger = self.logger
        let open = OpenConnections<Inbound, Outbound>()
        let server = try await NetworkError.listening(host: host, port: port) {
            try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let address = channel.remoteAddress?.hostAndPort ?? "an unknown address"
                        var connectionLogger = logger
                        connectionLogger[metadataKey: "peer.address"] = "\(address)"
                        let (wrapped, handshake): (NIOAsyncChannel<Inbound, Outbound>, EventLoopFuture<NodeID>) =
                            try PeerChannel.configure(
                                channel,
                                role: .server,
                                context: context,
                                verifier: verifier(),
                                remoteAddress: address,
                                timeouts: timeouts,
                                framing: framing,
                                logger: connectionLogger
                            )
                        open.insert(wrapped)
                        return AcceptedConnection(channel: wrapped, handshake: handshake, remoteAddress: address)
                    }
                }
        }
        if let address = server.channel.localAddress {
            logger.info("listening for peer nodes on \(address.hostAndPort)", metadata: ["node": "\(identity.nodeID)"])
            onBound(address)
        }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await accepted in inbound {
                        group.addTask {
                            await serve(accepted, handler: handler)
                        }
                    }
                }
            }
        } catch is CancellationError where Task.isCancelled {
            // Stopping is what cancellation asks for; it is not a failure.
        } catch {
            await open.closeAll()
            throw error
        }
        await open.closeAll()
    }

    /// Waits for the handshake, then runs `handler`; never throws, always closes the connection.
    private func serve(
        _ accepted: AcceptedConnection<Inbound, Outbound>,
        handler: @Sendable (PeerConnection<Inbound, Outbound>) async throws -> Void
    ) async {
        let channel = accepted.channel.channel
        var logger = self.logger
        logger[metadataKey: "peer.address"] = "\(accepted.remoteAddress)"
        await withTaskCancellationHandler {
            let node: NodeID
            do {
                node = try await accepted.handshake.get()
            } catch {
                logger.debug("no TLS session: \((error as? NetworkError)?.message ?? "\(error)")")
                try? await accepted.channel.executeThenClose { _, _ in }
                return
            }
            logger[metadataKey: "peer.node"] = "\(node)"
            logger.debug("peer node \(node) connected from \(accepted.remoteAddress)")
            do {
                try await handler(
                    PeerConnection(remoteNodeID: node, remoteAddress: accepted.remoteAddress, channel: accepted.channel)
                )
            } catch {
                logger.info("connection with node \(node) at \(accepted.remoteAddress) failed: \(error)")
            }
            // Harmless if the handler already did it; closes the connection if it did not.
            try? await accepted.channel.executeThenClose { _, _ in }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// A connection accepted by ``SyncListener`` whose handshake may still be running.
struct AcceptedConnection<Inbound: Sendable, Outbound: Sendable>: Sendable {
    let channel: NIOAsyncChannel<Inbound, Outbound>
    let handshake: EventLoopFuture<NodeID>
    let remoteAddress: String
}
