import Foundation
import TestSupport
import Testing

/// Real `nodectl serve` processes syncing over mutually authenticated TLS on loopback.
@Suite("nodectl serve and sync over TLS", .serialized, .offThePool)
struct ServeSyncTests {
    @Test func threeNodesEditedApartConvergeAndShareOneConflict() throws {
        let folder = try TemporaryFolder()
        let nodes = try ["hq", "branch", "laptop"].map { try TestNode($0, in: folder) }
        let shared = try NodeCtl.ok(["customer", "add", "Shared Ltd"], data: nodes[0].data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for node in nodes { try NodeCtl.ok(["customer", "add", "Customer of \(node.name)"], data: node.data) }

        var serves = try nodes.map { try ServeProcess($0) }
        for node in nodes {
            for (other, serve) in zip(nodes, serves) where other.id != node.id {
                try node.trust(other, at: serve.address)
            }
        }
        try waitForConvergence(nodes)
        #expect((try NodeCtl.json(["customer", "list"], data: nodes[2].data) as? [Any])?.count == 4)

        // The same field, edited on two nodes while they are apart.
        for serve in serves { #expect(serve.stop() == 0) }
        try NodeCtl.ok(["customer", "set", shared, "phone=555-0100"], data: nodes[0].data)
        try NodeCtl.ok(["customer", "set", shared, "phone=555-0199"], data: nodes[1].data)
        serves = try nodes.map { try ServeProcess($0) }
        for node in nodes {
            for (other, serve) in zip(nodes, serves) where other.id != node.id {
                try node.trust(other, at: serve.address)
            }
        }
        let conflicts = try ServeProcess.waitFor(seconds: 60, "the conflict on all three") { () -> String? in
            let lists = try nodes.map { try NodeCtl.ok(["conflicts", "list", "--json"], data: $0.data) }
            return Set(lists).count == 1 && lists[0] != "[]\n" ? lists[0] : nil
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(conflicts.utf8)) as? [[String: Any]]
        let id = try #require(parsed?.first?["id"] as? String)
        try NodeCtl.ok(["conflicts", "resolve", id, "--value", "555-0123"], data: nodes[2].data)
        _ = try ServeProcess.waitFor(seconds: 60, "the settlement everywhere") { () -> Bool? in
            let lists = try nodes.map { try NodeCtl.ok(["conflicts", "list", "--json"], data: $0.data) }
            return lists.allSatisfy { $0 == "[]\n" } ? true : nil
        }
        try waitForConvergence(nodes)
        let settled = try NodeCtl.json(["customer", "show", shared], data: nodes[0].data) as? [String: Any]
        #expect(settled?["phone"] as? String == "555-0123")
        for serve in serves { #expect(serve.stop() == 0) }
        for node in nodes {
            let peers = try NodeCtl.json(["peer", "list"], data: node.data) as? [[String: Any]] ?? []
            #expect(peers.allSatisfy { $0["lastSync"] is String })
        }
    }

    @Test func aWriteOnARunningNodeReachesItsPeerSoonWithoutWaitingForTheInterval() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try NodeCtl.ok(["customer", "add", "Before"], data: hq.data)
        // An hour between scheduled syncs: only the change trigger can move the new write.
        let hqServe = try ServeProcess(hq, interval: 3600)
        let laptopServe = try ServeProcess(laptop, interval: 3600)
        try hq.trust(laptop, at: laptopServe.address)
        try laptop.trust(hq, at: hqServe.address)
        try waitForConvergence([hq, laptop])
        try NodeCtl.ok(["customer", "add", "Written while running"], data: hq.data)
        _ = try ServeProcess.waitFor(seconds: 30, "the new customer on the laptop") { () -> Bool? in
            let names = try NodeCtl.json(["customer", "list"], data: laptop.data) as? [[String: Any]] ?? []
            return names.contains { $0["name"] as? String == "Written while running" } ? true : nil
        }
        let status = try NodeCtl.json(["status"], data: hq.data) as? [String: Any]
        let peers = status?["peers"] as? [[String: Any]]
        #expect(peers?.first?["lag"] as? Int == 0)
        #expect(hqServe.stop() == 0)
        #expect(laptopServe.stop() == 0)
    }

    @Test func aNodeNobodyTrustsIsRefusedAndItsDataNeverArrives() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let stranger = try TestNode("stranger", in: folder)
        try NodeCtl.ok(["customer", "add", "Evil Corp"], data: stranger.data)
        let serve = try ServeProcess(hq)
        try stranger.trust(hq, at: serve.address)
        let result = try NodeCtl.run(["sync", "--json"], data: stranger.data)
        #expect(result.status == 1)
        let peers = (try result.json() as? [String: Any])?["peers"] as? [[String: Any]]
        #expect(peers?.first?["ok"] as? Bool == false)
        #expect((peers?.first?["error"] as? String)?.contains("refused this node") == true)
        #expect((try NodeCtl.json(["customer", "list"], data: hq.data) as? [Any])?.isEmpty == true)
        serve.stop()
        #expect(serve.output.contains(stranger.id))
        #expect(serve.output.contains("not trusted"))

        // And the other way: a node that does not trust a peer refuses to dial it.
        try NodeCtl.refused(["sync", hq.id], data: folder.path("nowhere-\(UUID())"), mentioning: "is not a node")
        try NodeCtl.refused(["sync", "ghost"], data: hq.data, mentioning: "no trusted peer")
    }

    @Test func anImpostorIsRefusedBeforeAnyDataMoves() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let other = try TestNode("other", in: folder)
        try hq.trust(laptop)
        try NodeCtl.ok(["customer", "add", "Secret Ltd"], data: hq.data)
        let serve = try ServeProcess(hq)
        try laptop.trust(other, at: serve.address)  // the address answers as hq, not as `other`
        let result = try NodeCtl.run(["sync", "other", "--json"], data: laptop.data)
        #expect(result.status == 1)
        let peers = (try result.json() as? [String: Any])?["peers"] as? [[String: Any]]
        #expect((peers?.first?["error"] as? String)?.contains("was expected") == true)
        #expect((try NodeCtl.json(["customer", "list"], data: laptop.data) as? [Any])?.isEmpty == true)
        serve.stop()
    }

    @Test func aLaptopGetsTheHQsChangesThroughItsBranch() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try NodeCtl.ok(["customer", "add", "Made at HQ"], data: hq.data)
        let hqServe = try ServeProcess(hq)
        let branchServe = try ServeProcess(branch)
        try hq.trust(branch)
        try branch.trust(hq, at: hqServe.address)
        try branch.trust(laptop)
        try laptop.trust(branch, at: branchServe.address)
        try NodeCtl.ok(["sync", "hq"], data: branch.data)
        try NodeCtl.ok(["sync"], data: laptop.data)
        let customers = try NodeCtl.json(["customer", "list"], data: laptop.data) as? [[String: Any]]
        #expect(customers?.map { $0["name"] as? String } == ["Made at HQ"])
        let history =
            try NodeCtl.json(["history", customers?.first?["id"] as? String ?? ""], data: laptop.data)
            as? [[String: Any]]
        #expect(history?.first?["origin"] as? String == hq.id)
        hqServe.stop()
        branchServe.stop()
    }

    @Test func aTwentyMegabyteDocumentArrivesByteIdentical() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme"], data: hq.data).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 20 << 20)
        for index in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: generator.next()) { word in
                for offset in 0..<8 { bytes[index + offset] = word[offset] }
            }
        }
        let file = folder.path("drawings.bin")
        try Data(bytes).write(to: file)
        let document = try NodeCtl.json(["document", "add", customer, file.path], data: hq.data) as? [String: Any]
        let serve = try ServeProcess(hq)
        try hq.trust(laptop)
        try laptop.trust(hq, at: serve.address)
        let synced = try NodeCtl.json(["sync"], data: laptop.data) as? [String: Any]
        #expect((synced?["peers"] as? [[String: Any]])?.first?["ok"] as? Bool == true)
        let copy = folder.path("copy.bin")
        try NodeCtl.ok(["document", "get", document?["id"] as? String ?? "", "--output", copy.path], data: laptop.data)
        #expect(try Data(contentsOf: copy) == Data(bytes))
        let listed = try NodeCtl.json(["document", "list", customer], data: laptop.data) as? [[String: Any]]
        #expect(listed?.first?["present"] as? Bool == true)
        serve.stop()
    }

    @Test func aNodeKilledInTheMiddleOfASyncRecoversWithNothingLostOrDuplicated() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try NodeCtl.ok(["populate", "--customers", "3000", "--journal", "3"], data: hq.data)
        let total = (try NodeCtl.json(["status"], data: hq.data) as? [String: Any])?["changes"] as? Int ?? 0
        let serve = try ServeProcess(hq)
        try hq.trust(laptop)
        try laptop.trust(hq, at: serve.address)

        // A one-shot sync on the laptop, killed once part of the changes have landed.
        let sync = Process()
        sync.executableURL = NodeCtl.executable
        sync.arguments = ["sync", "--data", laptop.data.path]
        sync.standardOutput = FileHandle.nullDevice
        sync.standardError = FileHandle.nullDevice
        try sync.run()
        let partial = try ServeProcess.waitFor(seconds: 120, "part of the sync to land") { () -> Int? in
            let changes = (try NodeCtl.json(["status"], data: laptop.data) as? [String: Any])?["changes"] as? Int ?? 0
            return changes > 0 ? changes : nil
        }
        kill(sync.processIdentifier, SIGKILL)
        sync.waitUntilExit()
        #expect(partial < total, "the sync finished before it could be killed; make the workload larger")

        let check = try NodeCtl.json(["check"], data: laptop.data) as? [String: Any]
        #expect(check?["ok"] as? Bool == true)
        try NodeCtl.ok(["sync"], data: laptop.data)
        let after = try NodeCtl.json(["status"], data: laptop.data) as? [String: Any]
        #expect(after?["changes"] as? Int == total)
        #expect(after?["customers"] as? Int == 3000)
        #expect(after?["journalEntries"] as? Int == 9000)
        #expect((try NodeCtl.json(["check"], data: laptop.data) as? [String: Any])?["ok"] as? Bool == true)
        #expect(
            try NodeCtl.ok(["customer", "list", "--json"], data: laptop.data)
                == NodeCtl.ok(["customer", "list", "--json"], data: hq.data)
        )
        serve.stop()
    }

    @Test func serveInitialisesAnEmptyFolderAndStopsCleanly() throws {
        let folder = try TemporaryFolder()
        let data = folder.path("fresh")
        let node = TestNode(existing: data, name: "fresh")
        let serve = try ServeProcess(node)
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("replica.sqlite").path))
        #expect(serve.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("serve.address").path))
        #expect(try NodeCtl.run(["id"], data: data).status == 0)
    }
}

extension TestNode {
    /// A node folder that `serve` will initialise on its first start.
    init(existing data: URL, name: String) {
        self.data = data
        self.id = ""
        self.name = name
    }
}
