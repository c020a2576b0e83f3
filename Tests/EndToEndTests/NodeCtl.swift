import Foundation
import Testing

/// Runs the real `nodectl` executable, as a user or a script would.
struct NodeCtl {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The stdout parsed as JSON (the command must have printed exactly one document).
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }
    }

    /// The built `nodectl`: next to the test bundle, or `$NODECTL`.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["NODECTL"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("nodectl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/nodectl")
    }()

    /// Runs `nodectl ARGS --data DIR` and returns its exit status and output; `input` is its
    /// standard input (else an empty one).
    static func run(
        _ arguments: [String],
        data: URL?,
        environment: [String: String] = [:],
        input: Data? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (data.map { ["--data", $0.path] } ?? [])
        process.environment = PreviewNodes.environment(for: data, adding: environment)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nodectl-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let input {
            let file = scratch.appendingPathComponent("in")
            try input.write(to: file)
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }

    /// Runs a command that must succeed; returns its stdout.
    @discardableResult
    static func ok(_ arguments: [String], data: URL?, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let result = try run(arguments, data: data)
        #expect(
            result.status == 0,
            "nodectl \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result.stdout
    }

    /// Runs a `--json` command that must succeed; returns the parsed document.
    static func json(_ arguments: [String], data: URL?, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any
    {
        let result = try run(arguments + ["--json"], data: data)
        #expect(
            result.status == 0,
            "nodectl \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            sourceLocation: sourceLocation
        )
        return try result.json()
    }

    /// Runs a command that must be refused: exit 1, one line on stderr, nothing on stdout.
    @discardableResult
    static func refused(
        _ arguments: [String],
        data: URL?,
        input: Data? = nil,
        mentioning fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Result {
        let result = try run(arguments, data: data, input: input)
        #expect(
            result.status == 1,
            "expected exit 1 from \(arguments), got \(result.status): \(result.stderr)",
            sourceLocation: sourceLocation
        )
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line on stderr, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stderr.contains(fragment),
            "stderr should mention '\(fragment)': \(result.stderr)",
            sourceLocation: sourceLocation
        )
        #expect(result.stdout.isEmpty, "stdout should be empty: \(result.stdout)", sourceLocation: sourceLocation)
        return result
    }
}

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nextsoft-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A node made with `nodectl init` in a temporary folder.
struct TestNode {
    let data: URL
    let id: String
    let name: String

    /// `preview`: the node runs the test-only next release (``PreviewNodes``).
    /// `role`: `office` or `laptop` (`nodectl init --role`; office when `nil`).
    init(_ name: String, in folder: TemporaryFolder, preview: Bool = false, role: String? = nil) throws {
        data = folder.path(name)
        if preview { PreviewNodes.register(data) }
        let json =
            try NodeCtl.json(["init", "--name", name] + (role.map { ["--role", $0] } ?? []), data: data)
            as? [String: Any]
        id = json?["nodeId"] as? String ?? ""
        self.name = name
    }

    func trust(_ other: TestNode) throws {
        try NodeCtl.ok(["peer", "add", other.id, "--name", other.name], data: data)
    }

    /// Makes a bundle of everything this node holds and applies it on `other`.
    @discardableResult
    func send(to other: TestNode, via folder: TemporaryFolder) throws -> [String: Any] {
        let file = folder.path("\(name)-to-\(other.name)-\(UUID().uuidString).bundle")
        try NodeCtl.ok(["bundle", "create", "--output", file.path], data: data)
        return try NodeCtl.json(["bundle", "apply", file.path], data: other.data) as? [String: Any] ?? [:]
    }

    /// A fingerprint of everything a user can see: used to show a refused command changed nothing.
    func snapshot() throws -> String {
        var parts: [String] = []
        for command in [["status"], ["customer", "list"], ["conflicts", "list"], ["peer", "list"]] {
            parts.append(try NodeCtl.run(command + ["--json"], data: data).stdout)
        }
        return parts.joined(separator: "\n")
    }
}
