import Foundation
import TestSupport
import Testing

/// Long text — a pasted e-mail — enters through standard input (`--notes -`) or a file
/// (`--notes-file FILE`, `notes-file=FILE`), byte for byte, up to the engine's 256 KB a field;
/// more is refused with one line that names the limit, and nothing is written.
@Suite("Long text from standard input and files", .offThePool)
struct LongTextTests {
    /// The most bytes one text holds (FieldRule.maximumValueBytes).
    static let limit = 256 * 1024

    /// An e-mail of exactly `bytes` UTF-8 bytes: several scripts, quotes, tabs, blank lines, and
    /// no line break at the end.
    static func email(bytes: Int) -> String {
        let paragraph = "Dear Ms. Müller,\n\n\tthe \"quote\" for 株式会社 — 1,200 units 😀 — is attached.\r\nRegards,\n"
        var text = String(repeating: paragraph, count: bytes / paragraph.utf8.count + 1)
        while text.utf8.count > bytes { text.removeLast() }
        while text.utf8.count < bytes { text += "x" }
        return text
    }

    static func customer(_ node: TestNode, _ name: String = "Acme Ltd") throws -> String {
        try NodeCtl.ok(["customer", "add", name], data: node.data).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func journalNotes(_ node: TestNode, _ customer: String) throws -> [String] {
        let entries = try NodeCtl.json(["journal", "list", customer], data: node.data) as? [[String: Any]] ?? []
        return entries.compactMap { $0["notes"] as? String }
    }

    @Test func notesFromStandardInputRoundTripExactly() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try Self.customer(node)
        // Over the 128 KB that one command-line argument may hold on Linux: only stdin gets it in.
        let text = Self.email(bytes: Self.limit)
        let added = try NodeCtl.run(
            ["journal", "add", customer, "--kind", "email", "--notes", "-"],
            data: node.data,
            input: Data(text.utf8)
        )
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try Self.journalNotes(node, customer) == [text])

        let set = try NodeCtl.run(["customer", "set", customer, "notes=-"], data: node.data, input: Data(text.utf8))
        #expect(set.status == 0, "\(set.stderr)")
        let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        #expect(shown?["notes"] as? String == text)
    }

    @Test func notesFromAFileRoundTripExactly() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let text = Self.email(bytes: 200_000) + "\n"
        let file = folder.path("mail.txt")
        try Data(text.utf8).write(to: file)

        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd", "--notes-file", file.path], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        #expect(shown?["notes"] as? String == text)

        try NodeCtl.ok(["journal", "add", customer, "--kind", "email", "--notes-file", file.path], data: node.data)
        #expect(try Self.journalNotes(node, customer) == [text])

        let contact = try NodeCtl.ok(
            ["contact", "add", customer, "--name", "John Smith", "--notes-file", file.path],
            data: node.data
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["contact", "set", contact, "notes-file=\(file.path)", "title=Buyer"], data: node.data)
        shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        let contacts = shown?["contacts"] as? [[String: Any]] ?? []
        #expect(contacts.first?["notes"] as? String == text)
        #expect(contacts.first?["title"] as? String == "Buyer")
    }

    @Test func textOverTheLimitIsRefusedAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try Self.customer(node)
        let before = try node.snapshot()
        let mail = Data(Self.email(bytes: 5 * 1024 * 1024).utf8)
        let file = folder.path("big.eml")
        try mail.write(to: file)

        for (arguments, input) in [
            (["journal", "add", customer, "--kind", "email", "--notes", "-"], mail),
            (["journal", "add", customer, "--kind", "email", "--notes-file", file.path], nil),
            (["customer", "set", customer, "notes=-"], mail),
            (["customer", "set", customer, "name=Renamed", "notes-file=\(file.path)"], nil),
            (["customer", "add", "Other Ltd", "--notes-file", file.path], nil),
            (["contact", "add", customer, "--name", "John", "--notes", "-"], mail),
        ] as [([String], Data?)] {
            let result = try NodeCtl.run(arguments, data: node.data, input: input)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("256 KB"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let named = try NodeCtl.run(
            ["journal", "add", customer, "--kind", "email", "--notes-file", file.path],
            data: node.data
        )
        #expect(named.stderr.contains("5.0 MB"), "\(named.stderr)")
        // The longest text that fits is taken; one byte more is not.
        let over = Data(Self.email(bytes: Self.limit + 1).utf8)
        try NodeCtl.refused(
            ["customer", "set", customer, "notes=-"],
            data: node.data,
            input: over,
            mentioning: "256 KB"
        )
        #expect(try node.snapshot() == before)
        #expect(try Self.journalNotes(node, customer).isEmpty)
    }

    @Test func aTextTooLongForANoteIsFiledAsADocumentFromStandardInput() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try Self.customer(node)
        let mail = Data(Self.email(bytes: 5 * 1024 * 1024).utf8)
        let added = try NodeCtl.run(
            ["document", "add", customer, "-", "--file-name", "mail.eml", "--title", "Mail from Anna", "--json"],
            data: node.data,
            input: mail
        )
        #expect(added.status == 0, "\(added.stderr)")
        let document = try added.json() as? [String: Any]
        #expect(document?["fileName"] as? String == "mail.eml")
        #expect(document?["title"] as? String == "Mail from Anna")
        #expect(document?["size"] as? Int == mail.count)
        let copy = folder.path("copy.eml")
        let id = try #require(document?["id"] as? String)
        try NodeCtl.ok(["document", "get", id, "--output", copy.path], data: node.data)
        #expect(try Data(contentsOf: copy) == mail)
    }

    @Test func standardInputIsReadByOneOptionAndMisuseIsRefused() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try Self.customer(node)
        let file = folder.path("notes.txt")
        try Data("from a file".utf8).write(to: file)
        let before = try node.snapshot()

        try NodeCtl.refused(
            ["customer", "add", "Other", "--notes", "-", "--address", "-"],
            data: node.data,
            input: Data("x".utf8),
            mentioning: "standard input can be read once"
        )
        try NodeCtl.refused(
            ["journal", "add", customer, "--kind", "note", "--notes", "x", "--notes-file", file.path],
            data: node.data,
            mentioning: "not both"
        )
        try NodeCtl.refused(
            ["journal", "add", customer, "--kind", "note", "--notes-file", folder.path("missing.txt").path],
            data: node.data,
            mentioning: "no such file"
        )
        try NodeCtl.refused(
            ["journal", "add", customer, "--kind", "note", "--notes-file", folder.url.path],
            data: node.data,
            mentioning: "it is a folder"
        )
        try NodeCtl.refused(
            ["journal", "add", customer, "--kind", "note", "--notes", "-"],
            data: node.data,
            input: Data([0x63, 0x61, 0x66, 0xE9]),
            mentioning: "not UTF-8"
        )
        #expect(try node.snapshot() == before)
        #expect(try Self.journalNotes(node, customer).isEmpty)
    }

    @Test func emptyNotesAndAuthorsAreRefusedAndNamesTrimmed() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer = try Self.customer(node, "  Acme Ltd \n")
        let before = try node.snapshot()
        for arguments in [
            ["journal", "add", customer, "--kind", "note", "--notes", " \n "],
            ["journal", "add", customer, "--kind", "note", "--notes", "-"],
            ["customer", "add", "Other", "--notes", ""],
            ["contact", "add", customer, "--name", "John", "--notes", "  "],
        ] {
            try NodeCtl.refused(arguments, data: node.data, mentioning: "--notes is empty")
        }
        try NodeCtl.refused(
            ["journal", "add", customer, "--kind", "note", "--notes", "called", "--author", " "],
            data: node.data,
            mentioning: "--author is empty"
        )
        let missing = try NodeCtl.run(["journal", "add", customer, "--kind", "note"], data: node.data)
        #expect(missing.status == 2 && missing.stderr.contains("--notes"), "\(missing.stderr)")
        try NodeCtl.refused(["customer", "add", "   "], data: node.data, mentioning: "name must not be empty")
        try NodeCtl.refused(
            ["customer", "set", customer, "name= "],
            data: node.data,
            mentioning: "name must not be empty"
        )
        #expect(try node.snapshot() == before)

        try NodeCtl.ok(["customer", "set", customer, "name=  Acme Limited  "], data: node.data)
        try NodeCtl.ok(["contact", "add", customer, "--name", " John Smith "], data: node.data)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "called", "--author", " Anna "],
            data: node.data
        )
        let shown = try NodeCtl.json(["customer", "show", customer], data: node.data) as? [String: Any]
        #expect(shown?["name"] as? String == "Acme Limited")
        #expect((shown?["contacts"] as? [[String: Any]])?.first?["name"] as? String == "John Smith")
        #expect((shown?["journal"] as? [[String: Any]])?.first?["author"] as? String == "Anna")
        let first = try NodeCtl.json(["customer", "list", "--all"], data: node.data) as? [[String: Any]]
        #expect(first?.first?["name"] as? String == "Acme Limited")
    }

    @Test func aConflictIsSettledWithALongValueFromStandardInput() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        try hq.trust(branch)
        try branch.trust(hq)
        let customer = try Self.customer(hq)
        try hq.send(to: branch, via: folder)
        try NodeCtl.ok(["customer", "set", customer, "notes=from hq"], data: hq.data)
        try NodeCtl.ok(["customer", "set", customer, "notes=from branch"], data: branch.data)
        try branch.send(to: hq, via: folder)
        let conflicts = try NodeCtl.json(["conflicts", "list"], data: hq.data) as? [[String: Any]] ?? []
        let id = try #require(conflicts.first?["id"] as? String)
        let text = Self.email(bytes: 150_000)
        let settled = try NodeCtl.run(
            ["conflicts", "resolve", id, "--value", "-"],
            data: hq.data,
            input: Data(text.utf8)
        )
        #expect(settled.status == 0, "\(settled.stderr)")
        let shown = try NodeCtl.json(["customer", "show", customer], data: hq.data) as? [String: Any]
        #expect(shown?["notes"] as? String == text)
    }
}
