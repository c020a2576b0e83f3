import Foundation
import Testing

/// Removed set elements' rows are reclaimed by acknowledgement over real TLS sessions: never
/// while a node that wrote has not said it holds the removal, so a laptop away for months
/// comes back and nothing removed returns.
@Suite("Reclamation by acknowledgement, end to end", .offThePool)
struct ReclamationEndToEndTests {
    static func categories(_ node: TestNode, _ customer: String) throws -> [String] {
        let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        return (shown?["categories"] as? [String] ?? []).sorted()
    }

    static func reclamation(_ node: TestNode) throws -> [String: Any] {
        let status = try NodeCtl.json(["status"], data: node.data) as? [String: Any]
        return status?["reclamation"] as? [String: Any] ?? [:]
    }

    @Test func aLaptopAwayThroughARemovalComesBackAndNothingRemovedReturns() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let serve = try ServeProcess(hq, interval: 3600)
        try hq.trust(branch)
        try hq.trust(laptop)
        try branch.trust(hq, at: serve.address)
        try laptop.trust(hq, at: serve.address)
        let customer = try NodeCtl.ok(
            ["customer", "add", "Acme Ltd", "--category", "VIP", "--category", "Gold"],
            data: hq.data
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "add", "Branch Walk-ins"], data: branch.data)
        try NodeCtl.ok(["customer", "add", "Roadside Co"], data: laptop.data)
        for node in [branch, laptop, branch] { try NodeCtl.ok(["sync"], data: node.data) }

        // The laptop leaves. The office removes both categories; the branch holds that and says so.
        try NodeCtl.ok(["customer", "set", customer, "categories-=VIP", "categories-=Gold"], data: hq.data)
        for _ in 0..<2 { try NodeCtl.ok(["sync"], data: branch.data) }
        let waiting = try Self.reclamation(hq)
        #expect(waiting["kept"] as? Int == 2, "\(waiting)")
        #expect(waiting["waitingFor"] as? [String] == [laptop.id], "only the laptop is waited for: \(waiting)")
        #expect(try NodeCtl.ok(["status"], data: hq.data).contains("waiting for \(laptop.id.prefix(7))"))

        // Away, the laptop puts VIP back (it never saw the removal) and notes a call.
        try NodeCtl.ok(
            ["customer", "set", customer, "categories+=VIP", "notes=called from the road"],
            data: laptop.data
        )
        // Back: it syncs, says what it holds, hears what the others hold.
        for node in [laptop, laptop, branch, laptop] { try NodeCtl.ok(["sync"], data: node.data) }
        #expect(serve.stop() == 0)

        for node in [hq, branch, laptop] {
            #expect(try Self.categories(node, customer) == ["VIP"], "\(node.name): the re-add stands, Gold stays gone")
            let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
            #expect(shown?["notes"] as? String == "called from the road", "\(node.name)")
            let state = try Self.reclamation(node)
            #expect(state["kept"] as? Int == 0, "\(node.name): \(state)")
            #expect(state["reclaimed"] as? Int == 2, "\(node.name): \(state)")
            let check = try NodeCtl.run(["check", "--json"], data: node.data)
            #expect(check.status == 0, "\(node.name): \(check.stdout)")
        }
    }

    @Test func bundlesCarryTheWordToo() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd", "--category", "VIP"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "add", "Roadside Co"], data: laptop.data)
        try hq.send(to: laptop, via: folder)
        try laptop.send(to: hq, via: folder)
        try NodeCtl.ok(["customer", "set", customer, "categories-=VIP"], data: hq.data)
        try hq.send(to: laptop, via: folder)
        #expect(try Self.reclamation(hq)["kept"] as? Int == 1, "the laptop has not said it holds the removal")
        // The laptop's next bundle says so; the office's next one tells the laptop the office does.
        try laptop.send(to: hq, via: folder)
        try hq.send(to: laptop, via: folder)
        for node in [hq, laptop] {
            #expect(try Self.reclamation(node)["kept"] as? Int == 0, "\(node.name)")
            #expect(try Self.reclamation(node)["reclaimed"] as? Int == 1, "\(node.name)")
            #expect(try Self.categories(node, customer).isEmpty, "\(node.name)")
        }
    }
}
