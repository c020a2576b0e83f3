import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child `nodectl` process whose own peak resident memory is known when it ends (`wait4`
/// reports the child's rusage, which `Foundation.Process` does not).
final class ChildProcess {
    let pid: pid_t
    let stdoutFile: URL
    let stderrFile: URL
    private(set) var status: Int32?
    private(set) var peakResidentBytes: Int64 = 0

    /// Starts `executable arguments…` with stdout and stderr going to files.
    init(_ executable: String, _ arguments: [String], scratch: URL) throws {
        let tag = UUID().uuidString
        stdoutFile = scratch.appendingPathComponent("child-\(tag).out")
        stderrFile = scratch.appendingPathComponent("child-\(tag).err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw UsageError("cannot start \(executable): \(String(cString: strerror(result)))") }
        pid = child
    }

    /// Waits for the child to end; returns its exit status (128 + signal if a signal ended it).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        var usage = rusage()
        while wait4(pid, &raw, 0, &usage) < 0 && errno == EINTR {}
        peakResidentBytes = Int64(usage.ru_maxrss) * 1024
        let exit: Int32 = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = exit
        return exit
    }

    /// Sends a signal (SIGTERM to stop a server cleanly).
    func signal(_ signal: Int32) {
        guard status == nil else { return }
        kill(pid, signal)
    }

    var output: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            wait()
        }
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
    }
}
