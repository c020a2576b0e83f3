import Foundation
import TestSupport
import Testing

/// Damaged document bytes stay on the node that has them: they are never served, filed or kept
/// elsewhere, every other document keeps moving, and the node gets intact bytes back from a peer.
@Suite("Damaged documents stay local", .serialized, .offThePool)
struct DamagedDocumentTests {
    /// The files of a node's blob store, relative to `blobs/`, temporary and damaged ones included.
    static func blobFiles(_ node: TestNode) -> [String] {
        let root = node.data.appendingPathComponent("blobs")
        let walker = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    static func blobURL(_ node: TestNode, _ digest: String) -> URL {
        node.data.appendingPathComponent("blobs").appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent(digest)
    }

    /// Files three documents (one of 2 MiB) on `node`; returns their digests.
    static func fileDocuments(on node: TestNode, in folder: TemporaryFolder) throws -> [String] {
        let customer = try NodeCtl.ok(["customer", "add", "Filed Ltd"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var digests: [String] = []
        for (index, size) in [300_000, 2 << 20, 50_000].enumerated() {
            var state = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            let bytes = (0..<size).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let file = folder.path("doc-\(index).bin")
            try Data(bytes).write(to: file)
            let added = try NodeCtl.json(["document", "add", customer, file.path], data: node.data) as? [String: Any]
            digests.append(try #require(added?["digest"] as? String))
        }
        return digests
    }

    static func flipByte(at offset: UInt64, of url: URL) throws {
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0x01])
    }

    @Test func aFlippedBlobIsNotServedTheOthersArriveAndItComesBackFromAPeer() throws {
        let folder = try TemporaryFolder()
        let a = try TestNode("a", in: folder)
        let b = try TestNode("b", in: folder)
        let c = try TestNode("c", in: folder)
        let digests = try Self.fileDocuments(on: a, in: folder)
        let sorted = digests.sorted()
        let damaged = sorted[0]  // first in digest order: the others come after it

        var serveA = try ServeProcess(a)
        try a.trust(b)
        try a.trust(c)
        try c.trust(a, at: serveA.address)
        try NodeCtl.ok(["sync"], data: c.data)  // c holds every document intact
        #expect(Self.blobFiles(c) == sorted.map { "\($0.prefix(2))/\($0)" })

        try Self.flipByte(at: 1000, of: Self.blobURL(a, damaged))
        try b.trust(a, at: serveA.address)
        let sync = try NodeCtl.run(["sync", "--json"], data: b.data)
        #expect(sync.status == 0, "sync: \(sync.stderr)")
        // b has every other document; of the damaged one nothing at all, not even an orphan.
        #expect(Self.blobFiles(b) == sorted.dropFirst().map { "\($0.prefix(2))/\($0)" })
        let partial = b.data.appendingPathComponent("blobs-partial")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: partial.path)) ?? []).isEmpty)
        // a set its damaged bytes aside and said so.
        #expect(serveA.stop() == 0)
        #expect(serveA.output.contains("do not match their digest"))
        let setAside = Self.blobFiles(a).filter { $0.hasPrefix("damaged/") }
        #expect(setAside.count == 1 && setAside[0].hasPrefix("damaged/\(damaged)"))

        // a and b get intact bytes back from c.
        try c.trust(b)
        let serveC = try ServeProcess(c)
        try a.trust(c, at: serveC.address)
        try b.trust(c, at: serveC.address)
        try NodeCtl.ok(["sync", "c"], data: a.data)
        try NodeCtl.ok(["sync", "c"], data: b.data)
        #expect(serveC.stop() == 0)
        for node in [a, b] {
            let check = try NodeCtl.run(["check", "--json"], data: node.data)
            #expect(check.status == 0, "check on \(node.name): \(check.stdout)")
            #expect(Self.blobFiles(node).filter { !$0.hasPrefix("damaged/") } == sorted.map { "\($0.prefix(2))/\($0)" })
        }
        serveA = try ServeProcess(a)
        #expect(serveA.stop() == 0)
    }

    @Test func checkNamesFlippedTruncatedAndDeletedBytesAndRemovesAbandonedTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("office", in: folder)
        let digests = try Self.fileDocuments(on: node, in: folder)
        #expect(try NodeCtl.run(["check"], data: node.data).status == 0)

        try Self.flipByte(at: 7, of: Self.blobURL(node, digests[0]))
        let truncated = try FileHandle(forUpdating: Self.blobURL(node, digests[1]))
        try truncated.truncate(atOffset: 1000)
        try truncated.close()
        try FileManager.default.removeItem(at: Self.blobURL(node, digests[2]))
        // Two temporary files: one a killed writer left, one a live writer holds (flock(1)
        // takes the same lock a writer does).
        let blobs = node.data.appendingPathComponent("blobs")
        let abandoned = blobs.appendingPathComponent(".tmp-abandoned")
        try Data(count: 4096).write(to: abandoned)
        let live = blobs.appendingPathComponent(".tmp-live")
        try Data(count: 10).write(to: live)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        writer.arguments = [live.path, "sleep", "30"]
        try writer.run()
        defer { writer.terminate() }
        Thread.sleep(forTimeInterval: 0.3)

        let quick = try NodeCtl.run(["check", "--quick", "--json"], data: node.data)
        #expect(quick.status == 0, "--quick skips the bytes: \(quick.stdout)")
        let tidied = try #require(try quick.json() as? [String: Any])
        #expect((tidied["actions"] as? [String])?.first?.contains("removed 1 temporary files (4096 bytes)") == true)
        let check = try NodeCtl.run(["check", "--json"], data: node.data)
        #expect(check.status == 1)
        let report = try #require(try check.json() as? [String: Any])
        let problems = report["problems"] as? [String] ?? []
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.contains(digests[0].prefix(12)) && $0.contains("damaged") })
        #expect(problems.contains { $0.contains(digests[1].prefix(12)) && $0.contains("damaged") })
        #expect(problems.contains { $0.contains(digests[2].prefix(12)) && $0.contains("not here") })
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: live.path), "a file being written is left alone")
        #expect((report["actions"] as? [String]) == [])
        // The damaged bytes are set aside, not deleted; the second check names all three as
        // not here, and removes nothing more.
        #expect(Self.blobFiles(node).filter { $0.hasPrefix("damaged/") }.count == 2)
        let again = try NodeCtl.run(["check"], data: node.data)
        #expect(again.status == 1)
        #expect(again.stdout.components(separatedBy: "not here").count - 1 == 3, "\(again.stdout)")
    }

    @Test func aSecondServeOnOneFolderRefusesToStart() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("office", in: folder)
        let first = try ServeProcess(node)
        let second = try NodeCtl.run(["serve", "--listen", "127.0.0.1:0"], data: node.data)
        #expect(second.status == 1)
        #expect(second.stderr.contains("another serve is running"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1)
        // The first still serves: its address file was not taken away.
        #expect(FileManager.default.fileExists(atPath: node.data.appendingPathComponent("serve.address").path))
        #expect(first.stop() == 0)
        let restarted = try ServeProcess(node)
        #expect(restarted.stop() == 0)
    }
}
