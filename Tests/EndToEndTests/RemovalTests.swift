import Foundation
import TestSupport
import Testing

/// `contact remove` takes a contact out of the folder on every node; a removal made while
/// another node, not knowing, edited the contact is a conflict on both until settled.
@Suite("Removing contacts", .offThePool)
struct RemovalTests {
    static func contactNames(_ node: TestNode, _ customer: String) throws -> [String] {
        let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        return (shown?["contacts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    static func conflicts(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["conflicts", "list"], data: node.data) as? [[String: Any]] ?? []
    }

    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func aRemovedContactLeavesTheFolderSearchAndExportOnEveryNode() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let customer = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let gone = Self.line(
            try NodeCtl.ok(
                ["contact", "add", customer, "--name", "Zebedee Quill", "--phone", "555 0199"],
                data: hq.data
            )
        )
        try NodeCtl.ok(["contact", "add", customer, "--name", "Anna Stays"], data: hq.data)
        try hq.send(to: branch, via: folder)
        try NodeCtl.ok(["contact", "remove", gone], data: hq.data)
        try hq.send(to: branch, via: folder)

        for node in [hq, branch] {
            #expect(try Self.contactNames(node, customer) == ["Anna Stays"], "\(node.name)")
            let found = try NodeCtl.json(["customer", "list", "--search", "Zebedee"], data: node.data) as? [Any]
            #expect(found?.isEmpty == true, "\(node.name): \(String(describing: found))")
            let byPhone = try NodeCtl.json(["customer", "list", "--search", "5550199"], data: node.data) as? [Any]
            #expect(byPhone?.isEmpty == true, "\(node.name)")
            let export = try NodeCtl.ok(["customer", "export", "--format", "csv"], data: node.data)
            #expect(!export.contains("Zebedee") && export.contains("Anna Stays"), "\(node.name)")
            #expect(try Self.conflicts(node).isEmpty, "\(node.name)")
            let edit = try NodeCtl.run(["contact", "set", gone, "title=CEO"], data: node.data)
            #expect(edit.status == 1 && edit.stderr.contains("was removed"), "\(node.name): \(edit.stderr)")
            let again = try NodeCtl.run(["contact", "remove", gone], data: node.data)
            #expect(again.status == 1 && again.stderr.contains("was removed"), "\(node.name)")
            // Nothing vanishes: its history keeps every write, the removal included.
            let history = try NodeCtl.ok(["history", gone], data: node.data)
            #expect(history.contains("Zebedee Quill") && history.contains("removed"), "\(node.name)")
        }
        let unknown = try NodeCtl.run(["contact", "remove", customer], data: hq.data)
        #expect(unknown.status == 1 && unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")

        // Removed by mistake: it comes back, on every node.
        try NodeCtl.ok(["contact", "set", gone, "removed="], data: branch.data)
        try branch.send(to: hq, via: folder)
        for node in [hq, branch] {
            #expect(try Self.contactNames(node, customer) == ["Anna Stays", "Zebedee Quill"], "\(node.name)")
            let found = try NodeCtl.json(["customer", "list", "--search", "Zebedee"], data: node.data) as? [Any]
            #expect(found?.count == 1, "\(node.name)")
        }
    }

    @Test func aRemovalConcurrentWithAnEditIsAConflictOnBothNodesUntilSettled() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        let customer = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let contact = Self.line(try NodeCtl.ok(["contact", "add", customer, "--name", "Jo Field"], data: hq.data))
        try hq.send(to: laptop, via: folder)

        // Apart: the office removes the contact, the laptop gives it a new phone and title.
        try NodeCtl.ok(["contact", "remove", contact], data: hq.data)
        try NodeCtl.ok(
            ["contact", "set", contact, "title=Site manager", "phones+=mobile: 555 0142"],
            data: laptop.data
        )
        try hq.send(to: laptop, via: folder)
        try laptop.send(to: hq, via: folder)

        var ids: Set<String> = []
        for node in [hq, laptop] {
            let conflicts = try Self.conflicts(node)
            #expect(conflicts.count == 1, "\(node.name): \(conflicts)")
            guard let conflict = conflicts.first else { continue }
            #expect(conflict["field"] as? String == "removed" && conflict["entityId"] as? String == contact)
            ids.insert(conflict["id"] as? String ?? "")
            // Kept while in conflict: the edit's candidates come first (empty: kept), then the removal.
            let values = (conflict["candidates"] as? [[String: Any]] ?? []).map { $0["value"] as? String ?? "" }
            #expect(values == ["", "", "true"], "\(node.name): \(values)")
            #expect(try Self.contactNames(node, customer) == ["Jo Field"], "\(node.name)")
            let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
            let marked = shown?["conflicts"] as? [String] ?? []
            #expect(marked.contains("\(contact)/removed"), "\(node.name): \(String(describing: shown))")
        }
        #expect(ids.count == 1, "the same conflict on both nodes: \(ids)")

        // The office settles it: removed after all. Both nodes agree, and nothing is open.
        try NodeCtl.ok(["conflicts", "resolve", ids.first ?? "", "--pick", "2"], data: hq.data)
        try hq.send(to: laptop, via: folder)
        for node in [hq, laptop] {
            #expect(try Self.conflicts(node).isEmpty, "\(node.name)")
            #expect(try Self.contactNames(node, customer).isEmpty, "\(node.name)")
        }
    }

    @Test func twoRemovalsMadeApartAreNoConflict() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let customer = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let contact = Self.line(try NodeCtl.ok(["contact", "add", customer, "--name", "Jo Field"], data: hq.data))
        try hq.send(to: branch, via: folder)
        try NodeCtl.ok(["contact", "remove", contact], data: hq.data)
        try NodeCtl.ok(["contact", "remove", contact], data: branch.data)
        try hq.send(to: branch, via: folder)
        try branch.send(to: hq, via: folder)
        for node in [hq, branch] {
            #expect(try Self.conflicts(node).isEmpty, "\(node.name)")
            #expect(try Self.contactNames(node, customer).isEmpty, "\(node.name)")
        }
    }
}
