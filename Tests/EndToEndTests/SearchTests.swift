import Foundation
import TestSupport
import Testing

/// `customer list --search/--category` and `categories`, as ../shared/contract/folder.md
/// ("Finding customers") says: words of every text of a folder, case and accents ignored in
/// any script; phone numbers by their digits in any format; categories any-of, case ignored.
@Suite("Finding customers", .offThePool)
struct SearchTests {
    /// The names `customer list --json ARGS` prints, in its order.
    static func names(_ node: TestNode, _ arguments: [String]) throws -> [String] {
        try names(node.data, arguments)
    }

    static func names(_ data: URL, _ arguments: [String]) throws -> [String] {
        let list = try NodeCtl.json(["customer", "list"] + arguments, data: data) as? [[String: Any]] ?? []
        return list.compactMap { $0["name"] as? String }
    }

    static func search(_ node: TestNode, _ text: String) throws -> [String] {
        try names(node.data, ["--search", text])
    }

    static func search(_ data: URL, _ text: String) throws -> [String] {
        try names(data, ["--search", text])
    }

    @discardableResult
    static func add(_ node: TestNode, _ arguments: [String]) throws -> String {
        try NodeCtl.ok(["customer", "add"] + arguments, data: node.data).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func phoneNumbersAreFoundByTheirDigitsInAnyFormat() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(node, ["Acme Ltd", "--phone", "(555) 123-4567"])
        try Self.add(node, ["Initech", "--phone", "(555) 987-6543"])
        let globex = try Self.add(node, ["Globex"])
        try NodeCtl.ok(
            ["contact", "add", globex, "--name", "Hank Scorpio", "--phone", "mobile: +49 30 901820"],
            data: node.data
        )
        for query in ["5551234567", "555 123", "+1 (555) 123-4567", "555-123-4567", "555.123.4567", "1234567"] {
            #expect(try Self.search(node, query) == ["Acme Ltd"], "\(query)")
        }
        #expect(try Self.search(node, "555") == ["Acme Ltd", "Initech"])
        #expect(try Self.search(node, "(555) 987") == ["Initech"])
        // A contact's phone, typed in international form, found in national form and back.
        for query in ["030 901820", "+49 30 901820", "0049 30 901820", "30 90 18"] {
            #expect(try Self.search(node, query) == ["Globex"], "\(query)")
        }
        // Digits that no number holds find nothing.
        #expect(try Self.search(node, "555 1239").isEmpty)
        #expect(try Self.search(node, "+44 20 7946 0000").isEmpty)
    }

    @Test func everyTextOfTheFolderIsSearched() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(
            node,
            [
                "Acme Ltd", "--email", "orders@acme.example", "--address", "12 Rue de la Paix\n75002 Paris",
                "--notes", "Prefers invoices by fax",
            ]
        )
        let initech = try Self.add(node, ["Initech"])
        try NodeCtl.ok(
            [
                "contact", "add", initech, "--name", "Anna Schmidt", "--email", "work: anna.schmidt@initech.example",
                "--address", "Hauptstraße 5, Köln", "--notes", "Speaks Portuguese",
            ],
            data: node.data
        )
        try Self.add(node, ["Globex", "--notes", "nothing to see"])
        let expectations: [(String, [String])] = [
            ("acme", ["Acme Ltd"]),  // customer name, by its beginning
            ("ACME LT", ["Acme Ltd"]),  // every word a prefix
            ("orders@acme.example", ["Acme Ltd"]),  // customer e-mail
            ("rue de la paix", ["Acme Ltd"]),  // customer address
            ("75002", ["Acme Ltd"]),
            ("FAX", ["Acme Ltd"]),  // customer notes
            ("schmidt", ["Initech"]),  // contact name
            ("Anna Schmidt", ["Initech"]),
            ("anna.schmidt@initech.example", ["Initech"]),  // contact e-mail
            ("Hauptstraße", ["Initech"]),  // contact address
            ("köln", ["Initech"]),
            ("koln", ["Initech"]),
            ("portuguese", ["Initech"]),  // contact notes
            ("schmidt acme", []),  // every word must match, in one folder
            ("zebra", []),
            ("cme", []),  // words are found by their beginnings, not inside
        ]
        for (query, expected) in expectations {
            #expect(try Self.search(node, query) == expected, "\(query)")
        }
    }

    @Test func caseAndAccentsAreIgnoredInEveryScript() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(node, ["Müller GmbH"])
        try Self.add(node, ["Αθήνα Τεχνική"])
        try Self.add(node, ["Пётр Ёлкин"])
        try Self.add(node, ["Mullins & Co"])
        for query in ["MÜLLER", "muller", "Müller", "MULLER GMBH", "müller g"] {
            #expect(try Self.search(node, query) == ["Müller GmbH"], "\(query)")
        }
        for query in ["ΑΘΗΝΑ", "αθηνα", "Αθήνα", "τεχνικη"] {
            #expect(try Self.search(node, query) == ["Αθήνα Τεχνική"], "\(query)")
        }
        for query in ["ЁЛКИН", "елкин", "ПЁТР", "петр"] {
            #expect(try Self.search(node, query) == ["Пётр Ёлкин"], "\(query)")
        }
        #expect(try Self.search(node, "mul") == ["Mullins & Co", "Müller GmbH"])
        #expect(try Self.search(node, "Mullins").contains("Müller GmbH") == false)
    }

    @Test func severalCategoriesMatchAnyIgnoringCase() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(node, ["A", "--category", "Retail"])
        try Self.add(node, ["B", "--category", "retail", "--category", "VIP"])
        try Self.add(node, ["C", "--category", "Wholesale"])
        try Self.add(node, ["D", "--category", "vip"])
        try Self.add(node, ["E", "--category", "vip", "--category", "VIP"])
        try Self.add(node, ["F", "--category", "Other"])
        try Self.add(node, ["H", "--category", "vip"])
        let archived = try Self.add(node, ["G", "--category", "RETAIL"])
        try NodeCtl.ok(["customer", "archive", archived], data: node.data)

        #expect(try Self.names(node, ["--category", "RETAIL", "--category", "vip"]) == ["A", "B", "D", "E", "H"])
        #expect(try Self.names(node, ["--category", "wholesale"]) == ["C"])
        #expect(try Self.names(node, ["--category", "retail", "--all"]) == ["A", "B", "G"])
        #expect(try Self.names(node, ["--category", "nosuch"]).isEmpty)
        #expect(try Self.names(node, ["--category", "vip", "--search", "b"]) == ["B"])

        let counts = try NodeCtl.json(["categories"], data: node.data) as? [[String: Any]] ?? []
        #expect(counts.allSatisfy { Set($0.keys) == ["category", "customers"] }, "\(counts)")
        let pairs = counts.map { "\($0["category"] as? String ?? "?")=\($0["customers"] as? Int ?? -1)" }
        // Retail and retail tie: the first in Unicode order is shown. vip (3) beats VIP (2); E holds
        // both and counts once.
        #expect(pairs == ["Other=1", "Retail=2", "vip=4", "Wholesale=1"], "\(pairs)")
        let all = try NodeCtl.json(["categories", "--all"], data: node.data) as? [[String: Any]] ?? []
        #expect(all.first { ($0["category"] as? String)?.lowercased() == "retail" }?["customers"] as? Int == 3)

        let human = try NodeCtl.ok(["categories"], data: node.data)
        let lines = human.split(separator: "\n")
        #expect(lines.first?.hasPrefix("CATEGORY") == true, "\(human)")
        #expect(lines.contains { $0.hasPrefix("vip ") && $0.contains("4") && $0.contains("VIP") }, "\(human)")
    }

    @Test func anyTextIsSafeToSearchFor() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(node, ["Acme Ltd", "--notes", "near and far"])
        let hostile = [
            "\"", "*", "NEAR(", "AND", "OR", "NOT", "-", "-acme", "--", "(", ")", "a\"b", "'", "\\", "%", "_", "acme*",
            "col:acme", "^acme", "{words}: acme", "\"acme", "acme\"", "NEAR(acme far, 2)", "\u{1F600}", "\t",
        ]
        for text in hostile {
            let result = try NodeCtl.run(["customer", "list", "--search=" + text, "--json"], data: node.data)
            #expect(result.status == 0, "\(text): \(result.stderr)")
            #expect((try? result.json()) is [Any], "\(text): \(result.stdout)")
        }
        // Syntax is found literally: the words in it, never an operator.
        #expect(try Self.search(node, "\"acme\"") == ["Acme Ltd"])
        #expect(try Self.search(node, "NEAR(") == ["Acme Ltd"])  // the word "near" in the notes
        #expect(try Self.search(node, "acme OR nosuch").isEmpty)  // OR is a word, not an operator
        #expect(try Self.search(node, "*").isEmpty)
        #expect(try Self.names(node, ["--search=-acme"]) == ["Acme Ltd"])
    }

    @Test func archivedCustomersAreSearchedOnlyWhenAsked() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let old = try Self.add(node, ["Acme Old", "--phone", "555 123 4567"])
        try Self.add(node, ["Acme New"])
        try NodeCtl.ok(["customer", "archive", old], data: node.data)
        #expect(try Self.search(node, "acme") == ["Acme New"])
        #expect(try Self.names(node, ["--search", "acme", "--archived"]) == ["Acme Old"])
        #expect(try Self.names(node, ["--search", "5551234567", "--all"]) == ["Acme Old"])
    }

    @Test func aFolderOfAnEarlierReleaseIsIndexedWhenItOpens() throws {
        let folder = try TemporaryFolder()
        let data = try VersionTests.copyOf010(into: folder)
        #expect(try Self.search(data, "+1 555 123 4567") == ["Acme Ltd"])
        #expect(try Self.search(data, "john smith") == ["Acme Ltd"])  // its contact
        #expect(try Self.search(data, "john@example.com") == ["Acme Ltd"])
        #expect(try Self.search(data, "pays late") == ["Globex"])
        #expect(try NodeCtl.ok(["check"], data: data).contains("ok"))
    }
}
