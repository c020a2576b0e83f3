import NIOCore

/// One message of the sync protocol, as it travels in one frame.
///
/// A frame is `length:u32be type:u8 payload`, where `length` counts the type byte and the
/// payload. ``encode(into:maxFrameLength:)`` writes a whole frame;
/// ``decode(type:payload:batchLimits:)`` reads one message from a frame's type and payload
/// (``SyncFrameDecoder`` does the framing for a NIO pipeline). docs/PROTOCOL.md gives every
/// layout byte by byte.
///
/// ```swift
/// var buffer = ByteBuffer()
/// try SyncMessage.doneSending.encode(into: &buffer)    // 00 00 00 01 04
/// ```
public enum SyncMessage: Sendable, Hashable {
    /// Type 1: who the sender is, which version it speaks and what it holds. Sent first, once.
    case hello(Hello)
    /// Type 2: changes the receiver lacks; the payload is the ``ChangeBatchCodec`` bytes.
    case batch(ChangeBatch)
    /// Type 3: the receiver of a batch applied it and now holds this vector (a checkpoint).
    case applied(VersionVector)
    /// Type 4: the sender has no more batches.
    case doneSending
    /// Type 5: the documents whose bytes the sender lacks, each with the offset it has.
    case wantBlobs([BlobRequest])
    /// Type 6: some bytes of a wanted document.
    case blobChunk(BlobChunk)
    /// Type 7: the sender does not have this wanted document's bytes either.
    case blobMissing(digest: String)
    /// Type 8: the sender refuses to go on (a short machine-readable code and one line for a
    /// person) and closes the connection.
    case refusal(code: String, message: String)
    /// Type 9: the sender is done with everything; the session ends when both said it.
    case goodbye

    /// The type byte of each message. Stable: never renumber.
    enum Kind: UInt8, CaseIterable {
        case hello = 1
        case batch = 2
        case applied = 3
        case doneSending = 4
        case wantBlobs = 5
        case blobChunk = 6
        case blobMissing = 7
        case refusal = 8
        case goodbye = 9

        /// The name used in error messages.
        var name: String {
            switch self {
            case .hello: "hello"
            case .batch: "batch"
            case .applied: "applied"
            case .doneSending: "doneSending"
            case .wantBlobs: "wantBlobs"
            case .blobChunk: "blobChunk"
            case .blobMissing: "blobMissing"
            case .refusal: "refusal"
            case .goodbye: "goodbye"
            }
        }
    }

    var kind: Kind {
        switch self {
        case .hello: .hello
        case .batch: .batch
        case .applied: .applied
        case .doneSending: .doneSending
        case .wantBlobs: .wantBlobs
        case .blobChunk: .blobChunk
        case .blobMissing: .blobMissing
        case .refusal: .refusal
        case .goodbye: .goodbye
        }
    }

    /// Appends this message as one whole frame.
    ///
    /// Throws ``ProtocolError`` (and leaves `buffer` as it was) if the message breaks a limit a
    /// peer would refuse: ``ProtocolError/Code/frameTooLarge`` if the frame would exceed
    /// `maxFrameLength`, ``ProtocolError/Code/malformed`` for a field over its limit or a
    /// digest that is not 64 lower-case hex characters.
    public func encode(into buffer: inout ByteBuffer, maxFrameLength: Int = SyncLimits.defaultMaxFrameLength) throws {
        let frameStart = buffer.writerIndex
        do {
            buffer.writeInteger(UInt32(0))
            buffer.writeInteger(kind.rawValue)
            try encodePayload(into: &buffer)
            let length = buffer.writerIndex - frameStart - 4
            guard length <= maxFrameLength, length <= Int(UInt32.max) else {
                throw ProtocolError(
                    .frameTooLarge,
                    "a \(kind.name) frame of \(length) bytes is over the limit of \(maxFrameLength)"
                )
            }
            buffer.setInteger(UInt32(length), at: frameStart)
        } catch {
            buffer.moveWriterIndex(to: frameStart)
            throw error
        }
    }

    private func encodePayload(into buffer: inout ByteBuffer) throws {
        switch self {
        case .hello(let hello):
            try hello.encode(into: &buffer)
        case .batch(let batch):
            do {
                buffer.writeBytes(try ChangeBatchCodec.encode(batch))
            } catch {
                let codecError = error as? CodecError
                let code: ProtocolError.Code = codecError?.code == .tooLarge ? .frameTooLarge : .malformed
                throw ProtocolError(code, "batch: cannot encode: \(codecError?.message ?? "\(error)")")
            }
        case .applied(let vector):
            try buffer.writeSyncVector(vector, "the applied vector")
        case .doneSending, .goodbye:
            break
        case .wantBlobs(let requests):
            try BlobRequest.encode(requests, into: &buffer)
        case .blobChunk(let chunk):
            try chunk.encode(into: &buffer)
        case .blobMissing(let digest):
            try buffer.writeSyncDigest(digest)
        case .refusal(let code, let message):
            try buffer.writeSyncString(code, maxBytes: SyncLimits.maxRefusalCodeBytes, "the refusal code")
            try buffer.writeSyncString(message, maxBytes: SyncLimits.maxRefusalMessageBytes, "the refusal message")
        }
    }

    /// Reads the message of one frame from its type byte and its payload.
    ///
    /// Every input either yields a message or throws ``ProtocolError``: `.unknownMessage` for a
    /// type this build does not know, `.malformed` for a payload that is not exactly one
    /// well-formed message (a batch is checked by ``ChangeBatchCodec`` within `batchLimits`).
    /// A hello of another protocol version is not an error here: it decodes (see ``Hello``)
    /// and the session refuses it.
    public static func decode(
        type: UInt8,
        payload: ByteBuffer,
        batchLimits: ChangeBatchCodec.Limits = .default
    ) throws -> SyncMessage {
        guard let kind = Kind(rawValue: type) else {
            throw ProtocolError(.unknownMessage, "unknown message type \(type) (this build knows 1 to 9)")
        }
        var reader = PayloadReader(payload, message: kind.name)
        let message: SyncMessage
        switch kind {
        case .hello:
            message = .hello(try Hello.decode(&reader))
        case .batch:
            do {
                message = .batch(try ChangeBatchCodec.decode(reader.readRest(), limits: batchLimits))
            } catch {
                throw ProtocolError(.malformed, "batch: \((error as? CodecError)?.message ?? "\(error)")")
            }
        case .applied:
            message = .applied(try reader.readVector("the applied vector"))
        case .doneSending:
            message = .doneSending
        case .wantBlobs:
            message = .wantBlobs(try BlobRequest.decode(&reader))
        case .blobChunk:
            message = .blobChunk(try BlobChunk.decode(&reader))
        case .blobMissing:
            message = .blobMissing(digest: try reader.readDigest("the digest"))
        case .refusal:
            let code = try reader.readString("the refusal code", maxBytes: SyncLimits.maxRefusalCodeBytes)
            let text = try reader.readString("the refusal message", maxBytes: SyncLimits.maxRefusalMessageBytes)
            message = .refusal(code: code, message: text)
        case .goodbye:
            message = .goodbye
        }
        try reader.expectEnd()
        return message
    }
}
