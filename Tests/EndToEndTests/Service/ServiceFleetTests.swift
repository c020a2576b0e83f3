import Foundation
import TestSupport
import Testing

/// The technician's laptop, offline for days, carries the whole service workflow: two
/// technicians work one call apart and every note, charge and crew member survives the merge,
/// with their two statuses kept as one conflict until HQ settles it; the call is invoiced once.
@Suite("Jobs & Service: a call worked on two laptops apart", .offThePool)
struct ServiceFleetTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func object(_ arguments: [String], _ node: TestNode) throws -> [String: Any] {
        try NodeCtl.json(arguments, data: node.data) as? [String: Any] ?? [:]
    }

    static func sync(_ node: TestNode) throws {
        try NodeCtl.ok(["sync"], data: node.data)
    }

    @Test func twoTechniciansWorkOneCallOfflineAndEveryNoteChargeAndCrewMemberSurvives() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let ann = try TestNode("ann-laptop", in: folder, role: "laptop")
        let bob = try TestNode("bob-laptop", in: folder, role: "laptop")
        let nodes = [hq, branch, ann, bob]
        // The branch serves; HQ and the laptops dial it (real TLS on loopback).
        let branchServe = try ServeProcess(branch, interval: 3600)
        defer { branchServe.stop() }
        try branch.trust(hq)
        for laptop in [ann, bob] {
            try NodeCtl.ok(["peer", "add", laptop.id, "--name", laptop.name, "--role", "laptop"], data: branch.data)
        }
        for node in [hq, ann, bob] { try node.trust(branch, at: branchServe.address) }
        try NodeCtl.ok(["series", "set", "HQ"], data: hq.data)
        try NodeCtl.ok(
            ["item", "add", "LAB", "--description", "Labour", "--price", "85.00", "--tax", "10%"],
            data: hq.data
        )
        try NodeCtl.ok(["item", "add", "SEAL-7", "--description", "Pump seal", "--price", "12.40"], data: hq.data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        for laptop in [ann, bob] { try NodeCtl.ok(["assign", acme, "--to", laptop.id], data: hq.data) }
        let boiler = Self.line(
            try NodeCtl.ok(
                [
                    "equipment", "add", acme, "--model", "Boiler X200", "--serial", "SN-4471", "--installed",
                    "2025-03-01", "--site", "12 High St, Leeds LS1 4AP, United Kingdom",
                ],
                data: hq.data
            )
        )
        let call = try Self.object(
            [
                "service", "add", acme, "--problem", "No hot water", "--equipment", boiler, "--scheduled",
                "2026-12-08T09:00:00Z", "--crew", "Ann", "--crew", "Bob", "--json",
            ],
            hq
        )
        let callID = call["id"] as? String ?? ""
        #expect(call["number"] as? String == "HQ-SC-000001")
        #expect(call["status"] as? String == "scheduled")
        try Self.sync(hq)
        try Self.sync(ann)
        try Self.sync(bob)
        let annDay =
            try NodeCtl.json(["service", "list", "--crew", "ann", "--open"], data: ann.data) as? [[String: Any]]
        #expect(annDay?.map { $0["number"] as? String } == ["HQ-SC-000001"], "Ann's day on her laptop")

        // Apart: each technician writes a note and a charge, adds a crew member and sets a status.
        try NodeCtl.ok(
            ["service", "note", "HQ-SC-000001", "--text", "Pump seal worn; replaced.", "--as", "Ann"],
            data: ann.data
        )
        try NodeCtl.ok(
            ["service", "charge", "HQ-SC-000001", "--line", "LAB 2", "--line", "SEAL-7 1", "--as", "Ann"],
            data: ann.data
        )
        try NodeCtl.ok(["service", "crew", "HQ-SC-000001", "--add", "Carol"], data: ann.data)
        try NodeCtl.ok(["service", "set", "HQ-SC-000001", "status=in-progress", "--as", "Ann"], data: ann.data)
        try NodeCtl.ok(
            ["service", "note", "HQ-SC-000001", "--text", "Flushed the system; pressure holds.", "--as", "Bob"],
            data: bob.data
        )
        try NodeCtl.ok(
            ["service", "charge", "HQ-SC-000001", "--line", "LAB 1.5 @90.00", "--as", "Bob"],
            data: bob.data
        )
        try NodeCtl.ok(["service", "crew", "HQ-SC-000001", "--add", "Dave", "--remove", "Bob"], data: bob.data)
        try NodeCtl.ok(["service", "set", "HQ-SC-000001", "status=completed", "--as", "Bob"], data: bob.data)
        // Not invoiced while HQ has not seen it completed.
        try NodeCtl.refused(
            ["invoice", "add", acme, "--service", "HQ-SC-000001"],
            data: hq.data,
            mentioning: "not completed"
        )

        for node in [ann, bob, ann, hq] { try Self.sync(node) }
        var reference: String?
        for node in nodes {
            let shown = try Self.object(["service", "show", callID], node)
            #expect(
                (shown["notes"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.sorted() == [
                    "Flushed the system; pressure holds.", "Pump seal worn; replaced.",
                ],
                "\(node.name)"
            )
            #expect((shown["chargeLines"] as? [[String: Any]])?.count == 2, "\(node.name)")
            // 2 × 85.00 + 10 % tax, 12.40, 1.5 × 90.00 + 10 % tax: 187.00 + 12.40 + 148.50.
            #expect(shown["charges"] as? String == "347.90", "\(node.name)")
            // Bob's removal took away only the add he had seen: Ann's laptop never removed anyone.
            #expect(shown["crew"] as? [String] == ["Ann", "Carol", "Dave"], "\(node.name)")
            #expect(shown["conflicts"] as? [String] == ["status"], "\(node.name)")
            let text = try NodeCtl.ok(["service", "show", callID, "--json"], data: node.data)
            if let reference {
                #expect(text == reference, "\(node.name) shows the call as HQ does")
            } else {
                reference = text
            }
        }

        // HQ settles the status, then invoices the call once.
        let conflicts = try NodeCtl.json(["conflicts", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(conflicts.count == 1, "\(conflicts)")
        let conflict = conflicts.first ?? [:]
        #expect(conflict["field"] as? String == "status", "\(conflict)")
        try NodeCtl.ok(
            ["conflicts", "resolve", conflict["id"] as? String ?? "", "--value", "completed"],
            data: hq.data
        )
        let invoice = try Self.object(["invoice", "add", acme, "--service", "HQ-SC-000001", "--json"], hq)
        #expect(invoice["total"] as? String == "347.90", "\(invoice)")
        try NodeCtl.refused(
            ["invoice", "add", acme, "--service", "HQ-SC-000001"],
            data: hq.data,
            mentioning: "invoiced already"
        )
        try NodeCtl.refused(
            ["service", "charge", "HQ-SC-000001", "--line", "LAB 1"],
            data: hq.data,
            mentioning: "invoiced already"
        )
        for node in [hq, ann, bob, hq] { try Self.sync(node) }
        for node in nodes {
            let shown = try Self.object(["service", "show", "HQ-SC-000001"], node)
            #expect(shown["status"] as? String == "completed", "\(node.name)")
            #expect(shown["conflicts"] as? [String] == [], "\(node.name)")
            #expect(shown["invoices"] as? [String] == [invoice["number"] as? String ?? "?"], "\(node.name)")
            let exceptions = try NodeCtl.json(["exceptions", "list"], data: node.data) as? [[String: Any]]
            #expect(exceptions?.isEmpty == true, "\(node.name): \(exceptions ?? [])")
        }
        try NodeCtl.refused(
            ["invoice", "add", acme, "--service", "HQ-SC-000001"],
            data: ann.data,
            mentioning: "invoiced already"
        )

        // The machine's story and the folder's tab, on a laptop.
        let story = try Self.object(["equipment", "show", boiler], ann)
        #expect((story["calls"] as? [[String: Any]])?.map { $0["number"] as? String } == ["HQ-SC-000001"])
        let folderJSON = try Self.object(["customer", "show", acme], bob)
        let tab = folderJSON["service"] as? [String: Any] ?? [:]
        #expect((tab["equipment"] as? [[String: Any]])?.first?["serial"] as? String == "SN-4471")
        #expect((tab["calls"] as? [[String: Any]])?.first?["number"] as? String == "HQ-SC-000001")
        let human = try NodeCtl.ok(["customer", "show", acme], data: bob.data)
        #expect(human.contains("Jobs & Service"))
        #expect(human.contains("Flushed the system; pressure holds."))
        #expect(human.contains("LS1 4AP"))
    }
}
