import Foundation
import TestSupport
import Testing

/// `customer archive` hides a customer from lists on every node, keeps its folder whole, and
/// is an edit like any other: it replicates, and archiving against unarchiving is a conflict.
@Suite("Archiving customers", .offThePool)
struct ArchiveTests {
    static func names(_ node: TestNode, _ flags: [String] = []) throws -> [String] {
        let list = try NodeCtl.json(["customer", "list"] + flags, data: node.data) as? [[String: Any]] ?? []
        return list.compactMap { $0["name"] as? String }
    }

    @Test func anArchivedCustomerLeavesListsOnEveryNodeAndItsFolderStaysWhole() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let old = try NodeCtl.ok(["customer", "add", "Old Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "add", "Current Ltd"], data: hq.data)
        try NodeCtl.ok(["journal", "add", old, "--kind", "note", "--notes", "last order 2019"], data: hq.data)
        try NodeCtl.ok(["customer", "archive", old], data: hq.data)
        try hq.send(to: branch, via: folder)

        for node in [hq, branch] {
            #expect(try Self.names(node) == ["Current Ltd"], "\(node.name)")
            #expect(try Self.names(node, ["--archived"]) == ["Old Ltd"], "\(node.name)")
            #expect(try Self.names(node, ["--all"]) == ["Current Ltd", "Old Ltd"], "\(node.name)")
            let shown = try NodeCtl.json(["customer", "show", old], data: node.data) as? [String: Any]
            #expect(shown?["archived"] as? Bool == true, "\(node.name)")
            #expect((shown?["journal"] as? [Any])?.count == 1, "\(node.name)")
        }
        let both = try NodeCtl.run(["customer", "list", "--archived", "--all"], data: hq.data)
        #expect(both.status == 1 && both.stderr.contains("exclude"))

        // One office unarchives while the other, not knowing, archives again: a conflict.
        try NodeCtl.ok(["customer", "unarchive", old], data: hq.data)
        try NodeCtl.ok(["customer", "set", old, "archived="], data: branch.data)
        try NodeCtl.ok(["customer", "set", old, "archived=true"], data: branch.data)
        try hq.send(to: branch, via: folder)
        try branch.send(to: hq, via: folder)
        for node in [hq, branch] {
            let conflicts = try NodeCtl.json(["conflicts", "list"], data: node.data) as? [[String: Any]] ?? []
            #expect(conflicts.compactMap { $0["field"] as? String } == ["archived"], "\(node.name): \(conflicts)")
        }
        let refused = try NodeCtl.run(["customer", "set", old, "archived=yes"], data: hq.data)
        #expect(refused.status == 1 && refused.stderr.contains("'true' or empty"), "\(refused.stderr)")
    }
}
