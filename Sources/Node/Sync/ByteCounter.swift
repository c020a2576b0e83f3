import NIOConcurrencyHelpers
import NIOCore

/// Counts the bytes a connection reads and writes on the socket (TLS records included).
///
/// Put it first in the pipeline, before the TLS handler. The totals are read from any thread.
final class ByteCounter: ChannelDuplexHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counts = NIOLockedValueBox((read: UInt64(0), written: UInt64(0)))

    var read: UInt64 { counts.withLockedValue { $0.read } }
    var written: UInt64 { counts.withLockedValue { $0.written } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = UInt64(unwrapInboundIn(data).readableBytes)
        counts.withLockedValue { $0.read += count }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let count = UInt64(unwrapOutboundIn(data).readableBytes)
        counts.withLockedValue { $0.written += count }
        context.write(data, promise: promise)
    }
}
