import Foundation
import TestSupport
import Testing

/// The rules of the Jobs & Service tab that an offline fleet can only enforce node by node: a
/// call for a held customer is refused wherever the hold is known, and a call taken on a node
/// that had not seen it is a `service-during-hold` exception; a call invoiced on two nodes apart
/// is a `duplicate-invoice` exception with both invoices kept. Bad input is refused in one line.
@Suite("Jobs & Service: holds, invoicing once, bad input", .offThePool)
struct ServiceRulesTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func exceptions(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]] ?? []
    }

    static func exchange(_ a: TestNode, _ b: TestNode, via folder: TemporaryFolder) throws {
        try a.send(to: b, via: folder)
        try b.send(to: a, via: folder)
    }

    @Test func aCallForAHeldCustomerIsRefusedAndOneTakenApartIsAnException() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let van = try TestNode("van", in: folder, role: "laptop")
        try hq.trust(van)
        try van.trust(hq)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try Self.exchange(hq, van, via: folder)

        // HQ places a hold; the van, which has not seen it, takes a call.
        try NodeCtl.ok(["customer", "hold", acme, "--reason", "cheque bounced", "--as", "carol"], data: hq.data)
        try NodeCtl.refused(
            ["service", "add", acme, "--problem", "Leak"],
            data: hq.data,
            mentioning: "cheque bounced"
        )
        let call =
            try NodeCtl.json(["service", "add", acme, "--problem", "Leak", "--json"], data: van.data) as? [String: Any]
        let callID = call?["id"] as? String ?? ""
        try Self.exchange(hq, van, via: folder)
        for node in [hq, van] {
            let listed = try Self.exceptions(node)
            #expect(listed.map { $0["id"] as? String } == ["service-during-hold:\(callID)"], "\(node.name): \(listed)")
            #expect((listed.first?["detail"] as? String)?.contains("cheque bounced") == true)
        }
        // Known now on the van too: its next call is refused, naming the hold and who placed it.
        let refusal = try NodeCtl.refused(
            ["service", "add", acme, "--problem", "Another leak"],
            data: van.data,
            mentioning: "credit hold"
        )
        #expect(refusal.stderr.contains("carol") && refusal.stderr.contains("cheque bounced"), "\(refusal.stderr)")

        try NodeCtl.ok(
            ["exceptions", "resolve", "service-during-hold:\(callID)", "--cancel", "--reason", "on hold"],
            data: hq.data
        )
        try Self.exchange(hq, van, via: folder)
        for node in [hq, van] {
            #expect(try Self.exceptions(node).isEmpty, "\(node.name)")
            let shown = try NodeCtl.json(["service", "show", callID], data: node.data) as? [String: Any]
            #expect(shown?["status"] as? String == "cancelled", "\(node.name)")
        }
        try NodeCtl.refused(["service", "charge", callID, "--line", "X 1"], data: hq.data, mentioning: "cancelled")
    }

    @Test func aCallInvoicedOnTwoNodesApartIsADuplicateInvoiceWithBothKept() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let van = try TestNode("van", in: folder, role: "laptop")
        try hq.trust(van)
        try van.trust(hq)
        try NodeCtl.ok(["series", "set", "HQ"], data: hq.data)
        try NodeCtl.ok(["series", "set", "VAN"], data: van.data)
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "85.00"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try NodeCtl.ok(["service", "add", acme, "--problem", "Noisy fan"], data: hq.data)
        try NodeCtl.ok(["service", "charge", "HQ-SC-000001", "--line", "LAB 1"], data: hq.data)
        try NodeCtl.ok(["service", "set", "HQ-SC-000001", "status=completed", "completed=2026-12-01"], data: hq.data)
        try Self.exchange(hq, van, via: folder)

        let first =
            try NodeCtl.json(["invoice", "add", acme, "--service", "HQ-SC-000001", "--json"], data: hq.data)
            as? [String: Any]
        let second =
            try NodeCtl.json(["invoice", "add", acme, "--service", "HQ-SC-000001", "--json"], data: van.data)
            as? [String: Any]
        try Self.exchange(hq, van, via: folder)
        let call = try NodeCtl.json(["service", "show", "HQ-SC-000001"], data: hq.data) as? [String: Any]
        let callID = call?["id"] as? String ?? ""
        #expect(call?["completed"] as? String == "2026-12-01")
        let numbers = [first?["number"] as? String ?? "", second?["number"] as? String ?? ""].sorted()
        #expect(numbers == ["HQ-INV-000001", "VAN-INV-000001"])
        let reference = try NodeCtl.ok(["exceptions", "list", "--json"], data: hq.data)
        for node in [hq, van] {
            #expect(try NodeCtl.ok(["exceptions", "list", "--json"], data: node.data) == reference, "\(node.name)")
            let listed = try Self.exceptions(node)
            #expect(listed.map { $0["id"] as? String } == ["duplicate-invoice:\(callID)"], "\(node.name)")
            #expect((listed.first?["documents"] as? [String])?.count == 2)
            #expect((call?["invoices"] as? [String])?.sorted() == numbers)
            // Both invoices stand: the customer owes both until one is credited.
            let ageing = try NodeCtl.json(["ageing", acme], data: node.data) as? [[String: Any]]
            #expect(ageing?.first?["balance"] as? String == "170.00", "\(node.name)")
        }
        try NodeCtl.refused(
            ["exceptions", "resolve", "duplicate-invoice:\(callID)", "--cancel", "--reason", "x"],
            data: hq.data,
            mentioning: "only accepted"
        )
        try NodeCtl.ok(
            ["credit-note", "add", "VAN-INV-000001", "--amount", "85.00", "--reason", "invoiced twice"],
            data: hq.data
        )
        try NodeCtl.ok(
            [
                "exceptions", "resolve", "duplicate-invoice:\(callID)", "--accept", "--reason",
                "credited VAN-INV-000001",
            ],
            data: hq.data
        )
        try Self.exchange(hq, van, via: folder)
        #expect(try Self.exceptions(van).isEmpty)
    }

    @Test func badInputIsRefusedInOneLineAndChangesNothing() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let other = Self.line(try NodeCtl.ok(["customer", "add", "Other plc"], data: hq.data))
        let machine = Self.line(
            try NodeCtl.ok(["equipment", "add", other, "--model", "X1", "--serial", "A-1"], data: hq.data)
        )
        let call = Self.line(
            try NodeCtl.ok(["service", "add", acme, "--problem", "Leak", "--crew", "Ann"], data: hq.data)
        )
        let number = String(call.split(separator: " ").last ?? "")
        let before =
            try hq.snapshot() + (try NodeCtl.ok(["service", "list", "--json"], data: hq.data))
            + (try NodeCtl.ok(["equipment", "list", "--json"], data: hq.data))
        let refusals: [([String], String)] = [
            (["service", "set", number, "status=done"], "status is one of"),
            (["service", "set", number, "crew=Bob"], "no field 'crew'"),
            (["service", "set", number, "scheduled=tomorrow"], "ISO 8601"),
            (["service", "set", number, "equipment=\(machine)"], "is not at customer"),
            (["service", "set", "HQ-SC-999999", "status=completed"], "no service-call"),
            (["service", "add", acme, "--problem", "  "], "--problem"),
            (["service", "add", acme, "--problem", "x", "--scheduled", "8am"], "--scheduled"),
            (["service", "add", acme, "--problem", "x", "--crew", " "], "crew"),
            (["service", "crew", number, "--remove", "Zed"], "not on the crew"),
            (["service", "note", number, "--text", ""], "--text"),
            (["service", "charge", number, "--line", "NOPE 1"], "no item 'NOPE'"),
            (["invoice", "add", acme, "--service", number], "not completed"),
            (["equipment", "add", acme, "--model", "X1", "--serial", "B", "--installed", "2026-02-30"], "--installed"),
            (
                [
                    "equipment", "add", acme, "--model", "X1", "--serial", "B", "--installed", "2026-02-01",
                    "--warranty-until", "2025-01-01",
                ],
                "before the machine was installed"
            ),
            (["equipment", "set", machine, "installed=soon"], "date"),
            (["job", "add", acme, "--title", "Refit", "--order", "HQ-SO-000001"], "no order"),
            (
                ["job", "add", acme, "--title", "Refit", "--start", "2026-12-10", "--end", "2026-12-01"],
                "before it starts"
            ),
        ]
        for (arguments, mention) in refusals {
            try NodeCtl.refused(arguments, data: hq.data, mentioning: mention)
        }
        let after =
            try hq.snapshot() + (try NodeCtl.ok(["service", "list", "--json"], data: hq.data))
            + (try NodeCtl.ok(["equipment", "list", "--json"], data: hq.data))
        #expect(after == before)

        // One machine entered twice is kept twice and shown as a likely duplicate.
        let twin = try NodeCtl.run(["equipment", "add", acme, "--model", "x1 ", "--serial", "a1"], data: hq.data)
        #expect(twin.status == 0)
        #expect(twin.stderr.contains("likely one machine entered twice"), "\(twin.stderr)")
        let listed = try NodeCtl.json(["equipment", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(listed.count == 2)
        #expect(listed.allSatisfy { ($0["likelyDuplicates"] as? [String])?.count == 1 }, "\(listed)")
    }
}
