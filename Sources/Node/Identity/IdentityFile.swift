import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, careful file operations for the identity files: create-only writes and bounded reads.
enum IdentityFile {
    /// The largest identity file `read` accepts; a PEM key or certificate is under 1 KiB.
    static let readLimit = 64 * 1024

    /// Writes `bytes` to a new file at `url` with permissions `mode`, all or nothing.
    ///
    /// The bytes go to a temporary file in the same directory, are flushed to disk, and the
    /// temporary file is then hard-linked to its final name, which fails rather than replace a
    /// file that appeared meanwhile. On a file system without hard links it is renamed instead,
    /// after a check that the name is free. Readers never see a partly written file.
    /// - Throws: ``IdentityError`` `.fileExists` when `url` exists, `.writeFailed` otherwise.
    static func createNew(_ bytes: [UInt8], at url: URL, mode: mode_t) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-" + randomSuffix()
        try writeTemporary(bytes, at: temporary, mode: mode, finalPath: path)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            let linkError = errno
            if linkError == EEXIST {
                throw IdentityError(.fileExists, "\(path) already exists; refusing to overwrite it")
            }
            guard linkError == EPERM || linkError == EOPNOTSUPP || linkError == EMLINK else {
                throw failure("cannot create \(path)", linkError)
            }
            if FileManager.default.fileExists(atPath: path) {
                throw IdentityError(.fileExists, "\(path) already exists; refusing to overwrite it")
            }
            guard rename(temporary, path) == 0 else { throw failure("cannot create \(path)", errno) }
        }
        syncDirectory(directory)
    }

    /// Reads the whole file at `url`, refusing files larger than ``readLimit``.
    /// - Throws: ``IdentityError`` `.missingFile`, `.unreadableFile` or `.malformedFile` (too large),
    ///   each naming the file.
    static func readAll(_ url: URL) throws -> [UInt8] {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT {
                throw IdentityError(.missingFile, "\(path) does not exist")
            }
            throw IdentityError(.unreadableFile, "cannot open \(path): \(describe(code))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw IdentityError(.unreadableFile, "cannot read \(path): \(describe(code))")
            }
            bytes += chunk[0..<count]
            if bytes.count > readLimit {
                throw IdentityError(
                    .malformedFile,
                    "\(path) is larger than \(readLimit / 1024) KiB; not an identity file"
                )
            }
        }
        return bytes
    }

    private static func writeTemporary(_ bytes: [UInt8], at temporary: String, mode: mode_t, finalPath: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file for \(finalPath)", errno) }
        var succeeded = false
        defer {
            close(descriptor)
            if !succeeded { unlink(temporary) }
        }
        // The mode given to open() is reduced by the umask; set it exactly.
        guard fchmod(descriptor, mode) == 0 else { throw failure("cannot set permissions of \(finalPath)", errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw failure("cannot write \(finalPath)", code)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("cannot flush \(finalPath) to disk", errno) }
        succeeded = true
    }

    /// Makes the new directory entry durable; a failure here is not worth failing the save for.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }

    private static func failure(_ what: String, _ code: Int32) -> IdentityError {
        IdentityError(.writeFailed, "\(what): \(describe(code))")
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
