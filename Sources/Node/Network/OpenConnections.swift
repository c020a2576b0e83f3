import NIOCore
import Synchronization

/// The connections a ``SyncListener`` has accepted and not yet seen closed.
///
/// It serves two ends. When the listener stops, connections its accept loop never took (still
/// buffered, or mid-handshake) are closed here rather than left open. And a connection is held
/// here until its channel has closed, so that it is never dropped while open: NIO traps when a
/// `NIOAsyncChannel`'s writer is released before the channel is finished or closed.
final class OpenConnections<Inbound: Sendable, Outbound: Sendable>: Sendable {
    private let connections = Mutex<[ObjectIdentifier: NIOAsyncChannel<Inbound, Outbound>]>([:])

    /// Holds `connection` until its channel closes.
    func insert(_ connection: NIOAsyncChannel<Inbound, Outbound>) {
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        connections.withLock { $0[key] = connection }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLock { $0[key] = nil }
        }
    }

    /// Closes every connection still held and waits until each has closed.
    func closeAll() async {
        let remaining = connections.withLock { Array($0.values) }
        for connection in remaining {
            try? await connection.executeThenClose { _, _ in }
        }
    }
}
