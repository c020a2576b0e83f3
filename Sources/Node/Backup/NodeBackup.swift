import Crypto
import Foundation
import Replication

/// `nodectl backup` and `nodectl restore`: a node's folder — replica, documents' bytes,
/// identity — in one file, taken while `serve` runs.
///
/// The file is a sequence of entries, then a SHA-256 of everything before it:
///
/// ```text
/// "NEXTSOFT-BACKUP 1\n"
/// entry*:  name-length:u16 name  size:u64  bytes        (big-endian)
/// end:     0:u16  SHA-256 of all bytes before it (32)
/// ```
///
/// Names are `replica.sqlite`, `node-key.pem`, `node-cert.pem` and `blobs/ab/<digest>`; a
/// restore refuses any other, so no entry can write outside the new folder. The replica is
/// SQLite's online backup of one snapshot; the documents are those it refers to that the
/// store holds, each checked against its digest on the way out and on the way in.
///
/// A restored node is a copy: its replica is a new file, so it begins a new incarnation when
/// first opened (``Replica``'s incarnations) and never reuses a sequence number; what it wrote
/// after the backup comes back from its peers.
public enum NodeBackup {
    static let magic = Array("NEXTSOFT-BACKUP 1\n".utf8)

    /// What `backup` wrote.
    public struct Written: Sendable {
        public var changes: Int
        public var documents: Int
        public var bytes: Int64
    }

    /// What `restore` recreated.
    public struct Restored: Sendable {
        public var nodeID: NodeID
        public var changes: Int
    }

    /// Writes a backup of `home` to `output` (atomically: the file appears whole or not at all).
    public static func write(_ home: NodeHome, to output: URL) throws -> Written {
        let scratch = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).tmp-\(UUID().uuidString)")
        let snapshot = scratch.appendingPathExtension("sqlite")
        defer {
            try? FileManager.default.removeItem(at: scratch)
            try? FileManager.default.removeItem(at: snapshot)
        }
        let copy: (digests: [String], changes: Int)
        do { copy = try home.replica.backup(to: snapshot) } catch {
            throw FileProblem.error(error, .write, output)
        }
        let handle: FileHandle
        do {
            guard FileManager.default.createFile(atPath: scratch.path, contents: nil) else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            handle = try FileHandle(forWritingTo: scratch)
        } catch {
            throw FileProblem.error(error, .write, output)
        }
        var writer = EntryWriter(handle: handle)
        var documents = 0
        do {
            try writer.write(bytes: Array(magic))
            try writer.entry(Replica.fileName, file: snapshot)
            try writer.entry(
                NodeIdentity.keyFileName,
                file: home.directory.appendingPathComponent(NodeIdentity.keyFileName)
            )
            try writer.entry(
                NodeIdentity.certificateFileName,
                file: home.directory.appendingPathComponent(NodeIdentity.certificateFileName)
            )
            for digest in copy.digests where home.blobs.contains(digest) {
                guard case .intact = try home.blobs.state(of: digest) else { continue }  // damaged: left out
                try writer.entry("blobs/\(digest.prefix(2))/\(digest)", file: try home.blobs.url(for: digest))
                documents += 1
            }
            try writer.finish()
            try handle.synchronize()
            try handle.close()
            try FileManager.default.moveItem(at: scratch, to: output)
        } catch let error as NodeError {
            throw error
        } catch {
            throw FileProblem.error(error, .write, output)
        }
        return Written(changes: copy.changes, documents: documents, bytes: writer.count)
    }

    /// Recreates a node from the backup `file` into `directory`, which must not hold anything.
    /// Checks the whole file first; on any problem nothing is left in `directory`.
    public static func restore(_ file: URL, into directory: URL) throws -> Restored {
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: directory.path), !contents.isEmpty {
            throw NodeError(.alreadyANode, "\(directory.path) is not empty: restore into an empty or new folder")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: file) } catch { throw FileProblem.error(error, .read, file) }
        defer { try? handle.close() }
        try verify(handle, name: file.path)
        let staging = directory.deletingLastPathComponent()
            .appendingPathComponent(".\(directory.lastPathComponent).restore-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: staging) }
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        try handle.seek(toOffset: UInt64(magic.count))
        var reader = EntryReader(handle: handle, name: file.path)
        var seen: Set<String> = []
        while let (name, size) = try reader.nextEntry() {
            guard isAllowed(name), seen.insert(name).inserted else {
                throw NodeError(
                    .fileUnreadable,
                    "\(file.path): an entry named '\(name.prefix(80))' is not part of a backup"
                )
            }
            let target = staging.appendingPathComponent(name)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try reader.copy(size, to: target)
            if name.hasPrefix("blobs/") {
                let digest = String(name.suffix(64))
                guard case .intact = try BlobStore(directory: staging.appendingPathComponent("blobs")).state(of: digest)
                else { throw NodeError(.fileUnreadable, "\(file.path): document \(digest.prefix(12)) is damaged") }
            }
        }
        for required in [Replica.fileName, NodeIdentity.keyFileName, NodeIdentity.certificateFileName]
        where !seen.contains(required) {
            throw NodeError(.fileUnreadable, "\(file.path) has no \(required): not a whole backup")
        }
        _ = chmod(staging.appendingPathComponent(NodeIdentity.keyFileName).path, 0o600)
        let home = try NodeHome.open(at: staging)
        let restored = Restored(nodeID: home.nodeID, changes: try home.replica.counts().changes)
        if manager.fileExists(atPath: directory.path) { try manager.removeItem(at: directory) }
        try manager.moveItem(at: staging, to: directory)
        return restored
    }

    /// Whether `name` may be restored: one of the node's files, or a blob at its place.
    static func isAllowed(_ name: String) -> Bool {
        if [Replica.fileName, NodeIdentity.keyFileName, NodeIdentity.certificateFileName].contains(name) {
            return true
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "blobs" && BlobStore.isValidDigest(String(parts[2]))
            && parts[1] == parts[2].prefix(2)
    }

    /// Checks the magic and the final digest, reading the file once.
    static func verify(_ handle: FileHandle, name: String) throws {
        let total = try handle.seekToEnd()
        guard total >= UInt64(magic.count + 2 + 32) else { throw NodeError(.fileUnreadable, "\(name) is not a backup") }
        try handle.seek(toOffset: 0)
        guard try handle.read(upToCount: magic.count).map(Array.init) == magic else {
            throw NodeError(.fileUnreadable, "\(name) is not a backup (or one of a newer format)")
        }
        try handle.seek(toOffset: 0)
        var hasher = SHA256()
        var left = total - 32
        while left > 0 {
            let chunk = try handle.read(upToCount: Int(min(left, 1 << 20))) ?? Data()
            guard !chunk.isEmpty else { throw NodeError(.fileUnreadable, "\(name) is truncated") }
            hasher.update(data: chunk)
            left -= UInt64(chunk.count)
        }
        let stored = try handle.read(upToCount: 32) ?? Data()
        guard Array(stored) == Array(hasher.finalize()) else {
            throw NodeError(.fileUnreadable, "\(name) is damaged: its bytes do not match the digest at its end")
        }
    }
}

/// Writes entries, hashing every byte.
private struct EntryWriter {
    let handle: FileHandle
    var hasher = SHA256()
    var count: Int64 = 0

    mutating func write(bytes: [UInt8]) throws {
        hasher.update(data: bytes)
        try handle.write(contentsOf: bytes)
        count += Int64(bytes.count)
    }

    mutating func entry(_ name: String, file: URL) throws {
        let source = try FileHandle(forReadingFrom: file)
        defer { try? source.close() }
        let size = try source.seekToEnd()
        try source.seek(toOffset: 0)
        let nameBytes = Array(name.utf8)
        try write(bytes: Self.bigEndian(UInt64(nameBytes.count), width: 2) + nameBytes + Self.bigEndian(size, width: 8))
        var left = size
        while left > 0 {
            let chunk = try source.read(upToCount: Int(min(left, 1 << 20))) ?? Data()
            guard !chunk.isEmpty else { throw NodeError(.fileUnreadable, "\(file.path) changed while it was read") }
            try write(bytes: Array(chunk))
            left -= UInt64(chunk.count)
        }
    }

    mutating func finish() throws {
        try write(bytes: [0, 0])
        let digest = Array(hasher.finalize())
        try handle.write(contentsOf: digest)
        count += Int64(digest.count)
    }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}

/// Reads entries of a file whose digest was verified.
private struct EntryReader {
    let handle: FileHandle
    let name: String

    func bytes(_ count: Int) throws -> [UInt8] {
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else { throw NodeError(.fileUnreadable, "\(name) is truncated") }
        return Array(data)
    }

    mutating func nextEntry() throws -> (String, UInt64)? {
        let length = try bytes(2).reduce(0) { $0 << 8 | Int($1) }
        guard length > 0 else { return nil }
        guard let entry = String(bytes: try bytes(length), encoding: .utf8) else {
            throw NodeError(.fileUnreadable, "\(name): an entry name is not UTF-8")
        }
        let size = try bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (entry, size)
    }

    func copy(_ size: UInt64, to target: URL) throws {
        guard FileManager.default.createFile(atPath: target.path, contents: nil),
            let out = try? FileHandle(forWritingTo: target)
        else { throw NodeError(.fileUnwritable, "cannot write \(target.path)") }
        defer { try? out.close() }
        var left = size
        while left > 0 {
            let chunk = try handle.read(upToCount: Int(min(left, 1 << 20))) ?? Data()
            guard !chunk.isEmpty else { throw NodeError(.fileUnreadable, "\(name) is truncated") }
            try out.write(contentsOf: chunk)
            left -= UInt64(chunk.count)
        }
        try out.synchronize()
    }
}
