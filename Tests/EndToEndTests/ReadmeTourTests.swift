import Foundation
import TestSupport
import Testing

/// The README's tour works as written on a fresh machine (issue 10, item 8): after the quick
/// start's `serve` has made the node in the default folder, the tour's first block and the two
/// blocks of "Two nodes" run, line by line, with `bash -e` in an empty folder — the built
/// `nodectl` in place of the release one, the address the quick start's `serve` really bound in
/// place of 127.0.0.1:7420, and without the closing `serve` that would run until stopped.
@Suite("The README's tour runs as written", .offThePool)
struct ReadmeTourTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The first `count` `sh` blocks after the heading line `heading`.
    static func blocks(after heading: String, count: Int = 1) throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let found = try #require(text.range(of: "\n\(heading)\n"), "README has no heading \(heading)")
        var rest = text[found.upperBound...]
        var blocks: [String] = []
        for _ in 0..<count {
            let start = try #require(rest.range(of: "```sh\n"))
            let end = try #require(rest[start.upperBound...].range(of: "\n```"))
            blocks.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return blocks
    }

    static func tourBlock() throws -> String { try blocks(after: "## A tour")[0] }

    @Test func theTourRunsAfterTheQuickStart() throws {
        let block = try Self.tourBlock()
        #expect(!block.contains("nodectl init"), "the quick start's serve already made the node")
        let alias = "alias nodectl=$PWD/.build/release/nodectl"
        try #require(block.contains(alias))
        let script =
            "shopt -s expand_aliases\n"
            + block.replacingOccurrences(of: alias, with: "alias nodectl=\"$NODECTL\"")

        let folder = try TemporaryFolder()
        let home = folder.path("home")
        let work = folder.path("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for name in ["NEXTSOFT_DATA", "XDG_DATA_HOME", "NEXTSOFT_USER", "COLUMNS"] { environment[name] = nil }
        environment["HOME"] = home.path
        environment["NODECTL"] = NodeCtl.executable.path

        // The quick start: `nodectl serve` on the default folder, which makes the node.
        let data = home.appendingPathComponent(".local/share/nextsoft")
        let serve = Process()
        serve.executableURL = NodeCtl.executable
        serve.arguments = ["serve", "--listen", "127.0.0.1:0"]
        serve.environment = environment
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        serve.standardInput = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        _ = try ServeProcess.waitFor(seconds: 30, "the quick start's serve to listen") {
            FileManager.default.fileExists(atPath: data.appendingPathComponent("serve.address").path) ? true : nil
        }

        let address = try String(contentsOf: data.appendingPathComponent("serve.address"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let twoNodes =
            try Self.blocks(after: "### Money: the price list, invoices, payments, ageing")
            + Self.blocks(after: "### Jobs & Service: the technician's laptop")
            + Self.blocks(after: "### Marketing and the office's reports")
            + Self.blocks(after: "### Two nodes, no network: bundles")
            + Self.blocks(after: "### Two nodes on the network")
            + Self.blocks(after: "### A laptop that holds only its customers")
        let lines = twoNodes.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("nodectl serve") }
            .map { $0.replacingOccurrences(of: "127.0.0.1:7420", with: address) }
        let result = try Self.bash(
            script + "\n" + lines.joined(separator: "\n") + "\n",
            in: work,
            environment: environment
        )
        #expect(result.status == 0, "the tour failed:\n\(result.stderr)")
        #expect(result.stdout.contains("Applied "), "\(result.stdout)")
        #expect(result.stdout.contains("hq    yes"), "the laptop's sync with HQ: \(result.stdout)")
        #expect(result.stderr.isEmpty || !result.stderr.contains("error"), "\(result.stderr)")
        #expect(result.stdout.contains("Mr. John Smith, VP of Sales"), "\(result.stdout)")
        #expect(result.stdout.contains("Springfield, IL 62704"), "\(result.stdout)")
        #expect(result.stdout.contains("Quote 1"), "\(result.stdout)")
        #expect(
            result.stdout.contains("HQ-INV-000001") && result.stdout.contains("closing balance"),
            "\(result.stdout)"
        )
        #expect(
            result.stdout.contains("Pump seal worn; replaced.") && result.stdout.contains("HQ-INV-000002"),
            "the machine's story and the call's invoice: \(result.stdout)"
        )
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("customers.csv").path))
        for file in ["mailing.csv", "sales.svg"] {
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent(file).path), "\(file)")
        }
        #expect(result.stdout.contains("Marketing") && result.stdout.contains("Winter offer"), "\(result.stdout)")
        #expect(result.stdout.contains("van-3 (") && result.stdout.contains("1 customer(s)"), "\(result.stdout)")
    }

    /// Runs `script` with `bash -e` in `directory`.
    static func bash(_ script: String, in directory: URL, environment: [String: String]) throws -> NodeCtl.Result {
        let file = directory.appendingPathComponent("tour.sh")
        try Data(script.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-e", file.path]
        process.currentDirectoryURL = directory
        process.environment = environment
        let out = directory.appendingPathComponent("tour.out")
        let err = directory.appendingPathComponent("tour.err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return NodeCtl.Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }
}
