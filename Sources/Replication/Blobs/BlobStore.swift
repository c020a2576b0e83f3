import Crypto
import Foundation

/// A content-addressed store for document bytes: each blob is a file named by the SHA-256 of
/// its bytes, in lower-case hex.
///
/// Files are laid out as `<directory>/ab/abcdef…`: the first two characters of the digest name
/// a subdirectory, the whole digest names the file.
///
/// Guarantees:
/// - Writes are atomic and durable: bytes go to a temporary file in the store, are fsynced,
///   then renamed into place and the directory fsynced. A reader never sees a partial blob, and
///   a crash leaves at most a stray temporary file (named `.tmp-…`).
/// - ``put(_:)`` is idempotent: storing the same bytes again returns the same digest and
///   leaves an intact blob as it was (a stored copy found corrupt is replaced).
/// - ``read(_:)`` and ``copy(_:to:)`` hash what they read and refuse corrupt blobs with
///   ``BlobError/Code/corrupt``; corrupt bytes are never handed on.
/// - Every digest is checked to be 64 lower-case hex characters before a path is built from
///   it, so no digest can name a file outside the store.
/// - Files are streamed in chunks of ``chunkSize`` bytes: a 1 GB document is never held in
///   memory, except by ``read(_:)``, which returns the bytes.
///
/// ```swift
/// let store = try BlobStore(directory: root.appendingPathComponent("blobs"))
/// let (digest, size) = try store.put(contentsOf: scannedInvoice)
/// try store.copy(digest, to: exportFolder.appendingPathComponent("invoice.pdf"))
/// ```
public struct BlobStore: Sendable {
    /// The directory holding the blobs.
    public let directory: URL
    /// The size of the pieces files are streamed in.
    public static let chunkSize = 1 << 20

    /// Opens the store rooted at `directory`, creating the directory if needed.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw BlobError(.io, "cannot create the blob directory \(directory.path): \(error.localizedDescription)")
        }
        self.directory = directory
    }

    /// Whether `text` is a digest: 64 lower-case hexadecimal characters.
    public static func isValidDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Where the blob with `digest` lives (whether or not it is there).
    public func url(for digest: String) throws -> URL {
        try Self.validate(digest)
        return directory.appendingPathComponent(String(digest.prefix(2)), isDirectory: true)
            .appendingPathComponent(digest, isDirectory: false)
    }

    /// Whether the store holds a blob with `digest`; false for anything that is not a digest.
    public func contains(_ digest: String) -> Bool {
        guard let url = try? url(for: digest) else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Erases the bytes stored under `digest` (a withdrawn document's); returns whether there
    /// were any. Erasing what is not held changes nothing.
    @discardableResult
    public func remove(_ digest: String) throws -> Bool {
        let destination = try url(for: digest)
        guard FileManager.default.fileExists(atPath: destination.path) else { return false }
        try FileManager.default.removeItem(at: destination)
        return true
    }

    /// Stores `bytes` and returns their digest. Storing bytes already held intact changes
    /// nothing.
    @discardableResult
    public func put(_ bytes: some DataProtocol) throws -> String {
        let digest = Self.hex(SHA256.hash(data: bytes))
        let destination = try url(for: digest)
        if isIntact(digest, at: destination, size: Int64(bytes.count)) { return digest }
        let shard = try makeShard(for: destination)
        let temporary = shard.appendingPathComponent(".tmp-\(UUID().uuidString)").path
        do {
            let file = try BlobFile.create(temporary)
            for region in bytes.regions {
                try region.withUnsafeBytes { try file.write($0) }
            }
            try file.sync()
            try BlobFile.rename(temporary, to: destination.path, in: shard.path)
        } catch {
            BlobFile.removeQuietly(temporary)
            throw error
        }
        return digest
    }

    /// Stores the contents of `file`, streaming it, and returns the digest and the size. With
    /// `expected`, bytes that hash to anything else are refused with ``BlobError/Code/corrupt``
    /// and nothing is stored.
    public func put(contentsOf file: URL, expected: String? = nil) throws -> (digest: String, size: Int64) {
        // The digest is known only at the end, so the bytes go to a temporary file in the root
        // of the store (the same file system) before they are renamed into their directory.
        let temporary = directory.appendingPathComponent(".tmp-\(UUID().uuidString)").path
        do {
            let source = try BlobFile.openForReading(file.path)
            let target = try BlobFile.create(temporary)
            var hasher = SHA256()
            var size: Int64 = 0
            try source.forEachChunk(size: Self.chunkSize) { chunk in
                hasher.update(bufferPointer: chunk)
                try target.write(chunk)
                size += Int64(chunk.count)
            }
            let digest = Self.hex(hasher.finalize())
            if let expected, expected != digest {
                throw BlobError(.corrupt, "the bytes of blob \(expected.prefix(12)) hash to \(digest.prefix(12))")
            }
            let destination = try url(for: digest)
            if isIntact(digest, at: destination, size: size) {
                BlobFile.removeQuietly(temporary)
                return (digest, size)
            }
            try target.sync()
            let shard = try makeShard(for: destination)
            try BlobFile.rename(temporary, to: destination.path, in: shard.path)
            return (digest, size)
        } catch {
            BlobFile.removeQuietly(temporary)
            throw error
        }
    }

    /// The bytes of the blob with `digest`, checked against it.
    public func read(_ digest: String) throws -> [UInt8] {
        let source = try BlobFile.openForReading(try url(for: digest).path)
        var hasher = SHA256()
        var bytes: [UInt8] = []
        try source.forEachChunk(size: Self.chunkSize) { chunk in
            hasher.update(bufferPointer: chunk)
            bytes.append(contentsOf: chunk)
        }
        try Self.verify(hasher, digest)
        return bytes
    }

    /// Copies the blob with `digest` to `destination`, streaming it and checking it on the way;
    /// `destination` appears, replacing any file there, only if the blob was intact.
    public func copy(_ digest: String, to destination: URL) throws {
        let source = try BlobFile.openForReading(try url(for: digest).path)
        let folder = destination.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(UUID().uuidString)").path
        do {
            let target = try BlobFile.create(temporary)
            var hasher = SHA256()
            try source.forEachChunk(size: Self.chunkSize) { chunk in
                hasher.update(bufferPointer: chunk)
                try target.write(chunk)
            }
            try Self.verify(hasher, digest)
            try target.sync()
            try BlobFile.rename(temporary, to: destination.path, in: folder.path)
        } catch {
            BlobFile.removeQuietly(temporary)
            throw error
        }
    }

    // MARK: helpers

    private static func validate(_ digest: String) throws {
        guard isValidDigest(digest) else {
            throw BlobError(
                .invalidDigest,
                "not a blob digest (64 lower-case hex characters): \(digest.debugDescription)"
            )
        }
    }

    private static func verify(_ hasher: SHA256, _ digest: String) throws {
        let actual = hex(hasher.finalize())
        guard actual == digest else {
            throw BlobError(.corrupt, "blob \(digest) is corrupt: its bytes hash to \(actual)")
        }
    }

    /// Whether the blob is stored with the right size and bytes that hash to its digest.
    private func isIntact(_ digest: String, at url: URL, size: Int64) -> Bool {
        guard Self.size(of: url) == size, let file = try? BlobFile.openForReading(url.path) else { return false }
        var hasher = SHA256()
        guard (try? file.forEachChunk(size: Self.chunkSize) { hasher.update(bufferPointer: $0) }) != nil else {
            return false
        }
        return Self.hex(hasher.finalize()) == digest
    }

    private func makeShard(for destination: URL) throws -> URL {
        let shard = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        } catch {
            throw BlobError(.io, "cannot create the blob directory \(shard.path): \(error.localizedDescription)")
        }
        return shard
    }

    private static func size(of url: URL) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
