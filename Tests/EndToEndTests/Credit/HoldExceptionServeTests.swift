import Foundation
import TestSupport
import Testing

/// Issue 12's fleet proof, over real `serve` and TLS on loopback: HQ places a credit hold while
/// a laptop, offline, takes an order and opens a service call for the customer. After they sync
/// through the branch every node lists the same two exceptions; the branch resolves one and it
/// is settled everywhere; a node that has the hold refuses the next order, naming its reason.
@Suite("Credit: a hold and an offline laptop, over serve", .offThePool)
struct HoldExceptionServeTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func exceptions(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]] ?? []
    }

    @Test func anOrderAndACallTakenApartFromAHoldAreTwoExceptionsEverywhere() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let laptop = try TestNode("laptop", in: folder, role: "laptop")
        let nodes = [hq, branch, laptop]
        let branchServe = try ServeProcess(branch, interval: 3600)
        defer { branchServe.stop() }
        try branch.trust(hq)
        try NodeCtl.ok(["peer", "add", laptop.id, "--name", laptop.name, "--role", "laptop"], data: branch.data)
        try hq.trust(branch, at: branchServe.address)
        try laptop.trust(branch, at: branchServe.address)
        try NodeCtl.ok(["item", "add", "W-100", "--description", "Widget", "--price", "100.00"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try NodeCtl.ok(["assign", acme, "--to", laptop.id], data: hq.data)
        try NodeCtl.ok(["sync"], data: hq.data)
        try NodeCtl.ok(["sync"], data: laptop.data)

        // Apart: HQ places a hold; the laptop takes an order and opens a call.
        try NodeCtl.ok(
            ["customer", "hold", acme, "--reason", "two cheques bounced", "--as", "carol"],
            data: hq.data
        )
        let order =
            try NodeCtl.json(["order", "add", acme, "--line", "W-100 2", "--json"], data: laptop.data)
            as? [String: Any]
        let call =
            try NodeCtl.json(["service", "add", acme, "--problem", "Leaking valve", "--json"], data: laptop.data)
            as? [String: Any]
        let orderID = order?["id"] as? String ?? ""
        let callID = call?["id"] as? String ?? ""
        for node in [hq, laptop, hq] { try NodeCtl.ok(["sync"], data: node.data) }

        let reference = try NodeCtl.ok(["exceptions", "list", "--json"], data: hq.data)
        for node in nodes {
            #expect(try NodeCtl.ok(["exceptions", "list", "--json"], data: node.data) == reference, "\(node.name)")
            let listed = try Self.exceptions(node)
            #expect(
                Set(listed.compactMap { $0["id"] as? String })
                    == ["order-during-hold:\(orderID)", "service-during-hold:\(callID)"],
                "\(node.name): \(listed)"
            )
            #expect(listed.allSatisfy { ($0["detail"] as? String)?.contains("two cheques bounced") == true })
            let status = try NodeCtl.json(["status"], data: node.data) as? [String: Any]
            #expect(status?["businessExceptions"] as? Int == 2, "\(node.name)")
        }

        // The branch settles the call (cancelling it); the others hear of it at their next sync.
        try NodeCtl.ok(
            ["exceptions", "resolve", "service-during-hold:\(callID)", "--cancel", "--reason", "customer on hold"],
            data: branch.data
        )
        for node in [hq, laptop] { try NodeCtl.ok(["sync"], data: node.data) }
        for node in nodes {
            let listed = try Self.exceptions(node)
            #expect(listed.compactMap { $0["id"] as? String } == ["order-during-hold:\(orderID)"], "\(node.name)")
            let shown = try NodeCtl.json(["service", "show", callID], data: node.data) as? [String: Any]
            #expect(shown?["status"] as? String == "cancelled", "\(node.name)")
        }

        // Every node now has the hold: an order is refused with its reason, on HQ and the laptop.
        for node in [hq, laptop] {
            let refusal = try NodeCtl.refused(
                ["order", "add", acme, "--line", "W-100 1"],
                data: node.data,
                mentioning: "two cheques bounced"
            )
            #expect(refusal.stderr.contains("carol"), "\(node.name): \(refusal.stderr)")
        }
    }
}

/// `serve` recomputes every customer's rating each day and records what changed: started, it
/// records today's.
@Suite("Credit: serve records the day's ratings", .offThePool)
struct DailyRatingServeTests {
    @Test func serveRecordsTodaysRatingsWhenItStarts() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        try NodeCtl.ok(["item", "add", "W-100", "--description", "Widget", "--price", "100.00"], data: hq.data)
        let acme = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["invoice", "add", acme, "--line", "W-100 3", "--date", "2026-01-05"], data: hq.data)
        let before = try NodeCtl.json(["credit", "show", acme], data: hq.data) as? [String: Any]
        #expect((before?["ratingHistory"] as? [Any])?.isEmpty == true)
        let serve = try ServeProcess(hq)
        defer { serve.stop() }
        let history = try ServeProcess.waitFor(seconds: 30, "serve to record today's ratings") {
            () -> [[String: Any]]? in
            let tab = try NodeCtl.json(["credit", "show", acme], data: hq.data) as? [String: Any]
            let history = tab?["ratingHistory"] as? [[String: Any]] ?? []
            return history.isEmpty ? nil : history
        }
        let tab = try NodeCtl.json(["credit", "show", acme], data: hq.data) as? [String: Any]
        #expect(history.first?["rating"] as? String == tab?["rating"] as? String)
        #expect(history.first?["date"] as? String == tab?["asOf"] as? String)
        #expect(history.first?["from"] is NSNull)
    }
}
