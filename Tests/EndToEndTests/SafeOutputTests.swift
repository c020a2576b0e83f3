import Foundation
import TestSupport
import Testing

/// Human output that a peer's or a user's text cannot break: escapes shown, not obeyed; rows
/// within the terminal's width; columns aligned by display width. `--json` stays exact.
@Suite("Safe human output", .offThePool)
struct SafeOutputTests {
    /// A name that would clear the screen and reverse the rest of the line.
    static let hostile = "Evil\u{1B}[2J\u{1B}]0;pwned\u{7}\u{202E}gnp.exe\u{9B}31m"
    static let shown = "Evil\\e[2J\\e]0;pwned\\u{7}\\u{202E}gnp.exe\\u{9B}31m"

    /// Columns as a terminal draws the test's text: CJK and emoji 2, everything else 1 (no
    /// combining marks are used here).
    static func columns(_ line: some StringProtocol) -> Int {
        line.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }

    static func isRaw(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
    }

    static func run(_ arguments: [String], _ node: TestNode, columns: Int = 100) throws -> String {
        let result = try NodeCtl.run(arguments, data: node.data, environment: ["COLUMNS": String(columns)])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test func escapesInNamesAndNotesAreShownNotObeyed() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try NodeCtl.ok(
            ["peer", "add", laptop.id, "--name", Self.hostile, "--address", "laptop.lan:7420"],
            data: hq.data
        )
        let customer = try NodeCtl.ok(
            ["customer", "add", Self.hostile, "--notes", "a\u{1B}[31mred\nsecond line"],
            data: hq.data
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["journal", "add", customer, "--kind", "note", "--notes", "x\u{202E}y\u{1B}[2J"], data: hq.data)
        let file = folder.path("invoice\u{1B}[8m\u{202E}fdp.exe")
        try Data("bytes".utf8).write(to: file)
        try NodeCtl.ok(["document", "add", customer, file.path, "--title", "Quote\u{9B}2J"], data: hq.data)

        for command in [
            ["peer", "list"], ["customer", "list"], ["customer", "show", customer], ["journal", "list", customer],
            ["document", "list", customer], ["status"], ["entity", "show", customer], ["history", customer],
        ] {
            let out = try Self.run(command, hq)
            #expect(!Self.isRaw(out), "\(command) printed a raw control: \(out.debugDescription)")
        }
        #expect(try Self.run(["peer", "list"], hq, columns: 300).contains(Self.shown))
        #expect(try Self.run(["customer", "list"], hq, columns: 300).contains(Self.shown))
        let show = try Self.run(["customer", "show", customer], hq)
        #expect(show.contains(Self.shown))
        #expect(show.contains("a\\e[31mred\n") && show.contains("second line"), "\(show)")
        #expect(show.contains("x\\u{202E}y\\e[2J"))
        #expect(show.contains("invoice\\e[8m\\u{202E}fdp.exe") && show.contains("Quote\\u{9B}2J"), "\(show)")
        #expect(try Self.run(["journal", "list", customer], hq).contains("x\\u{202E}y\\e[2J"))

        // JSON is exact.
        let peers = try NodeCtl.json(["peer", "list"], data: hq.data) as? [[String: Any]]
        #expect(peers?.first?["name"] as? String == Self.hostile)
        let customers = try NodeCtl.json(["customer", "list"], data: hq.data) as? [[String: Any]]
        #expect(customers?.first?["name"] as? String == Self.hostile)
        let folderJSON = try NodeCtl.json(["customer", "show", customer], data: hq.data) as? [String: Any]
        #expect(folderJSON?["name"] as? String == Self.hostile)
        #expect(folderJSON?["notes"] as? String == "a\u{1B}[31mred\nsecond line")
        let documents = folderJSON?["documents"] as? [[String: Any]]
        #expect(documents?.first?["fileName"] as? String == "invoice\u{1B}[8m\u{202E}fdp.exe")
    }

    @Test func aLongNoteKeepsJournalRowsWithinTheWidth() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let note = String(repeating: "The customer called about the order. ", count: 3_300)
        #expect(note.utf8.count > 120_000)
        let file = folder.path("note.txt")
        try Data(note.utf8).write(to: file)
        try NodeCtl.ok(["journal", "add", customer, "--kind", "call", "--notes-file", file.path], data: hq.data)
        try NodeCtl.ok(["journal", "add", customer, "--kind", "note", "--notes", "short"], data: hq.data)

        // 100 is the width of piped output; below it the id and time alone need 91 columns.
        for width in [100, 132] {
            let lines = try Self.run(["journal", "list", customer], hq, columns: width).split(separator: "\n")
            #expect(lines.count == 3)
            for line in lines { #expect(Self.columns(line) <= width, "\(width): \(line)") }
            #expect(lines[1].hasSuffix("…") && lines[1].contains("The customer"))
        }
        // Wrapped, whole, in the folder's view: no line wider than the terminal.
        let show = try Self.run(["customer", "show", customer], hq, columns: 80)
        for line in show.split(separator: "\n") { #expect(Self.columns(line) <= 80, "\(line)") }
        #expect(show.split(separator: "\n").count > 1_000)
    }

    @Test func cjkAndEmojiColumnsLineUp() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        for name in ["Acme Ltd", "株式会社テスト", "😀 Smile Co", "Zürich AG", "한국 상사 🚀"] {
            try NodeCtl.ok(
                ["customer", "add", name, "--category", "retail", "--phone", "(555) 123-4567"],
                data: hq.data
            )
        }
        let lines = try Self.run(["customer", "list"], hq).split(separator: "\n")
        #expect(lines.count == 6)
        let rows = lines.dropFirst()
        #expect(Set(rows.map { Self.columns($0) }).count == 1, "\(lines.joined(separator: "\n"))")
        let categoryColumns = lines.map { line in
            line.range(of: line.hasPrefix("ID") ? "CATEGORIES" : "retail").map { Self.columns(line[..<$0.lowerBound]) }
        }
        #expect(Set(categoryColumns).count == 1 && categoryColumns[0] != nil, "\(lines.joined(separator: "\n"))")
    }

    @Test func sizesAreShownInKilobytesAndMegabytes() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let file = folder.path("scan.pdf")
        try Data(repeating: 7, count: 1_572_864).write(to: file)
        try NodeCtl.ok(["document", "add", customer, file.path], data: hq.data)
        #expect(try Self.run(["document", "list", customer], hq).contains("1.5 MB"))
        #expect(try Self.run(["customer", "show", customer], hq).contains("1.5 MB"))
        let json = try NodeCtl.json(["document", "list", customer], data: hq.data) as? [[String: Any]]
        #expect(json?.first?["size"] as? Int == 1_572_864)
    }

    @Test func theJournalShowsIdsAndCorrections() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let wrong = try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "call", "--notes", "ordered 100"],
            data: hq.data
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let right = try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "call", "--notes", "ordered 1000", "--corrects", wrong],
            data: hq.data
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let lines = try Self.run(["journal", "list", customer], hq, columns: 160).split(separator: "\n")
        #expect(lines[1].hasPrefix(wrong) && lines[1].contains("corrected by \(right)"), "\(lines)")
        #expect(lines[2].hasPrefix(right) && !lines[2].contains("corrected by"), "\(lines)")
        let show = try Self.run(["customer", "show", customer], hq)
        #expect(show.contains("corrected by \(right)") && show.contains("corrects \(wrong)"), "\(show)")
    }
}
