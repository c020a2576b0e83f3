import Foundation
import Testing

/// A laptop holds only its customers (docs/PROTOCOL.md, "Laptops hold only their customers"):
/// real `serve` and `sync` processes over TLS, an office with 1,000 customers.
@Suite("Scoped laptops")
struct ScopedLaptopTests {
    /// Every byte of the laptop's replica files (the database, its WAL) and of its blob folder.
    static func bytes(of node: TestNode) throws -> Data {
        var all = Data()
        let manager = FileManager.default
        guard let walker = manager.enumerator(at: node.data, includingPropertiesForKeys: nil) else { return all }
        for case let url as URL in walker where !url.hasDirectoryPath {
            if let data = manager.contents(atPath: url.path) { all.append(data) }
        }
        return all
    }

    static func blobs(of node: TestNode) -> Set<String> {
        let folder = node.data.appendingPathComponent("blobs")
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return []
        }
        var names = Set<String>()
        for case let url as URL in walker where !url.hasDirectoryPath { names.insert(url.lastPathComponent) }
        return names
    }

    static func sqlite(_ node: TestNode, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", node.data.appendingPathComponent("replica.sqlite").path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func file(_ folder: TemporaryFolder, _ name: String, _ text: String) throws -> String {
        let url = folder.path(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aLaptopAssignedTenOfAThousandHoldsThoseTenAndNothingOfTheOthers() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let van = try TestNode("van-3", in: folder, role: "laptop")
        try NodeCtl.ok(["populate", "--customers", "1000", "--journal", "1"], data: hq.data)
        try NodeCtl.ok(["peer", "add", van.id, "--name", "van-3", "--role", "laptop"], data: hq.data)
        let all = try NodeCtl.json(["customer", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(all.count == 1000)
        let byID = Dictionary(
            uniqueKeysWithValues: all.map { ($0["id"] as? String ?? "", $0["name"] as? String ?? "") }
        )
        let ids = all.compactMap { $0["id"] as? String }.sorted()
        let assigned = Array(ids.enumerated().filter { $0.offset % 100 == 7 }.map(\.element))
        let later = ids[500]
        #expect(assigned.count == 10 && !assigned.contains(later))
        // Documents: one of an assigned customer, one of another.
        let ours = try NodeCtl.ok(
            ["document", "add", assigned[0], try Self.file(folder, "ours.txt", "the van's service manual")],
            data: hq.data
        )
        _ = ours
        try NodeCtl.ok(
            ["document", "add", later, try Self.file(folder, "theirs.txt", "someone else's contract, confidential")],
            data: hq.data
        )
        try NodeCtl.ok(["assign"] + assigned + ["--to", "van-3"], data: hq.data)

        var serve = try ServeProcess(hq)
        try van.trust(hq, at: serve.address)
        try NodeCtl.ok(["sync"], data: van.data)

        let onVan = try NodeCtl.json(["customer", "list"], data: van.data) as? [[String: Any]] ?? []
        #expect(Set(onVan.compactMap { $0["id"] as? String }) == Set(assigned))
        #expect(Set(try Self.sqlite(van, "SELECT id FROM customers")) == Set(assigned))
        #expect(try Self.sqlite(van, "SELECT count(*) FROM journal_entries") == ["10"])
        let bytes = try Self.bytes(of: van)
        let strangers = byID.filter { !assigned.contains($0.key) }
        let leaked = strangers.filter {
            bytes.range(of: Data($0.value.utf8)) != nil || bytes.range(of: Data($0.key.utf8)) != nil
        }
        #expect(
            leaked.isEmpty,
            "the laptop's files hold \(leaked.count) other customers, e.g. \(leaked.first?.value ?? "")"
        )
        #expect(bytes.range(of: Data("confidential".utf8)) == nil)
        #expect(Self.blobs(of: van).count == 1)
        #expect(bytes.range(of: Data("the van's service manual".utf8)) != nil)

        // A write on the van reaches HQ; HQ's writes to other customers do not reach the van.
        try NodeCtl.ok(
            ["journal", "add", assigned[1], "--kind", "call", "--notes", "fixed the boiler"],
            data: van.data
        )
        try NodeCtl.ok(["journal", "add", later, "--kind", "call", "--notes", "not for the van"], data: hq.data)
        try NodeCtl.ok(["sync"], data: van.data)
        let journal = try NodeCtl.json(["journal", "list", assigned[1]], data: hq.data) as? [[String: Any]] ?? []
        #expect(journal.contains { $0["notes"] as? String == "fixed the boiler" })
        #expect(try Self.sqlite(van, "SELECT count(*) FROM journal_entries") == ["11"])

        // Assigned later: the van receives that folder's whole history, documents included.
        try NodeCtl.ok(["assign", later, "--to", "van-3"], data: hq.data)
        try NodeCtl.ok(["sync"], data: van.data)
        let laterOnVan = try NodeCtl.json(["journal", "list", later], data: van.data) as? [[String: Any]] ?? []
        #expect(laterOnVan.count == 2, "\(laterOnVan)")
        #expect(try NodeCtl.json(["customer", "show", later], data: van.data) is [String: Any])
        #expect(Self.blobs(of: van).count == 2)
        let finally = try NodeCtl.json(["customer", "list"], data: van.data) as? [[String: Any]] ?? []
        #expect(Set(finally.compactMap { $0["id"] as? String }) == Set(assigned + [later]))
        #expect(serve.stop() == 0)
    }

    @Test func aLaptopThatAsksForAnotherCustomersDocumentByItsDigestGetsNothing() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let van = try TestNode("van-3", in: folder, role: "laptop")
        try NodeCtl.ok(["peer", "add", van.id, "--name", "van-3", "--role", "laptop"], data: hq.data)
        let ours = try NodeCtl.ok(["customer", "add", "Ours Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let theirs = try NodeCtl.ok(["customer", "add", "Theirs Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(
            ["document", "add", theirs, try Self.file(folder, "secret.txt", "the secret price list")],
            data: hq.data
        )
        let digest = try #require(
            (try NodeCtl.json(["document", "list", theirs], data: hq.data) as? [[String: Any]])?.first?["digest"]
                as? String
        )
        try NodeCtl.ok(["assign", ours, "--to", "van-3"], data: hq.data)
        var serve = try ServeProcess(hq)
        try van.trust(hq, at: serve.address)
        try NodeCtl.ok(["sync"], data: van.data)
        #expect(Self.blobs(of: van).isEmpty)

        // A tampered laptop: a document row naming the other customer's digest, so that its
        // next sync asks for those bytes.
        _ = try Self.sqlite(
            van,
            """
            INSERT INTO documents (id, customer_id, title, file_name, media_type, size, digest, added_at, added_by)
            VALUES ('01a25379-0000-7000-8000-000000000001', '\(ours)', 'stolen', 'secret.txt', 'text/plain', 21,
                '\(digest)', '2026-12-08T00:00:00.000Z', 'thief')
            """
        )
        #expect(try Self.sqlite(van, "SELECT count(*) FROM documents WHERE digest = '\(digest)'") == ["1"])
        let sync = try NodeCtl.run(["sync", "--json"], data: van.data)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(Self.blobs(of: van).isEmpty)
        #expect(try Self.bytes(of: van).range(of: Data("the secret price list".utf8)) == nil)
        #expect(serve.stop() == 0)
    }
}
