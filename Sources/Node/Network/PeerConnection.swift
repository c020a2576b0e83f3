import NIOCore
import Replication

/// A TLS connection to a peer node whose certificate was verified, with its framed messages.
///
/// The ``remoteNodeID`` is the digest of the leaf certificate that the verification callback
/// accepted during this connection's handshake (recorded on the channel, not re-read afterwards).
///
/// On the listening side the peer is fully accepted: in TLS 1.3 the server's handshake ends only
/// after it has checked the client's certificate. On the dialling side the handshake ends before
/// the server has judged this node, so a server that does not trust this node is discovered at
/// the first read, which fails with ``NetworkError`` `.refusedByPeer`. Count a dialled peer as
/// accepted only after its first message; when a write fails, read to learn the real reason.
///
/// Use ``channel`` as usual: `try await connection.channel.executeThenClose { inbound, outbound in ... }`.
/// A dialled connection must be consumed that way (or closed and awaited) before it is dropped:
/// NIO traps when a `NIOAsyncChannel` is released while its channel is open. ``SyncListener``
/// does this itself after its handler returns.
/// Errors read from `inbound` are ``NetworkError`` for TLS failures (`.refusedByPeer`, `.closed`,
/// `.timeout` for an idle timeout) and whatever the framing's decoder throws.
public struct PeerConnection<Inbound: Sendable, Outbound: Sendable>: Sendable {
    /// The peer's node id, from the certificate it presented and this node verified.
    public let remoteNodeID: NodeID
    /// The peer's address as `host:port` (`[v6]:port` for IPv6), for logs and messages.
    public let remoteAddress: String
    /// The connection, after TLS and the caller's framing.
    public let channel: NIOAsyncChannel<Inbound, Outbound>

    public init(remoteNodeID: NodeID, remoteAddress: String, channel: NIOAsyncChannel<Inbound, Outbound>) {
        self.remoteNodeID = remoteNodeID
        self.remoteAddress = remoteAddress
        self.channel = channel
    }
}

/// How long the network layer waits before giving up on a peer.
public struct NetworkTimeouts: Sendable, Hashable {
    /// How long a dialler waits for the TCP connection.
    public var connect: TimeAmount
    /// How long either side waits for the TLS handshake once the TCP connection is up.
    public var handshake: TimeAmount
    /// If set, a connection on which nothing was read or written for this long is closed, and its
    /// reader gets ``NetworkError`` `.timeout`. Not applied during the handshake.
    public var idle: TimeAmount?

    public init(connect: TimeAmount = .seconds(10), handshake: TimeAmount = .seconds(10), idle: TimeAmount? = nil) {
        self.connect = connect
        self.handshake = handshake
        self.idle = idle
    }
}

extension SocketAddress {
    /// `host:port`, with brackets around an IPv6 host; the path for a Unix domain socket.
    var hostAndPort: String {
        switch self {
        case .v4:
            return "\(ipAddress ?? "?"):\(port ?? 0)"
        case .v6:
            return "[\(ipAddress ?? "?")]:\(port ?? 0)"
        case .unixDomainSocket:
            return pathname ?? "unix socket"
        }
    }
}

extension TimeAmount {
    /// `300 ms`, `10 s`: for messages.
    var readable: String {
        nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000) s" : "\(nanoseconds / 1_000_000) ms"
    }
}
