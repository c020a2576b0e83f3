import Foundation
import TestSupport
import Testing

/// `document withdraw`: a document filed by mistake keeps its record, marked withdrawn, and
/// its bytes are erased on every node — over TLS sync and through bundles — and never fetched
/// or sent again.
@Suite("Withdrawing documents", .offThePool)
struct WithdrawalTests {
    /// Every file under the node's `blobs/` and `blobs-partial/` named by `digest`.
    static func files(_ node: TestNode, _ digest: String) -> [String] {
        var found: [String] = []
        for folder in ["blobs", "blobs-partial"] {
            let root = node.data.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let path as String in walker where path.hasSuffix(digest) { found.append(path) }
        }
        return found
    }

    static func document(_ node: TestNode, _ customer: String) throws -> [String: Any] {
        let list = try NodeCtl.json(["document", "list", customer], data: node.data) as? [[String: Any]]
        return list?.first ?? [:]
    }

    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func aWithdrawnDocumentsBytesAreErasedOnEveryNodeAndItsRecordStays() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        let branch = try TestNode("branch", in: folder)
        for (a, b) in [(hq, laptop), (laptop, hq), (hq, branch), (branch, hq)] { try a.trust(b) }
        let customer = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        let file = folder.path("private letter.txt")
        try Data("someone else's medical letter\n".utf8).write(to: file)
        let kept = folder.path("quote.txt")
        try Data("a quote for Acme\n".utf8).write(to: kept)
        let added =
            try NodeCtl.json(["document", "add", customer, file.path, "--json"], data: hq.data) as? [String: Any]
        let id = added?["id"] as? String ?? ""
        let digest = added?["digest"] as? String ?? ""
        try NodeCtl.ok(["document", "add", customer, kept.path], data: hq.data)

        // The laptop gets the document and its bytes over TLS; the branch by a bundle.
        let serve = try ServeProcess(hq, interval: 3600)
        defer { serve.stop() }
        try laptop.trust(hq, at: serve.address)
        try NodeCtl.ok(["sync"], data: laptop.data)
        try hq.send(to: branch, via: folder)
        for node in [laptop, branch] { #expect(!Self.files(node, digest).isEmpty, "\(node.name) has the bytes") }

        // Withdrawn at HQ: erased there at once; the record stays, marked.
        let refused = try NodeCtl.run(["document", "withdraw", id], data: hq.data)
        #expect(refused.status != 0, "a withdrawal needs a reason")
        try NodeCtl.ok(["document", "withdraw", id, "--reason", "filed in the wrong folder"], data: hq.data)
        #expect(Self.files(hq, digest).isEmpty)
        try NodeCtl.refused(
            ["document", "withdraw", id, "--reason", "again"],
            data: hq.data,
            mentioning: "withdrawn already"
        )

        try NodeCtl.ok(["sync"], data: laptop.data)
        try hq.send(to: branch, via: folder)
        for node in [hq, laptop, branch] {
            #expect(Self.files(node, digest).isEmpty, "\(node.name) erased the bytes")
            let list = try NodeCtl.json(["document", "list", customer], data: node.data) as? [[String: Any]] ?? []
            #expect(list.count == 2, "\(node.name): both records stay")
            let record = list.first { $0["id"] as? String == id } ?? [:]
            let withdrawn = record["withdrawn"] as? [String: Any]
            #expect(withdrawn?["reason"] as? String == "filed in the wrong folder", "\(node.name): \(record)")
            #expect(record["present"] as? Bool == false, "\(node.name)")
            let other = list.first { $0["id"] as? String != id } ?? [:]
            #expect(other["present"] as? Bool == true && other["withdrawn"] is NSNull, "\(node.name): \(other)")
            let output = folder.path("\(node.name)-out.txt")
            try NodeCtl.refused(
                ["document", "get", id, "--output", output.path],
                data: node.data,
                mentioning: "was withdrawn"
            )
            #expect(!FileManager.default.fileExists(atPath: output.path))
            let check = try NodeCtl.run(["check"], data: node.data)
            #expect(check.status == 0, "\(node.name): \(check.stdout) \(check.stderr)")
        }

        // A node that never had the bytes gets the record from a node that withdrew it, and
        // never asks for the bytes.
        let late = try TestNode("late", in: folder)
        try late.trust(hq, at: serve.address)
        try hq.trust(late)
        try NodeCtl.ok(["sync"], data: late.data)
        #expect(Self.files(late, digest).isEmpty)
        let lateList = try NodeCtl.json(["document", "list", customer], data: late.data) as? [[String: Any]] ?? []
        #expect(lateList.count == 2)
    }
}
