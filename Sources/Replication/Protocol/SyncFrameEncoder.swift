import NIOCore

/// Writes each ``SyncMessage`` as one frame (`length:u32be type:u8 payload`).
///
/// In a NIO pipeline: `MessageToByteHandler(SyncFrameEncoder())`. Throws ``ProtocolError``
/// instead of writing a frame a peer would refuse: one over ``maxFrameLength``, a field over
/// its limit, a malformed digest (see ``SyncMessage/encode(into:maxFrameLength:)``).
public struct SyncFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = SyncMessage

    /// The longest frame written (type byte plus payload); match the peer's decoder.
    public let maxFrameLength: Int

    public init(maxFrameLength: Int = SyncLimits.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public func encode(data: SyncMessage, out: inout ByteBuffer) throws {
        try data.encode(into: &out, maxFrameLength: maxFrameLength)
    }
}
