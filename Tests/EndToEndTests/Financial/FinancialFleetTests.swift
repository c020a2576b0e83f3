import Foundation
import TestSupport
import Testing

/// The Financial tab across nodes that work apart: numbers that never collide, payments that
/// overpay an invoice, a shared prefix's duplicate numbers — the same figures on every node,
/// nothing refused after the fact, nothing lost.
@Suite("Financial: nodes apart", .offThePool)
struct FinancialFleetTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func fleet(_ names: [String], in folder: TemporaryFolder) throws -> [TestNode] {
        let nodes = try names.map { try TestNode($0, in: folder) }
        for node in nodes { for other in nodes where other.name != node.name { try node.trust(other) } }
        return nodes
    }

    /// Everyone sends everything to everyone, twice around.
    static func syncAll(_ nodes: [TestNode], via folder: TemporaryFolder) throws {
        for _ in 0..<2 {
            for node in nodes {
                for other in nodes where other.name != node.name { try node.send(to: other, via: folder) }
            }
        }
    }

    /// What a user sees of the ledger: every invoice's figures, the ageing, the exceptions.
    static func figures(_ node: TestNode) throws -> String {
        [
            ["invoice", "list", "--as-of", "2026-12-31"], ["ageing", "--as-of", "2026-12-31"], ["exceptions", "list"],
            ["payment", "list"],
        ]
        .map { (try? NodeCtl.run($0 + ["--json"], data: node.data).stdout) ?? "" }.joined(separator: "\n")
    }

    /// Each exception shows in its folder's Credit tab (read through the folder's own rows)
    /// exactly as `exceptions list` shows it over the whole book.
    static func expectInFolder(_ exceptions: [[String: Any]], _ node: TestNode) throws {
        for customer in Set(exceptions.compactMap { $0["customerId"] as? String }) {
            let credit =
                (try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any])?["credit"]
                as? [String: Any]
            let inFolder = (credit?["exceptions"] as? [[String: Any]] ?? []).map {
                "\($0["id"] ?? "") \($0["detail"] ?? "")"
            }
            let listed = exceptions.filter { $0["customerId"] as? String == customer }.map {
                "\($0["id"] ?? "") \($0["detail"] ?? "")"
            }
            #expect(inFolder == listed, "\(node.name): \(customer)")
        }
    }

    @Test func twoLaptopsInvoicingOfflineNeverIssueOneNumber() throws {
        let folder = try TemporaryFolder()
        let nodes = try Self.fleet(["hq", "van1", "van2"], in: folder)
        let (hq, van1, van2) = (nodes[0], nodes[1], nodes[2])
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "85.00"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try Self.syncAll(nodes, via: folder)

        // A week apart: each laptop invoices the same customer twice.
        var numbers: [String] = []
        for van in [van1, van2] {
            for day in ["2026-11-02", "2026-11-05"] {
                let invoice =
                    try NodeCtl.json(["invoice", "add", acme, "--line", "LAB 1", "--date", day], data: van.data)
                    as? [String: Any]
                numbers.append(invoice?["number"] as? String ?? "")
            }
        }
        #expect(Set(numbers).count == 4, "\(numbers)")
        // Each laptop's own series is gapless: …-INV-000001, …-INV-000002.
        #expect(numbers.map { String($0.suffix(6)) } == ["000001", "000002", "000001", "000002"])
        try Self.syncAll(nodes, via: folder)

        let reference = try Self.figures(hq)
        for node in nodes {
            let invoices =
                try NodeCtl.json(["invoice", "list", acme], data: node.data) as? [[String: Any]] ?? []
            #expect(Set(invoices.compactMap { $0["number"] as? String }) == Set(numbers), "\(node.name)")
            #expect(try Self.figures(node) == reference, "\(node.name) shows other figures")
            let exceptions = try NodeCtl.json(["exceptions", "list"], data: node.data) as? [Any]
            #expect(exceptions?.isEmpty == true, "\(node.name)")
            let balance =
                (try NodeCtl.json(["customer", "show", acme], data: node.data) as? [String: Any])?["financial"]
                as? [String: Any]
            #expect(balance?["balance"] as? String == "340.00", "\(node.name)")
        }
    }

    @Test func paymentsAppliedWhileApartOverpayTheInvoiceTheSameOnEveryNode() throws {
        let folder = try TemporaryFolder()
        let nodes = try Self.fleet(["hq", "van"], in: folder)
        let (hq, van) = (nodes[0], nodes[1])
        try NodeCtl.ok(["series", "set", "HQ"], data: hq.data)
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "100.00"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try NodeCtl.ok(["invoice", "add", acme, "--line", "LAB 1", "--date", "2026-11-01"], data: hq.data)
        try Self.syncAll(nodes, via: folder)

        // Apart, both record the customer's payment of the same invoice.
        for (node, reference) in [(hq, "CHK-1"), (van, "CASH-1")] {
            try NodeCtl.ok(
                [
                    "payment", "add", acme, "--amount", "100.00", "--method", "check", "--reference", reference,
                    "--apply", "HQ-INV-000001=100.00", "--date", "2026-11-10",
                ],
                data: node.data
            )
        }
        try Self.syncAll(nodes, via: folder)

        let reference = try Self.figures(hq)
        for node in nodes {
            #expect(try Self.figures(node) == reference, "\(node.name) shows other figures")
            let invoice =
                try NodeCtl.json(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-12-31"], data: node.data)
                as? [String: Any]
            #expect(invoice?["status"] as? String == "overpaid" && invoice?["open"] as? String == "-100.00")
            let ageing = try NodeCtl.json(["ageing", "--as-of", "2026-12-31"], data: node.data) as? [[String: Any]]
            #expect(
                ageing?.first?["unapplied"] as? String == "100.00" && ageing?.first?["balance"] as? String == "-100.00"
            )
            let exceptions = try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]] ?? []
            #expect(exceptions.map { $0["kind"] as? String } == ["overpaid"], "\(node.name)")
            #expect((exceptions.first?["documents"] as? [String])?.count == 3)
            try Self.expectInFolder(exceptions, node)
        }
        // The credit on account pays the next invoice's statement down: nothing was refused.
        let statement = try NodeCtl.json(["statement", acme, "--to", "2026-12-31"], data: van.data) as? [String: Any]
        #expect(statement?["closing"] as? String == "-100.00")
    }

    @Test func aPrefixGivenToTwoNodesShowsDuplicateNumbersAndKeepsBoth() throws {
        let folder = try TemporaryFolder()
        let nodes = try Self.fleet(["van1", "van2"], in: folder)
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "85.00"], data: nodes[0].data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: nodes[0].data))
        try Self.syncAll(nodes, via: folder)
        var ids: [String] = []
        for node in nodes {
            try NodeCtl.ok(["series", "set", "van"], data: node.data)
            let invoice =
                try NodeCtl.json(["invoice", "add", acme, "--line", "LAB 1"], data: node.data) as? [String: Any]
            #expect(invoice?["number"] as? String == "VAN-INV-000001")
            ids.append(invoice?["id"] as? String ?? "")
        }
        try Self.syncAll(nodes, via: folder)
        for node in nodes {
            let exceptions = try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]] ?? []
            #expect(exceptions.count == 1 && exceptions.first?["kind"] as? String == "duplicate-number")
            #expect(exceptions.first?["id"] as? String == "duplicate-number:invoice:VAN-INV-000001")
            #expect(Set(exceptions.first?["documents"] as? [String] ?? []) == Set(ids))
            #expect(exceptions.first?["customerId"] as? String == acme)
            try Self.expectInFolder(exceptions, node)
            try NodeCtl.refused(["invoice", "show", "VAN-INV-000001"], data: node.data, mentioning: "duplicate number")
            for id in ids { try NodeCtl.ok(["invoice", "show", id], data: node.data) }
            // The next number steps past both.
        }
        let next =
            try NodeCtl.json(["invoice", "add", acme, "--line", "LAB 1"], data: nodes[0].data) as? [String: Any]
        #expect(next?["number"] as? String == "VAN-INV-000002")
    }
}
