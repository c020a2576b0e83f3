import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock that makes `serve` the only one on its folder: an exclusive `flock` on
/// `<folder>/serve.lock`, held for as long as the value lives, released by the kernel when the
/// process ends however it ends (no stale lock after a crash or SIGKILL). The file holds the
/// holder's process id, for the message a second `serve` prints.
public final class ServeLock: Sendable {
    private let descriptor: Int32

    /// The lock file of a folder.
    public static func url(in folder: URL) -> URL { folder.appendingPathComponent("serve.lock") }

    /// Takes the lock, or throws ``NodeError/Code/alreadyServing`` naming the process that
    /// holds it.
    public init(folder: URL) throws {
        let path = Self.url(in: folder).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FileProblem.error(
                POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO),
                .write,
                URL(fileURLWithPath: path)
            )
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            _ = close(descriptor)
            throw NodeError(
                .alreadyServing,
                "another serve is running on \(folder.path)\(holder.map { " (process \($0))" } ?? ""); stop it first"
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        _ = close(descriptor)
    }
}
