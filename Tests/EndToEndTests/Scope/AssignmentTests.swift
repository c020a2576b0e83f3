import Foundation
import Testing

/// `assign`, `unassign`, `assignments`: records an office makes that replicate; a laptop's own
/// new customer is assigned to it; bad input is one line, exit 1, nothing changed.
@Suite("Assignments")
struct AssignmentTests {
    static func customer(_ name: String, on node: TestNode) throws -> String {
        try NodeCtl.ok(["customer", "add", name], data: node.data).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func assignments(_ node: TestNode, _ filter: [String] = []) throws -> [[String: Any]] {
        try NodeCtl.json(["assignments"] + filter + ["--json"], data: node.data) as? [[String: Any]] ?? []
    }

    @Test func anOfficeAssignsAndUnassignsAndEveryNodeReadsTheSameAssignments() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let van = try TestNode("van-3", in: folder, role: "laptop")
        try NodeCtl.ok(["peer", "add", van.id, "--name", "van-3", "--role", "laptop"], data: hq.data)
        try hq.trust(branch)
        try branch.trust(hq)
        let acme = try Self.customer("Acme Ltd", on: hq)
        let bolt = try Self.customer("Bolt & Nut GmbH", on: hq)
        let cork = try Self.customer("Cork SARL", on: hq)
        #expect(try Self.assignments(hq).isEmpty)

        try NodeCtl.ok(["assign", acme, bolt, cork, "--to", "van-3"], data: hq.data)
        try NodeCtl.ok(["unassign", bolt, "--from", van.id], data: hq.data)
        let atHQ = try Self.assignments(hq)
        #expect(atHQ.count == 1)
        #expect(atHQ.first?["nodeId"] as? String == van.id)
        #expect(atHQ.first?["name"] as? String == "van-3")
        #expect(Set(atHQ.first?["customers"] as? [String] ?? []) == [acme, cork])

        // The records replicate: the branch (which does not trust the van) reads the same.
        try hq.send(to: branch, via: folder)
        let atBranch = try Self.assignments(branch, [van.id])
        #expect(atBranch.first?["name"] as? String == "van-3")
        #expect(Set(atBranch.first?["customers"] as? [String] ?? []) == [acme, cork])
        // ... and can assign to it by id, as it knows the laptop from the records.
        try NodeCtl.ok(["assign", bolt, "--to", van.id], data: branch.data)
        try branch.send(to: hq, via: folder)
        #expect(Set(try Self.assignments(hq, ["van-3"]).first?["customers"] as? [String] ?? []) == [acme, bolt, cork])
        let table = try NodeCtl.ok(["assignments"], data: hq.data)
        #expect(table.contains("van-3") && table.contains("Bolt & Nut GmbH"), "\(table)")
    }

    @Test func aCustomerCreatedOnALaptopIsAssignedToIt() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let van = try TestNode("van-7", in: folder, role: "laptop")
        try NodeCtl.ok(["peer", "add", van.id, "--name", "van-7", "--role", "laptop"], data: hq.data)
        try van.trust(hq)
        let made = try Self.customer("Roadside Diner", on: van)
        let own = try Self.assignments(van)
        #expect(own.first?["nodeId"] as? String == van.id)
        #expect(own.first?["customers"] as? [String] == [made])
        try van.send(to: hq, via: folder)
        #expect(try Self.assignments(hq).first?["customers"] as? [String] == [made])
        // An office's new customer is nobody's.
        _ = try Self.customer("Head Office Client", on: hq)
        #expect(try Self.assignments(hq).first?["customers"] as? [String] == [made])
    }

    @Test func badAssignmentsAreOneLineAndChangeNothing() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        let van = try TestNode("van-3", in: folder, role: "laptop")
        try NodeCtl.ok(["peer", "add", van.id, "--name", "van-3", "--role", "laptop"], data: hq.data)
        try hq.trust(branch)
        let acme = try Self.customer("Acme Ltd", on: hq)
        let other = try Self.customer("Other Ltd", on: hq)
        let before = try hq.snapshot() + (try NodeCtl.run(["assignments", "--json"], data: hq.data).stdout)
        let cases: [([String], String)] = [
            (["assign", acme, "--to", "branch"], "office"),
            (["assign", acme, "--to", "nobody"], "not a laptop"),
            (["assign", "01a2379b-51d1-7000-824d-31054e8b1893", "--to", "van-3"], "no customer"),
            (["assign", "not-an-id", "--to", "van-3"], "customer"),
            (["unassign", other, "--from", "van-3"], "not assigned"),
        ]
        for (arguments, words) in cases {
            let result = try NodeCtl.run(arguments, data: hq.data)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        let onLaptop = try NodeCtl.run(["assign", acme, "--to", van.id], data: van.data)
        #expect(onLaptop.status == 1 && onLaptop.stderr.contains("laptop"), "\(onLaptop.stderr)")
        #expect(try hq.snapshot() + (try NodeCtl.run(["assignments", "--json"], data: hq.data).stdout) == before)
    }
}
