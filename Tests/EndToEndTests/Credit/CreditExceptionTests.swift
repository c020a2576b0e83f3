import Foundation
import TestSupport
import Testing

/// A credit hold placed at HQ while a laptop, offline, takes an order for the customer: after
/// the sync every node lists the same `order-during-hold` exception; the branch resolves it
/// (cancelling the order) and every node stops listing it. An order the laptop takes after it
/// has seen the hold and its release is no exception; nor is one HQ's hold had seen.
@Suite("Credit: exceptions raised by merges", .offThePool)
struct CreditExceptionTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func exceptions(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]] ?? []
    }

    static func syncAll(_ nodes: [TestNode], via folder: TemporaryFolder) throws {
        for _ in 0..<2 {
            for node in nodes {
                for other in nodes where other.name != node.name { try node.send(to: other, via: folder) }
            }
        }
    }

    @Test func anOrderTakenApartFromAHoldIsListedEverywhereAndResolvedOnce() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let branch = try TestNode("branch", in: folder)
        let nodes = [hq, laptop, branch]
        for node in nodes { for other in nodes where other.name != node.name { try node.trust(other) } }
        try NodeCtl.ok(["item", "add", "W-100", "--description", "Widget", "--price", "100.00"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let contact = Self.line(try NodeCtl.ok(["contact", "add", acme, "--name", "Ann Lee"], data: hq.data))
        // An order every node knows before the hold: the hold's writer saw it, no exception.
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 1"], data: hq.data)
        try Self.syncAll(nodes, via: folder)

        // Apart: HQ places a hold; the laptop, offline, takes an order.
        try NodeCtl.ok(
            ["customer", "hold", acme, "--reason", "3 invoices over 90 days", "--as", "carol"],
            data: hq.data
        )
        let order =
            try NodeCtl.json(["order", "add", acme, "--line", "W-100 2", "--json"], data: laptop.data)
            as? [String: Any] ?? [:]
        let orderID = order["id"] as? String ?? ""
        try Self.syncAll(nodes, via: folder)

        let listed = try Self.exceptions(hq)
        #expect(listed.count == 1, "\(listed)")
        #expect(listed.first?["kind"] as? String == "order-during-hold")
        #expect(listed.first?["id"] as? String == "order-during-hold:\(orderID)")
        #expect(listed.first?["customerId"] as? String == acme)
        #expect((listed.first?["detail"] as? String)?.contains("3 invoices over 90 days") == true)
        let reference = try NodeCtl.ok(["exceptions", "list", "--json"], data: hq.data)
        for node in nodes {
            #expect(try NodeCtl.ok(["exceptions", "list", "--json"], data: node.data) == reference, "\(node.name)")
            let status = try NodeCtl.json(["status"], data: node.data) as? [String: Any]
            #expect(status?["businessExceptions"] as? Int == 1, "\(node.name)")
            let credit =
                (try NodeCtl.json(["customer", "show", acme], data: node.data) as? [String: Any])?["credit"]
                as? [String: Any]
            let inFolder = credit?["exceptions"] as? [[String: Any]] ?? []
            #expect(inFolder.map { $0["id"] as? String } == ["order-during-hold:\(orderID)"], "\(node.name)")
        }

        // The branch settles it by cancelling the order; every node stops listing it.
        try NodeCtl.refused(
            ["exceptions", "resolve", "order-during-hold:\(orderID)", "--accept", "--cancel", "--reason", "x"],
            data: branch.data,
            mentioning: "exactly one"
        )
        try NodeCtl.ok(
            ["exceptions", "resolve", "order-during-hold:\(orderID)", "--cancel", "--reason", "customer on hold"],
            data: branch.data
        )
        try NodeCtl.refused(
            ["exceptions", "resolve", "order-during-hold:\(orderID)", "--accept", "--reason", "again"],
            data: branch.data,
            mentioning: "no open business exception"
        )
        try Self.syncAll(nodes, via: folder)
        for node in nodes {
            #expect(try Self.exceptions(node).isEmpty, "\(node.name)")
            let shown = try NodeCtl.json(["order", "show", orderID], data: node.data) as? [String: Any]
            #expect(shown?["status"] as? String == "cancelled", "\(node.name): \(shown ?? [:])")
        }

        // A collection call names the contact reached; released, the laptop's next order (it
        // has seen the hold and the release) is no exception.
        try NodeCtl.refused(
            ["journal", "add", acme, "--kind", "collection", "--notes", "promised to pay Friday"],
            data: hq.data,
            mentioning: "--contact"
        )
        try NodeCtl.ok(
            [
                "journal", "add", acme, "--kind", "collection", "--contact", contact, "--notes",
                "promised to pay Friday",
            ],
            data: hq.data
        )
        try NodeCtl.ok(["customer", "release", acme, "--reason", "paid"], data: hq.data)
        try Self.syncAll(nodes, via: folder)
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 1"], data: laptop.data)
        try Self.syncAll(nodes, via: folder)
        for node in nodes {
            #expect(try Self.exceptions(node).isEmpty, "\(node.name)")
            let credit =
                (try NodeCtl.json(["customer", "show", acme], data: node.data) as? [String: Any])?["credit"]
                as? [String: Any]
            let notes = credit?["collectionNotes"] as? [[String: Any]] ?? []
            #expect(notes.first?["contact"] as? String == "Ann Lee", "\(node.name)")
            #expect(notes.first?["notes"] as? String == "promised to pay Friday", "\(node.name)")
        }
    }
}
