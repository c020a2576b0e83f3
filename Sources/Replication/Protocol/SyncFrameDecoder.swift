import NIOCore

/// Cuts a byte stream into frames and decodes each into a ``SyncMessage``.
///
/// A frame is `length:u32be type:u8 payload`; `length` counts the type byte and the payload
/// and must be between 1 and ``maxFrameLength``. The length is checked as soon as its four
/// bytes arrive, so an oversized frame is refused before any of it is buffered. Every input
/// either yields messages, asks for more bytes, or throws ``ProtocolError``; it never traps.
/// After a throw the stream is unusable (framing is lost): close the connection.
///
/// In a NIO pipeline: `ByteToMessageHandler(SyncFrameDecoder())`. Bytes left at the end of the
/// stream (a frame cut short) are reported by `ByteToMessageHandler` as leftover data.
///
/// ```swift
/// var decoder = SyncFrameDecoder()
/// while let message = try decoder.decode(buffer: &received) { session.received(message) }
/// ```
public struct SyncFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = SyncMessage

    /// The longest frame accepted (type byte plus payload).
    public let maxFrameLength: Int
    /// The limits a batch's payload is decoded within.
    public let batchLimits: ChangeBatchCodec.Limits

    public init(
        maxFrameLength: Int = SyncLimits.defaultMaxFrameLength,
        batchLimits: ChangeBatchCodec.Limits = .default
    ) {
        self.maxFrameLength = maxFrameLength
        self.batchLimits = batchLimits
    }

    /// Decodes the next whole frame, or returns `nil` (consuming nothing) until it has arrived.
    public mutating func decode(buffer: inout ByteBuffer) throws -> SyncMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length >= 1 else { throw ProtocolError(.malformed, "a frame of length 0 (it must hold a type byte)") }
        guard UInt64(length) <= UInt64(max(maxFrameLength, 0)) else {
            throw ProtocolError(.frameTooLarge, "a frame of \(length) bytes is over the limit of \(maxFrameLength)")
        }
        guard buffer.readableBytes - 4 >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let type = buffer.readInteger(as: UInt8.self), let payload = buffer.readSlice(length: Int(length) - 1)
        else {
            throw ProtocolError(.malformed, "a frame of \(length) bytes could not be read")
        }
        return try SyncMessage.decode(type: type, payload: payload, batchLimits: batchLimits)
    }

    /// Decodes what whole frames remain once no more bytes will come; a partial frame is left
    /// in `buffer`.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> SyncMessage? {
        try decode(buffer: &buffer)
    }
}
