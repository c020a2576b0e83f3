import Foundation
import Testing

/// A `nodectl serve` process on a free loopback port, stopped when the test ends.
final class ServeProcess {
    let node: TestNode
    let process = Process()
    private(set) var address = ""
    let log: URL

    init(_ node: TestNode, interval: Double = 0.5) throws {
        self.node = node
        log = FileManager.default.temporaryDirectory.appendingPathComponent("nextsoft-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = NodeCtl.executable
        process.arguments = [
            "serve", "--data", node.data.path, "--listen", "127.0.0.1:0", "--interval", String(interval),
        ]
        process.environment = PreviewNodes.environment(for: node.data)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let file = node.data.appendingPathComponent("serve.address")
        address = try ServeProcess.waitFor(seconds: 30, "\(node.name) to listen") {
            (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// SIGTERM, then waits for a clean exit; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the node dies wherever it is.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    deinit {
        try? FileManager.default.removeItem(at: log)
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Polls `probe` until it returns a value, or fails after `seconds`.
    static func waitFor<T>(seconds: Double, _ what: String, _ probe: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try probe() { return value }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw WaitTimeout(what: what)
    }

    struct WaitTimeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }
}

extension TestNode {
    /// Trusts `other` and records where its `serve` listens.
    func trust(_ other: TestNode, at address: String) throws {
        try NodeCtl.ok(["peer", "add", other.id, "--name", other.name, "--address", address], data: data)
    }

    /// Everything a user sees of the folders, for comparing nodes.
    func folders() throws -> String {
        let list = try NodeCtl.json(["customer", "list"], data: data) as? [[String: Any]] ?? []
        var shown: [String] = []
        for customer in list {
            guard let id = customer["id"] as? String else { continue }
            shown.append(try NodeCtl.ok(["customer", "show", id, "--json"], data: data))
        }
        return shown.joined()
    }
}

/// Waits until every node shows the same folders (and they are not empty).
func waitForConvergence(_ nodes: [TestNode], seconds: Double = 60, sourceLocation: SourceLocation = #_sourceLocation)
    throws
{
    _ = try ServeProcess.waitFor(seconds: seconds, "nodes to converge") { () -> Bool? in
        let views = try nodes.map { try $0.folders() }
        return Set(views).count == 1 && !(views.first ?? "").isEmpty ? true : nil
    }
}
