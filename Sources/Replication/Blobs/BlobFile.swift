import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor for the blob store's streaming reads and durable writes; closed when
/// the value goes away.
struct BlobFile: ~Copyable {
    private let descriptor: Int32
    let path: String

    deinit {
        _ = close(descriptor)
    }

    /// Opens an existing file for reading; `.notFound` if there is none.
    static func openForReading(_ path: String) throws -> BlobFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code: BlobError.Code = errno == ENOENT ? .notFound : .io
            throw BlobFile.error(code, "cannot open \(path) to read")
        }
        return BlobFile(descriptor: descriptor, path: path)
    }

    /// Creates a new file that must not exist yet, readable and writable by the owner only,
    /// and holds an exclusive `flock` on it while it is open: a temporary file whose lock can be
    /// taken is one no process is writing (its writer finished or was killed).
    static func create(_ path: String) throws -> BlobFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BlobFile.error(.io, "cannot create \(path)") }
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        return BlobFile(descriptor: descriptor, path: path)
    }

    /// Removes the file at `path` if no process holds its lock; whether it did. The lock is
    /// taken before the file is removed, so a writer that still has the file open keeps it.
    static func removeIfAbandoned(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return false }
        return unlink(path) == 0
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw BlobFile.error(.io, "cannot read \(path)") }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw BlobFile.error(.io, "cannot write \(path)")
            }
            offset += count
        }
    }

    /// Flushes the file's bytes to the disk.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw BlobFile.error(.io, "cannot fsync \(path)") }
    }

    /// Reads the whole file in chunks of `chunkSize` bytes, handing each to `body`.
    func forEachChunk(size chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(into: buffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Renames `from` to `destination` (replacing it), then syncs `directory`, the one holding
    /// both, so that the rename survives a crash.
    static func rename(_ from: String, to destination: String, in directory: String) throws {
        guard systemRename(from, destination) == 0 else {
            throw BlobFile.error(.io, "cannot rename \(from) to \(destination)")
        }
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BlobFile.error(.io, "cannot open directory \(directory) to sync it") }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BlobFile.error(.io, "cannot fsync directory \(directory)") }
    }

    /// Removes a file if it is there, ignoring failure (used to clean up temporary files).
    static func removeQuietly(_ path: String) {
        _ = unlink(path)
    }

    private static func error(_ code: BlobError.Code, _ what: String) -> BlobError {
        let number = errno
        return BlobError(code, "\(what): \(String(cString: strerror(number)))", posixCode: number)
    }
}

// The C calls under names that the methods above do not shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
