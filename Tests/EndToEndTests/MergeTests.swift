import Foundation
import TestSupport
import Testing

/// `customer merge KEEP DUPLICATE`: everything of the duplicate shows in KEEP's folder on
/// every node — also what another node, offline, wrote to the duplicate before and after it
/// heard of the merge — and the merge replicates, is idempotent and follows chains.
@Suite("Merging customers", .offThePool)
struct MergeTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func names(_ node: TestNode, _ flags: [String] = []) throws -> [String] {
        let list = try NodeCtl.json(["customer", "list"] + flags, data: node.data) as? [[String: Any]] ?? []
        return list.compactMap { $0["name"] as? String }
    }

    static func show(_ node: TestNode, _ id: String) throws -> [String: Any] {
        try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any] ?? [:]
    }

    static func members(_ shown: [String: Any], _ tab: String, _ key: String) -> [String] {
        (shown[tab] as? [[String: Any]] ?? []).compactMap { $0[key] as? String }.sorted()
    }

    @Test func writesToTheDuplicateOnAnOfflineNodeLandInTheKeptFolderEverywhere() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        let keep = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd", "--phone", "555 0100"], data: hq.data))
        let duplicate = Self.line(try NodeCtl.ok(["customer", "add", "ACME Limited"], data: hq.data))
        try NodeCtl.ok(["contact", "add", keep, "--name", "Anna Keep"], data: hq.data)
        try NodeCtl.ok(["contact", "add", duplicate, "--name", "Dora Dup"], data: hq.data)
        try NodeCtl.ok(["journal", "add", duplicate, "--kind", "call", "--notes", "first call"], data: hq.data)
        try hq.send(to: laptop, via: folder)

        // Apart: HQ merges; the laptop, not knowing, writes to the duplicate.
        let merged =
            try NodeCtl.json(["customer", "merge", keep, duplicate, "--json"], data: hq.data) as? [String: Any]
        #expect(merged?["id"] as? String == keep && merged?["merged"] as? [String] == [duplicate])
        try NodeCtl.ok(
            ["journal", "add", duplicate, "--kind", "visit", "--notes", "visited on site"],
            data: laptop.data
        )
        try NodeCtl.ok(["contact", "add", duplicate, "--name", "Lars Laptop"], data: laptop.data)
        try laptop.send(to: hq, via: folder)
        try hq.send(to: laptop, via: folder)

        // After it heard of the merge, the laptop writes to the duplicate's id again.
        try NodeCtl.ok(
            ["journal", "add", duplicate, "--kind", "note", "--notes", "after the merge"],
            data: laptop.data
        )
        try laptop.send(to: hq, via: folder)

        for node in [hq, laptop] {
            #expect(try Self.names(node) == ["Acme Ltd"], "\(node.name)")
            #expect(try Self.names(node, ["--all"]) == ["Acme Ltd"], "\(node.name)")
            for id in [keep, duplicate] {
                let shown = try Self.show(node, id)
                #expect(shown["id"] as? String == keep, "\(node.name): \(id) leads to the kept customer")
                #expect(shown["merged"] as? [String] == [duplicate], "\(node.name)")
                #expect(
                    Self.members(shown, "contacts", "name") == ["Anna Keep", "Dora Dup", "Lars Laptop"],
                    "\(node.name): \(Self.members(shown, "contacts", "name"))"
                )
                #expect(
                    Self.members(shown, "journal", "notes") == ["after the merge", "first call", "visited on site"],
                    "\(node.name)"
                )
            }
            let found = try NodeCtl.json(["customer", "list", "--search", "Lars"], data: node.data) as? [[String: Any]]
            #expect(found?.compactMap { $0["id"] as? String } == [keep], "\(node.name)")
            let export = try NodeCtl.ok(["customer", "export", "--format", "csv"], data: node.data)
            #expect(!export.contains("ACME Limited") && export.contains("Lars Laptop"), "\(node.name)")
            let status = try NodeCtl.json(["status"], data: node.data) as? [String: Any]
            #expect(status?["customers"] as? Int == 1, "\(node.name)")
        }

        // Twice is once; merging into a merged customer follows the chain; bad merges refused.
        let again =
            try NodeCtl.json(["customer", "merge", keep, duplicate, "--json"], data: laptop.data) as? [String: Any]
        #expect(again?["id"] as? String == keep)
        let third = Self.line(try NodeCtl.ok(["customer", "add", "Acme (old entry)"], data: laptop.data))
        let chained =
            try NodeCtl.json(["customer", "merge", duplicate, third, "--json"], data: laptop.data) as? [String: Any]
        #expect(chained?["id"] as? String == keep)
        #expect((chained?["merged"] as? [String])?.sorted() == [duplicate, third].sorted())
        try NodeCtl.refused(["customer", "merge", keep, keep], data: hq.data, mentioning: "itself")
        try NodeCtl.refused(["customer", "merge", duplicate, keep], data: hq.data, mentioning: "merged into")
        try NodeCtl.refused(["customer", "merge", keep, "nonsense"], data: hq.data, mentioning: "customer")
    }

    @Test func twoOfficesMergingCrosswiseWhileApartAgree() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let a = Self.line(try NodeCtl.ok(["customer", "add", "Alpha GmbH"], data: hq.data))
        let b = Self.line(try NodeCtl.ok(["customer", "add", "ALPHA Gmbh"], data: hq.data))
        try hq.send(to: branch, via: folder)
        try NodeCtl.ok(["customer", "merge", a, b], data: hq.data)
        try NodeCtl.ok(["customer", "merge", b, a], data: branch.data)
        try hq.send(to: branch, via: folder)
        try branch.send(to: hq, via: folder)
        let onHQ = try Self.names(hq, ["--all"])
        #expect(onHQ.count == 1, "one of the two is kept: \(onHQ)")
        #expect(try Self.names(branch, ["--all"]) == onHQ)
        #expect(try Self.show(hq, a)["id"] as? String == (try Self.show(branch, b)["id"] as? String))
    }
}
