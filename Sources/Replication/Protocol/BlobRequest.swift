import NIOCore

/// One document the sender of `wantBlobs` lacks: its digest and how many of its bytes the
/// sender already holds (a resumed download asks from there).
///
/// Layout of a `wantBlobs` payload:
///
/// ```text
/// wantBlobs = count:varint (digest:32 offset:varint)*count
/// ```
///
/// `count` is at most ``SyncLimits/maxBlobRequests``.
public struct BlobRequest: Sendable, Hashable {
    /// SHA-256 of the document's bytes, 64 lower-case hex characters.
    public var digest: String
    /// The bytes the requester already holds; the answer starts here.
    public var offset: UInt64

    public init(digest: String, offset: UInt64 = 0) {
        self.digest = digest
        self.offset = offset
    }

    static func encode(_ requests: [BlobRequest], into buffer: inout ByteBuffer) throws {
        guard requests.count <= SyncLimits.maxBlobRequests else {
            throw ProtocolError(
                .malformed,
                "wantBlobs: \(requests.count) digests, over the limit of \(SyncLimits.maxBlobRequests)"
            )
        }
        buffer.writeSyncVarint(UInt64(requests.count))
        for request in requests {
            try buffer.writeSyncDigest(request.digest)
            buffer.writeSyncVarint(request.offset)
        }
    }

    static func decode(_ reader: inout PayloadReader) throws -> [BlobRequest] {
        let count = try reader.readCount("the digest count", limit: SyncLimits.maxBlobRequests, itemBytes: 33)
        var requests: [BlobRequest] = []
        requests.reserveCapacity(count)
        for index in 0..<count {
            let digest = try reader.readDigest("digest \(index)")
            let offset = try reader.readVarint("offset \(index)")
            requests.append(BlobRequest(digest: digest, offset: offset))
        }
        try reader.expectEnd()
        return requests
    }
}
