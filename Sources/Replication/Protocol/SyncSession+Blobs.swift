// The blob phase: asking for the document bytes this node lacks, serving the peer's wants, and
// the goodbyes.
extension SyncSession {
    /// The documents whose bytes this node lacks (the answer to ``Action/computeMissingBlobs``):
    /// sends `wantBlobs`. Repeated digests are asked once; beyond
    /// ``SyncLimits/maxBlobRequests`` the rest wait for the next session.
    public mutating func missingBlobs(_ requests: [BlobRequest]) -> [Action] {
        guard !isClosed else { return [] }
        guard phase == .blobs, !sentWants else { return misuse("missingBlobs without computeMissingBlobs") }
        var seen: Set<String> = []
        var unique: [BlobRequest] = []
        for request in requests where seen.insert(request.digest).inserted {
            guard DigestHex.bytes(request.digest) != nil else {
                return misuse("'\(request.digest.prefix(80))' is not a SHA-256 digest in lower-case hex")
            }
            guard unique.count < SyncLimits.maxBlobRequests else { break }
            unique.append(request)
        }
        sentWants = true
        wanted = unique[...]
        return [.send(.wantBlobs(unique))] + goodbyeIfDone()
    }

    /// The driver read a chunk for ``Action/readBlobChunk(digest:offset:maxBytes:)``: sends it,
    /// then reads on (the rest of this document, or the next wanted one).
    public mutating func blobChunkRead(_ chunk: BlobChunk) -> [Action] {
        guard !isClosed else { return [] }
        guard let request = reading, request.digest == chunk.digest, request.offset == chunk.offset else {
            return misuse("blobChunkRead for a read nobody asked for")
        }
        if let violation = chunk.violation { return misuse("read a bad chunk: \(violation)") }
        reading = nil
        summary.blobBytesSent += UInt64(chunk.bytes.count)
        if chunk.isLast {
            serving.removeFirst()
            summary.blobsSent += 1
        } else {
            serving[serving.startIndex].offset = chunk.end
        }
        return [.send(.blobChunk(chunk))] + readNextChunk() + goodbyeIfDone()
    }

    /// This node does not hold the document the read asked for — or, when `damaged`, holds
    /// bytes that do not match its digest: tells the peer with `blobMissing` (damaged bytes are
    /// never sent), then serves the next want.
    public mutating func blobUnavailable(digest: String, damaged: Bool = false) -> [Action] {
        guard !isClosed else { return [] }
        guard let request = reading, request.digest == digest else {
            return misuse("blobUnavailable for a read nobody asked for")
        }
        reading = nil
        serving.removeFirst()
        if damaged { summary.blobsDamagedHere.append(digest) }
        return [.send(.blobMissing(digest: digest))] + readNextChunk() + goodbyeIfDone()
    }

    /// The driver stored a chunk given by ``Action/storeBlobChunk(_:)``.
    public mutating func blobChunkStored() -> [Action] {
        guard !isClosed else { return [] }
        guard pendingStores > 0 else { return misuse("blobChunkStored without a chunk to store") }
        pendingStores -= 1
        return goodbyeIfDone()
    }

    /// The driver found that the document completed by the last chunk given by
    /// ``Action/storeBlobChunk(_:)`` does not match its digest, and discarded it. The session
    /// goes on with the other documents; the bytes are asked for again in a later session.
    public mutating func blobChunkRejected(digest: String) -> [Action] {
        guard !isClosed else { return [] }
        guard pendingStores > 0 else { return misuse("blobChunkRejected without a chunk to store") }
        pendingStores -= 1
        summary.blobsReceived -= 1
        summary.blobsRejected.append(digest)
        return goodbyeIfDone()
    }

    mutating func receivedWantBlobs(_ requests: [BlobRequest]) -> [Action] {
        guard phase == .blobs, !receivedPeerWants else {
            return unexpected("a wantBlobs before both streams were done, or a second one")
        }
        receivedPeerWants = true
        serving = requests[...]
        return readNextChunk() + goodbyeIfDone()
    }

    mutating func receivedBlobChunk(_ chunk: BlobChunk) -> [Action] {
        guard phase == .blobs, let request = wanted.first, request.digest == chunk.digest,
            request.offset == chunk.offset, wantedTotal.map({ $0 == chunk.total }) ?? true
        else {
            return unexpected(
                "a blobChunk of \(chunk.digest.prefix(12)) at offset \(chunk.offset) that was not asked for next"
            )
        }
        pendingStores += 1
        summary.blobBytesReceived += UInt64(chunk.bytes.count)
        if chunk.isLast {
            wanted.removeFirst()
            wantedTotal = nil
            summary.blobsReceived += 1
        } else {
            wanted[wanted.startIndex].offset = chunk.end
            wantedTotal = chunk.total
        }
        return [.storeBlobChunk(chunk)]
    }

    mutating func receivedBlobMissing(_ digest: String) -> [Action] {
        guard phase == .blobs, wanted.first?.digest == digest else {
            return unexpected("a blobMissing for \(digest.prefix(12)) that was not asked for next")
        }
        wanted.removeFirst()
        wantedTotal = nil
        summary.blobsMissing.append(digest)
        return goodbyeIfDone()
    }

    mutating func receivedGoodbye() -> [Action] {
        guard phase == .blobs, !peerSaidGoodbye, receivedPeerWants, sentWants, wanted.isEmpty,
            serving.isEmpty, reading == nil
        else { return unexpected("a goodbye before all wants were answered") }
        peerSaidGoodbye = true
        return sentGoodbye ? finish() : goodbyeIfDone()
    }

    /// Asks the driver for the next chunk to serve, unless a read is outstanding.
    mutating func readNextChunk() -> [Action] {
        guard reading == nil, let next = serving.first else { return [] }
        reading = next
        return [.readBlobChunk(digest: next.digest, offset: next.offset, maxBytes: SyncLimits.maxChunkBytes)]
    }

    /// Says goodbye once this node got (and stored) all it asked for and served all it was
    /// asked; finishes if the peer already said it.
    mutating func goodbyeIfDone() -> [Action] {
        guard phase == .blobs, !sentGoodbye, sentWants, wanted.isEmpty, pendingStores == 0, receivedPeerWants,
            serving.isEmpty, reading == nil
        else { return [] }
        sentGoodbye = true
        return [.send(.goodbye)] + (peerSaidGoodbye ? finish() : [])
    }

    mutating func finish() -> [Action] {
        phase = .finished
        return [.finish(summary), .close]
    }
}
