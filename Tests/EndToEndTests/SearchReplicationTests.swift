import Foundation
import TestSupport
import Testing

/// The search index is derived on each node from its own plain tables: what a peer changes
/// is found by its new value once received, never by its old one, and a merged conflict is
/// found by the value it shows.
@Suite("Search follows replication", .offThePool)
struct SearchReplicationTests {
    @Test func aValueChangedOnAPeerIsFoundByItsNewValueOnly() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let acme = try NodeCtl.ok(["customer", "add", "Acme Ltd", "--phone", "(555) 123-4567"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let contact = try NodeCtl.ok(
            [
                "contact", "add", acme, "--name", "Anna Schmidt", "--phone", "555 000 1111", "--email",
                "office@example.org",
            ],
            data: hq.data
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try hq.send(to: branch, via: folder)
        #expect(try SearchTests.search(branch, "anna") == ["Acme Ltd"])
        #expect(try SearchTests.search(branch, "5550001111") == ["Acme Ltd"])

        try NodeCtl.ok(["customer", "set", acme, "name=Zenith Holdings", "phone=(555) 765-4321"], data: hq.data)
        try NodeCtl.ok(
            ["contact", "set", contact, "name=Bertha Jones", "phones-=555 000 1111", "phones+=555 222 3333"],
            data: hq.data
        )
        try hq.send(to: branch, via: folder)
        for node in [hq, branch] {
            #expect(try SearchTests.search(node, "zenith") == ["Zenith Holdings"], "\(node.name)")
            #expect(try SearchTests.search(node, "765 4321") == ["Zenith Holdings"], "\(node.name)")
            #expect(try SearchTests.search(node, "bertha") == ["Zenith Holdings"], "\(node.name)")
            #expect(try SearchTests.search(node, "5552223333") == ["Zenith Holdings"], "\(node.name)")
            for old in ["acme", "5551234567", "anna", "5550001111"] {
                #expect(try SearchTests.search(node, old).isEmpty, "\(node.name): \(old)")
            }
        }
    }

    @Test func aConflictIsFoundByTheValueItShows() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let acme = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try hq.send(to: branch, via: folder)
        try NodeCtl.ok(["customer", "set", acme, "notes=alpha"], data: hq.data)
        try NodeCtl.ok(["customer", "set", acme, "notes=bravo"], data: branch.data)
        try hq.send(to: branch, via: folder)
        try branch.send(to: hq, via: folder)
        var shown: [String] = []
        for node in [hq, branch] {
            let folderJSON = try NodeCtl.json(["customer", "show", acme], data: node.data) as? [String: Any]
            let notes = folderJSON?["notes"] as? String ?? ""
            shown.append(notes)
            let other = notes == "alpha" ? "bravo" : "alpha"
            #expect(try SearchTests.search(node, notes) == ["Acme Ltd"], "\(node.name)")
            #expect(try SearchTests.search(node, other).isEmpty, "\(node.name)")
        }
        #expect(Set(shown).count == 1 && ["alpha", "bravo"].contains(shown[0]), "\(shown)")
    }
}
