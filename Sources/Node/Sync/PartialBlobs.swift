import Crypto
import Foundation
import Replication

/// Documents' bytes that are arriving from a peer, chunk by chunk, kept across sessions so an
/// interrupted transfer resumes where it stopped.
///
/// A partial document lives in `blobs-partial/<digest>` beside the store. When its last chunk
/// arrives, the whole file is checked against its SHA-256 digest and moved into the
/// ``BlobStore``; a mismatch discards it and stores nothing — bad bytes from a peer are never
/// filed or kept. Documents served to a peer are hashed before their first chunk is sent, so
/// bytes damaged here are never handed on.
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

    /// What storing a chunk did.
    enum Stored: Equatable {
        /// The chunk was written; more of the document is to come.
        case partial
        /// The last chunk: the whole document matched its digest and is in the store.
        case complete
        /// The last chunk: the whole document did not match its digest. Nothing was stored and
        /// the partial file is gone, so the bytes are asked for again from the start.
        case rejected
    }

    /// Writes a chunk at its offset; when it is the last, verifies the document and moves it
    /// into the store, or discards it if it does not match its digest. Throws when the chunk
    /// does not continue the partial file or the file system refuses.
    func store(_ chunk: BlobChunk) throws -> Stored {
        guard BlobStore.isValidDigest(chunk.digest) else {
            throw NodeError(.fileUnwritable, "a peer sent bytes for a malformed digest")
        }
        if store.contains(chunk.digest) { return chunk.isLast ? .complete : .partial }
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
        guard chunk.isLast else { return .partial }
        try handle.synchronize()
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try store.put(contentsOf: file, expected: chunk.digest)
            return .complete
        } catch let error as BlobError where error.code == .corrupt {
            return .rejected
        }
    }

    /// What serving a read found.
    enum Read {
        case chunk(BlobChunk)
        /// The store does not hold the document (or holds less than `offset`).
        case unavailable
        /// The stored bytes do not match their digest: they were set aside (to `setAside`) and
        /// are not served.
        case damaged(setAside: URL?)
    }

    /// Reads at most `maxBytes` of a stored document from `offset`. With `verify` (the first
    /// read of a document in a session), the whole document is hashed first: damaged bytes are
    /// set aside and never served.
    func read(_ digest: String, offset: UInt64, maxBytes: Int, verify: Bool) throws -> Read {
        guard store.contains(digest) else { return .unavailable }
        if verify, case .damaged = try store.state(of: digest) {
            return .damaged(setAside: try store.setAside(digest))
        }
        let file = try store.url(for: digest)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let total = try handle.seekToEnd()
        guard offset <= total else { return .unavailable }
        try handle.seek(toOffset: offset)
        let bytes = try handle.read(upToCount: maxBytes) ?? Data()
        return .chunk(BlobChunk(digest: digest, offset: offset, total: total, bytes: Array(bytes)))
    }

    private func url(_ digest: String) -> URL { directory.appendingPathComponent(digest) }
}
