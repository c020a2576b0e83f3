import NIOCore

/// A run of a document's bytes, answering a ``BlobRequest``.
///
/// Layout of a `blobChunk` payload:
///
/// ```text
/// blobChunk = digest:32 offset:varint total:varint bytes    ; bytes: the rest of the payload
/// ```
///
/// Guarantees of a chunk that decodes: `bytes` holds at most ``SyncLimits/maxChunkBytes``,
/// `offset + bytes.count <= total`, and `bytes` is empty only when `offset == total` (the
/// answer to a request for a document the requester already has in full, or an empty one).
public struct BlobChunk: Sendable, Hashable {
    /// SHA-256 of the whole document, 64 lower-case hex characters.
    public var digest: String
    /// Where `bytes` sit in the document.
    public var offset: UInt64
    /// The document's size in bytes.
    public var total: UInt64
    /// The bytes from `offset`.
    public var bytes: [UInt8]

    public init(digest: String, offset: UInt64, total: UInt64, bytes: [UInt8]) {
        self.digest = digest
        self.offset = offset
        self.total = total
        self.bytes = bytes
    }

    /// The offset just after this chunk.
    public var end: UInt64 { offset &+ UInt64(bytes.count) }

    /// Whether this chunk ends the document.
    public var isLast: Bool { end == total }

    /// Why the chunk breaks the guarantees above, or `nil` if it keeps them.
    var violation: String? {
        if bytes.count > SyncLimits.maxChunkBytes {
            return "a chunk of \(bytes.count) bytes is over the limit of \(SyncLimits.maxChunkBytes)"
        }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(bytes.count))
        if overflow || end > total {
            return "the chunk at offset \(offset) with \(bytes.count) bytes runs past the total of \(total)"
        }
        if bytes.isEmpty && offset != total {
            return "an empty chunk at offset \(offset) before the total of \(total)"
        }
        return nil
    }

    func encode(into buffer: inout ByteBuffer) throws {
        if let violation { throw ProtocolError(.malformed, "blob chunk: \(violation)") }
        try buffer.writeSyncDigest(digest)
        buffer.writeSyncVarint(offset)
        buffer.writeSyncVarint(total)
        buffer.writeBytes(bytes)
    }

    static func decode(_ reader: inout PayloadReader) throws -> BlobChunk {
        let digest = try reader.readDigest("the digest")
        let offset = try reader.readVarint("the offset")
        let total = try reader.readVarint("the total")
        guard reader.remaining <= SyncLimits.maxChunkBytes else {
            throw reader.malformed(
                "a chunk of \(reader.remaining) bytes is over the limit of \(SyncLimits.maxChunkBytes)"
            )
        }
        let chunk = BlobChunk(digest: digest, offset: offset, total: total, bytes: reader.readRest())
        if let violation = chunk.violation { throw ProtocolError(.malformed, "blob chunk: \(violation)") }
        return chunk
    }
}
