import Foundation
import TestSupport
import Testing

/// A stolen laptop revoked at one office is refused everywhere the revocation reaches, and
/// what it wrote after the revocation reaches no folder until an office accepts it: real
/// `nodectl` processes, real TLS.
@Suite("Roles and revocation", .serialized, .offThePool)
struct RevocationTests {
    static func journal(_ node: TestNode, _ customer: String) throws -> Set<String> {
        let entries = try NodeCtl.json(["journal", "list", customer], data: node.data) as? [[String: Any]] ?? []
        return Set(entries.compactMap { $0["notes"] as? String })
    }

    static func held(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["held", "list"], data: node.data) as? [[String: Any]] ?? []
    }

    static func peer(_ id: String, at node: TestNode) throws -> [String: Any]? {
        let peers = try NodeCtl.json(["peer", "list"], data: node.data) as? [[String: Any]] ?? []
        return peers.first { $0["nodeId"] as? String == id }
    }

    static func note(_ text: String, _ customer: String, on node: TestNode) throws {
        try NodeCtl.ok(["journal", "add", customer, "--kind", "note", "--notes", text], data: node.data)
    }

    @Test func aLaptopRevokedAtHQCannotReachHQThroughTheBranchAndWhatItWroteAfterIsHeldUntilAccepted() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let laptop = try TestNode("laptop", in: folder, role: "laptop")
        // HQ never dials: it only serves. The branch and the laptop dial whom they know.
        try NodeCtl.ok(["peer", "add", branch.id, "--name", "branch"], data: hq.data)
        try NodeCtl.ok(["peer", "add", laptop.id, "--name", "laptop", "--role", "laptop"], data: hq.data)
        try NodeCtl.ok(["peer", "add", laptop.id, "--name", "laptop", "--role", "laptop"], data: branch.data)
        var hqServe = try ServeProcess(hq)
        try branch.trust(hq, at: hqServe.address)
        try laptop.trust(hq, at: hqServe.address)
        var branchServe = try ServeProcess(branch)
        try laptop.trust(branch, at: branchServe.address)

        let customer = try NodeCtl.ok(["customer", "add", "Field Service Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.note("A, before the theft", customer, on: laptop)
        try NodeCtl.ok(["sync"], data: laptop.data)
        #expect(try Self.journal(hq, customer) == ["A, before the theft"])
        #expect(branchServe.stop() == 0)

        // The laptop is stolen. A laptop cannot revoke for the fleet; HQ can.
        let refused = try NodeCtl.run(["peer", "revoke", hq.id, "--reason", "mischief"], data: laptop.data)
        #expect(refused.status == 1 && refused.stderr.contains("laptop"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        try NodeCtl.ok(["peer", "revoke", "laptop", "--reason", "stolen from the van"], data: hq.data)
        let atHQ = try Self.peer(laptop.id, at: hq)
        #expect(atHQ?["role"] as? String == "laptop")
        #expect(atHQ?["revoked"] is String)
        #expect(try NodeCtl.run(["peer", "revoke", "laptop", "--reason", "again"], data: hq.data).status == 1)

        // The thief writes, and reaches the branch before the branch heard of the revocation.
        #expect(hqServe.stop() == 0)
        try Self.note("B, by the thief", customer, on: laptop)
        branchServe = try ServeProcess(branch)
        try NodeCtl.ok(["peer", "add", branch.id, "--address", branchServe.address], data: laptop.data)
        try NodeCtl.ok(["sync", "branch"], data: laptop.data)
        #expect(try Self.journal(branch, customer) == ["A, before the theft", "B, by the thief"])
        #expect(branchServe.stop() == 0)

        // The branch syncs with HQ: HQ holds B; the branch hears of the revocation and takes B
        // back out of its folder. Both list it, the same change.
        hqServe = try ServeProcess(hq)
        try NodeCtl.ok(["peer", "add", hq.id, "--address", hqServe.address], data: branch.data)
        try NodeCtl.ok(["peer", "add", hq.id, "--address", hqServe.address], data: laptop.data)
        try NodeCtl.ok(["sync", "hq"], data: branch.data)
        for node in [hq, branch] {
            #expect(try Self.journal(node, customer) == ["A, before the theft"], "\(node.name)")
            let held = try Self.held(node)
            #expect(held.count == 1 && held.first?["reason"] as? String == "revoked", "\(node.name): \(held)")
            #expect(held.first?["entity"] as? String == "journal")
        }
        #expect(try Self.held(hq).first?["id"] as? String == Self.held(branch).first?["id"] as? String)
        #expect(try Self.peer(laptop.id, at: branch)?["revoked"] is String)

        // The laptop is refused by both offices now.
        branchServe = try ServeProcess(branch)
        try NodeCtl.ok(["peer", "add", branch.id, "--address", branchServe.address], data: laptop.data)
        for office in ["branch", "hq"] {
            let sync = try NodeCtl.run(["sync", office], data: laptop.data)
            #expect(sync.status == 1, "\(office): \(sync.stdout)")
        }
        #expect(branchServe.output.contains("revoked"), "\(branchServe.output)")
        #expect(try Self.journal(branch, customer) == ["A, before the theft"])

        // HQ's admin reads B, accepts it; the decision reaches the branch.
        let id = try #require(try Self.held(hq).first?["id"] as? String)
        let laptopRefused = try NodeCtl.run(["held", "accept", id], data: laptop.data)
        #expect(laptopRefused.status == 1 && laptopRefused.stderr.contains("laptop"), "\(laptopRefused.stderr)")
        try NodeCtl.ok(["held", "accept", id, "--reason", "the technician wrote it before the theft"], data: hq.data)
        #expect(branchServe.stop() == 0)
        try NodeCtl.ok(["sync", "hq"], data: branch.data)
        for node in [hq, branch] {
            #expect(try Self.journal(node, customer) == ["A, before the theft", "B, by the thief"], "\(node.name)")
            #expect(try Self.held(node).isEmpty, "\(node.name)")
            #expect(try NodeCtl.run(["check"], data: node.data).status == 0, "\(node.name)")
        }

        // A revoked node is not trusted back, and the revoked laptop writes nothing more.
        let again = try NodeCtl.run(["peer", "add", laptop.id, "--name", "laptop2"], data: hq.data)
        #expect(again.status == 1 && again.stderr.contains("revoked"), "\(again.stderr)")
        #expect(hqServe.stop() == 0)
    }

    @Test func aPeerTrustedAsTheWrongRoleIsRefusedAtTheHandshake() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder, role: "laptop")
        try hq.trust(laptop)  // as an office: the default
        let serve = try ServeProcess(hq)
        try NodeCtl.ok(["peer", "add", hq.id, "--name", "hq", "--address", serve.address], data: laptop.data)
        let customer = try NodeCtl.ok(["customer", "add", "Mismatch Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let mismatch = try NodeCtl.run(["sync", "--json"], data: laptop.data)
        #expect(mismatch.status == 1)
        #expect(mismatch.stdout.contains("role"), "\(mismatch.stdout)")
        #expect(
            try NodeCtl.json(["customer", "list"], data: hq.data) as? [Any] == nil
                || (try NodeCtl.json(["customer", "list"], data: hq.data) as? [Any])?.isEmpty == true
        )

        // Corrected at HQ, the same laptop syncs.
        try NodeCtl.ok(["peer", "add", laptop.id, "--role", "laptop"], data: hq.data)
        try NodeCtl.ok(["sync"], data: laptop.data)
        let list = try NodeCtl.json(["customer", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(list.map { $0["id"] as? String } == [customer])
        let status = try NodeCtl.json(["status"], data: laptop.data) as? [String: Any]
        #expect(status?["role"] as? String == "laptop")
        let badRole = try NodeCtl.run(["init", "--role", "van"], data: folder.path("van"))
        #expect(badRole.status == 1 && badRole.stderr.contains("office or laptop"), "\(badRole.stderr)")
        #expect(serve.stop() == 0)
    }
}
