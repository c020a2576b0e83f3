import Foundation
import TestSupport
import Testing

@Suite("nodectl: node and peers", .offThePool)
struct NodeLifecycleTests {
    @Test func initPrintsTheNodeIDAndIDRepeatsIt() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        #expect(node.id.count == 63)
        let id = try NodeCtl.json(["id"], data: node.data) as? [String: Any]
        #expect(id?["nodeId"] as? String == node.id)
        #expect(id?["name"] as? String == "hq")
        #expect(try NodeCtl.ok(["id"], data: node.data) == node.id + "\n")
    }

    @Test func initRefusesAFolderThatHoldsANode() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try NodeCtl.refused(["init", "--name", "other"], data: node.data, mentioning: "already holds a node")
        #expect(try NodeCtl.ok(["id"], data: node.data) == node.id + "\n")
    }

    @Test func dataFolderComesFromTheEnvironmentWhenNotGiven() throws {
        let folder = try TemporaryFolder()
        let result = try NodeCtl.run(
            ["init", "--name", "env", "--json"],
            data: nil,
            environment: ["NEXTSOFT_DATA": folder.path("env-node").path]
        )
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("env-node/replica.sqlite").path))
        let xdg = try NodeCtl.run(
            ["init", "--name", "xdg"],
            data: nil,
            environment: ["NEXTSOFT_DATA": "", "XDG_DATA_HOME": folder.path("xdg").path]
        )
        #expect(xdg.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("xdg/nextsoft/replica.sqlite").path))
    }

    @Test func commandsRefuseAFolderThatIsNotANode() throws {
        let folder = try TemporaryFolder()
        try NodeCtl.refused(["status"], data: folder.path("missing"), mentioning: "is not a node")
        try NodeCtl.refused(["customer", "list"], data: folder.url, mentioning: "is not a node")
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing").path))
    }

    @Test func peersAreAddedListedAndRemoved() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try NodeCtl.ok(["peer", "add", laptop.id, "--name", "laptop", "--address", "127.0.0.1:7400"], data: hq.data)
        let peers = try NodeCtl.json(["peer", "list"], data: hq.data) as? [[String: Any]]
        #expect(peers?.count == 1)
        #expect(peers?.first?["nodeId"] as? String == laptop.id)
        #expect(peers?.first?["name"] as? String == "laptop")
        #expect(peers?.first?["address"] as? String == "127.0.0.1:7400")
        #expect(peers?.first?["lastSync"] is NSNull)
        #expect(peers?.first?["lastError"] is NSNull)
        let status = try NodeCtl.json(["status"], data: hq.data) as? [String: Any]
        #expect(status?["nodeId"] as? String == hq.id)
        #expect(status?["customers"] as? Int == 0)
        #expect(status?["openConflicts"] as? Int == 0)
        #expect((status?["peers"] as? [Any])?.count == 1)
        try NodeCtl.ok(["peer", "remove", "laptop"], data: hq.data)
        #expect((try NodeCtl.json(["peer", "list"], data: hq.data) as? [Any])?.isEmpty == true)
    }

    @Test func badPeerInputIsRefused() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let before = try hq.snapshot()
        var mistyped = Array(laptop.id)
        mistyped[3] = mistyped[3] == "A" ? "B" : "A"
        try NodeCtl.refused(["peer", "add", String(mistyped)], data: hq.data, mentioning: "is not a node id")
        try NodeCtl.refused(["peer", "add", laptop.id, "--address", "nowhere"], data: hq.data, mentioning: "HOST:PORT")
        try NodeCtl.refused(["peer", "add", hq.id], data: hq.data, mentioning: "this node itself")
        try NodeCtl.refused(["peer", "remove", "ghost"], data: hq.data, mentioning: "no trusted peer")
        #expect(try hq.snapshot() == before)
    }
}
