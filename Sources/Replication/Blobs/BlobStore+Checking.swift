import Crypto
import Foundation

/// What a stored document's bytes were found to be.
public enum BlobState: Hashable, Sendable {
    /// The bytes are there and hash to their digest.
    case intact
    /// No file holds the digest.
    case missing
    /// A file is there but its bytes hash to something else (a flipped byte, a truncation).
    case damaged(actual: String, size: Int64)
}

// Finding damaged bytes, setting them aside, and removing what crashed writers left behind.
extension BlobStore {
    /// Where damaged blobs are set aside: `<directory>/damaged/`. No digest is named
    /// `damaged`, so it never collides with a shard.
    public var damagedDirectory: URL { directory.appendingPathComponent("damaged", isDirectory: true) }

    /// Hashes the blob with `digest` and says whether it is intact, missing or damaged.
    public func state(of digest: String) throws -> BlobState {
        let path = try url(for: digest).path
        let file: BlobFile
        do { file = try BlobFile.openForReading(path) } catch let error as BlobError where error.code == .notFound {
            return .missing
        }
        var hasher = SHA256()
        var size: Int64 = 0
        try file.forEachChunk(size: Self.chunkSize) { chunk in
            hasher.update(bufferPointer: chunk)
            size += Int64(chunk.count)
        }
        let actual = Self.hex(hasher.finalize())
        return actual == digest ? .intact : .damaged(actual: actual, size: size)
    }

    /// Moves the damaged blob with `digest` out of the store into ``damagedDirectory``, so that
    /// the store no longer claims it and the next sync fetches intact bytes from a peer. The
    /// damaged bytes are kept there for an admin, never served or filed. Returns where they
    /// went, or `nil` if the blob was not there.
    @discardableResult
    public func setAside(_ digest: String) throws -> URL? {
        let source = try url(for: digest)
        guard FileManager.default.fileExists(atPath: source.path) else { return nil }
        do {
            try FileManager.default.createDirectory(at: damagedDirectory, withIntermediateDirectories: true)
            let stamp = Int(Date().timeIntervalSince1970)
            let target = damagedDirectory.appendingPathComponent("\(digest).\(stamp)")
            try BlobFile.rename(source.path, to: target.path, in: damagedDirectory.path)
            return target
        } catch let error as BlobError {
            throw error
        } catch {
            throw BlobError(.io, "cannot set aside the damaged blob \(digest): \(error.localizedDescription)")
        }
    }

    /// Removes the temporary files (`.tmp-…`) in the store that no process is writing — those
    /// of writers that crashed or were killed — and returns their paths and sizes. A file still
    /// being written is locked by its writer and left alone.
    public func removeAbandonedTemporaryFiles() -> [(path: String, size: Int64)] {
        var removed: [(path: String, size: Int64)] = []
        let manager = FileManager.default
        var folders = [directory.path]
        if let shards = try? manager.contentsOfDirectory(atPath: directory.path) {
            folders += shards.filter { $0.utf8.count == 2 }.map { directory.appendingPathComponent($0).path }
        }
        for folder in folders {
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where name.hasPrefix(".tmp-") {
                let path = (folder as NSString).appendingPathComponent(name)
                let size = ((try? manager.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
                if BlobFile.removeIfAbandoned(path) { removed.append((path, size)) }
            }
        }
        return removed.sorted { $0.path < $1.path }
    }
}
