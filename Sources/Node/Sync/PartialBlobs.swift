import Crypto
import Foundation
import Replication

/// Documents' bytes that are arriving from a peer, chunk by chunk, kept across sessions so an
/// interrupted transfer resumes where it stopped.
///
/// A partial document lives in `blobs-partial/<digest>` beside the store. When its last chunk
/// arrives, the whole file is checked against its SHA-256 digest and moved into the
/// ``BlobStore``; a mismatch discards it.
struct PartialBlobs {
    let directory: URL
    let store: BlobStore

    init(home: NodeHome) {
        directory = home.directory.appendingPathComponent("blobs-partial")
        store = home.blobs
    }

    /// The bytes already held of a document that is not in the store yet.
    func offset(of digest: String) -> UInt64 {
        guard BlobStore.isValidDigest(digest),
            let attributes = try? FileManager.default.attributesOfItem(atPath: url(digest).path),
            let size = attributes[.size] as? NSNumber
        else { return 0 }
        return size.uint64Value
    }

    /// What this node lacks: every document digest the replica refers to that the store does
    /// not hold, with the bytes already received of each.
    func missing(in replica: Replica) throws -> [BlobRequest] {
        try replica.documentDigests().filter { !store.contains($0) }.map {
            BlobRequest(digest: $0, offset: offset(of: $0))
        }
    }

    /// Writes a chunk at its offset; when it is the last, verifies the document and moves it
    /// into the store. Throws when the chunk does not continue the partial file or the whole
    /// document does not match its digest.
    func store(_ chunk: BlobChunk) throws {
        guard BlobStore.isValidDigest(chunk.digest) else {
            throw NodeError(.fileUnwritable, "a peer sent bytes for a malformed digest")
        }
        if store.contains(chunk.digest) { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = url(chunk.digest)
        if chunk.offset == 0 {
            FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        let held = offset(of: chunk.digest)
        guard held >= chunk.offset else {
            throw NodeError(
                .fileUnwritable,
                "a chunk of document \(chunk.digest.prefix(12)) starts at \(chunk.offset) but only \(held) bytes are here"
            )
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.truncate(atOffset: chunk.offset)
        try handle.seek(toOffset: chunk.offset)
        try handle.write(contentsOf: chunk.bytes)
        guard chunk.isLast else { return }
        try handle.synchronize()
        let stored = try store.put(contentsOf: file)
        try? FileManager.default.removeItem(at: file)
        guard stored.digest == chunk.digest else {
            throw NodeError(
                .fileUnwritable,
                "the bytes received for document \(chunk.digest.prefix(12)) do not match its digest; discarded"
            )
        }
    }

    /// Reads at most `maxBytes` of a stored document from `offset`; `nil` when the store does
    /// not hold it or it is shorter than `offset`.
    func read(_ digest: String, offset: UInt64, maxBytes: Int) throws -> BlobChunk? {
        guard store.contains(digest) else { return nil }
        let file = try store.url(for: digest)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let total = try handle.seekToEnd()
        guard offset <= total else { return nil }
        try handle.seek(toOffset: offset)
        let bytes = try handle.read(upToCount: maxBytes) ?? Data()
        return BlobChunk(digest: digest, offset: offset, total: total, bytes: Array(bytes))
    }

    private func url(_ digest: String) -> URL { directory.appendingPathComponent(digest) }
}
