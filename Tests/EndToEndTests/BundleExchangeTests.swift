import Foundation
import TestSupport
import Testing

@Suite("nodectl: offline bundles, conflicts and documents", .offThePool)
struct BundleExchangeTests {
    /// Two nodes that trust each other.
    private func pair(_ folder: TemporaryFolder) throws -> (TestNode, TestNode) {
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        return (hq, laptop)
    }

    private func show(_ id: String, on node: TestNode) throws -> String {
        try NodeCtl.ok(["customer", "show", id, "--json"], data: node.data)
    }

    @Test func aFolderAndItsDocumentTravelByBundle() throws {
        let folder = try TemporaryFolder()
        let (hq, laptop) = try pair(folder)
        let id = try NodeCtl.ok(["customer", "add", "Acme Ltd", "--category", "retail"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["contact", "add", id, "--name", "Jane Doe", "--phone", "+44 20 7946 0958"], data: hq.data)
        try NodeCtl.ok(["journal", "add", id, "--kind", "visit", "--notes", "Site survey"], data: hq.data)
        var bytes = [UInt8]()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300_000 { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        let file = folder.path("survey.bin")
        try Data(bytes).write(to: file)
        let document = try NodeCtl.json(["document", "add", id, file.path], data: hq.data) as? [String: Any]
        let documentID = try #require(document?["id"] as? String)

        let applied = try hq.send(to: laptop, via: folder)
        #expect((applied["applied"] as? Int ?? 0) > 0)
        #expect(applied["conflicts"] as? Int == 0)
        #expect(try show(id, on: laptop) == show(id, on: hq))

        let copy = folder.path("copy.bin")
        try NodeCtl.ok(["document", "get", documentID, "--output", copy.path], data: laptop.data)
        #expect(try Data(contentsOf: copy) == Data(bytes))

        let again = try hq.send(to: laptop, via: folder)
        #expect(again["applied"] as? Int == 0)
        #expect(try show(id, on: laptop) == show(id, on: hq))
    }

    @Test func concurrentEditsShowTheSameConflictAndASettlementReachesBoth() throws {
        let folder = try TemporaryFolder()
        let (hq, laptop) = try pair(folder)
        let id = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        try hq.send(to: laptop, via: folder)

        try NodeCtl.ok(["customer", "set", id, "phone=555-0100"], data: hq.data)
        try NodeCtl.ok(["customer", "set", id, "phone=555-0199"], data: laptop.data)
        let toLaptop = try hq.send(to: laptop, via: folder)
        #expect(toLaptop["conflicts"] as? Int == 1)
        try laptop.send(to: hq, via: folder)

        let onHQ = try NodeCtl.ok(["conflicts", "list", "--json"], data: hq.data)
        let onLaptop = try NodeCtl.ok(["conflicts", "list", "--json"], data: laptop.data)
        #expect(onHQ == onLaptop)
        let conflicts = try JSONSerialization.jsonObject(with: Data(onHQ.utf8)) as? [[String: Any]]
        let conflict = try #require(conflicts?.first)
        #expect(conflicts?.count == 1)
        #expect(conflict["entity"] as? String == "customer")
        #expect(conflict["entityId"] as? String == id)
        #expect(conflict["field"] as? String == "phone")
        let candidates = try #require(conflict["candidates"] as? [[String: Any]])
        #expect(Set(candidates.compactMap { $0["value"] as? String }) == ["555-0100", "555-0199"])
        #expect(conflict["current"] as? String == candidates[0]["value"] as? String)
        #expect(try show(id, on: laptop) == show(id, on: hq))

        let conflictID = try #require(conflict["id"] as? String)
        let shown = try NodeCtl.json(["conflicts", "show", conflictID], data: laptop.data) as? [String: Any]
        #expect((shown?["history"] as? [Any])?.count == 2)
        try NodeCtl.ok(["conflicts", "resolve", conflictID, "--pick", "1"], data: laptop.data)
        #expect(try NodeCtl.ok(["conflicts", "list", "--json"], data: laptop.data) == "[]\n")
        try laptop.send(to: hq, via: folder)
        #expect(try NodeCtl.ok(["conflicts", "list", "--json"], data: hq.data) == "[]\n")
        let settled = try NodeCtl.json(["customer", "show", id], data: hq.data) as? [String: Any]
        #expect(settled?["phone"] as? String == candidates[1]["value"] as? String)
        #expect(try show(id, on: laptop) == show(id, on: hq))
    }

    @Test func sequentialEditsFromTwoNodesAreNotAConflict() throws {
        let folder = try TemporaryFolder()
        let (hq, laptop) = try pair(folder)
        let id = try NodeCtl.ok(["customer", "add", "Acme Ltd", "--notes", "first"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try hq.send(to: laptop, via: folder)
        try NodeCtl.ok(["customer", "set", id, "notes=second"], data: laptop.data)
        try laptop.send(to: hq, via: folder)
        try NodeCtl.ok(["customer", "set", id, "notes=third"], data: hq.data)
        try hq.send(to: laptop, via: folder)
        for node in [hq, laptop] {
            #expect(try NodeCtl.ok(["conflicts", "list", "--json"], data: node.data) == "[]\n")
            let shown = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any]
            #expect(shown?["notes"] as? String == "third")
        }
    }

    @Test func aBundleForAPeerHoldsOnlyWhatItLacks() throws {
        let folder = try TemporaryFolder()
        let (hq, laptop) = try pair(folder)
        for index in 0..<5 { try NodeCtl.ok(["customer", "add", "Customer \(index)"], data: hq.data) }
        try hq.send(to: laptop, via: folder)
        try laptop.send(to: hq, via: folder)  // hq learns what laptop holds
        try NodeCtl.ok(["customer", "add", "Customer new"], data: hq.data)
        let file = folder.path("delta.bundle")
        let created =
            try NodeCtl.json(["bundle", "create", "--output", file.path, "--for", "laptop"], data: hq.data)
            as? [String: Any]
        #expect(created?["changes"] as? Int == 1)
        let applied = try NodeCtl.json(["bundle", "apply", file.path], data: laptop.data) as? [String: Any]
        #expect(applied?["applied"] as? Int == 1)
        #expect((try NodeCtl.json(["customer", "list"], data: laptop.data) as? [Any])?.count == 6)
    }

    @Test func damagedAndUntrustedBundlesAreRefusedAndChangeNothing() throws {
        let folder = try TemporaryFolder()
        let (hq, laptop) = try pair(folder)
        let stranger = try TestNode("stranger", in: folder)
        try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
        try NodeCtl.ok(["customer", "add", "Evil Corp"], data: stranger.data)
        let good = folder.path("good.bundle")
        try NodeCtl.ok(["bundle", "create", "--output", good.path], data: hq.data)
        let foreign = folder.path("foreign.bundle")
        try NodeCtl.ok(["bundle", "create", "--output", foreign.path], data: stranger.data)

        let before = try laptop.snapshot()
        try NodeCtl.refused(["bundle", "apply", foreign.path], data: laptop.data, mentioning: "does not trust")

        var bytes = [UInt8](try Data(contentsOf: good))
        let damaged = folder.path("damaged.bundle")
        for position in [bytes.count / 3, bytes.count / 2, bytes.count - 5] {
            var copy = bytes
            copy[position] ^= 0x5A
            try Data(copy).write(to: damaged)
            try NodeCtl.refused(["bundle", "apply", damaged.path], data: laptop.data, mentioning: "bundle")
        }
        bytes.removeLast(100)
        try Data(bytes).write(to: damaged)
        try NodeCtl.refused(["bundle", "apply", damaged.path], data: laptop.data, mentioning: "bundle")
        try Data("not a bundle at all".utf8).write(to: damaged)
        try NodeCtl.refused(["bundle", "apply", damaged.path], data: laptop.data, mentioning: "bundle")
        try NodeCtl.refused(
            ["bundle", "apply", folder.path("missing.bundle").path],
            data: laptop.data,
            mentioning: "missing.bundle"
        )
        #expect(try laptop.snapshot() == before)

        try NodeCtl.ok(["bundle", "apply", good.path], data: laptop.data)
        #expect((try NodeCtl.json(["customer", "list"], data: laptop.data) as? [Any])?.count == 1)
    }
}
