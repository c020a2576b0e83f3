import Foundation
import TestSupport
import Testing

/// `customer export` and `customer import`, as ../shared/contract/folder.md ("Import and
/// export") says: an export imported into an empty node gives the same folders; import is all
/// or nothing, reports bad rows by line and skips duplicates.
@Suite("Import and export", .offThePool)
struct ImportExportTests {
    @discardableResult
    static func add(_ node: TestNode, _ arguments: [String]) throws -> String {
        try NodeCtl.ok(["customer", "add"] + arguments, data: node.data).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func list(_ node: TestNode) throws -> [[String: Any]] {
        try NodeCtl.json(["customer", "list", "--all"], data: node.data) as? [[String: Any]] ?? []
    }

    /// Every folder as `customer show --json` prints it, keyed by name, without ids.
    static func folders(_ node: TestNode) throws -> [String: NSDictionary] {
        var result: [String: NSDictionary] = [:]
        for customer in try list(node) {
            guard let id = customer["id"] as? String, let name = customer["name"] as? String else { continue }
            var shown = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any] ?? [:]
            shown["id"] = nil
            // Who made each is the importing node, not the exporting one.
            shown["by"] = nil
            shown["contacts"] = (shown["contacts"] as? [[String: Any]] ?? []).map { contact in
                var contact = contact
                contact["id"] = nil
                contact["customerId"] = nil
                contact["by"] = nil
                return contact as NSDictionary
            }
            result[name] = shown as NSDictionary
        }
        return result
    }

    /// A small office, made through the commands a user types.
    static func office(_ folder: TemporaryFolder) throws -> TestNode {
        let node = try TestNode("hq", in: folder)
        let acme = try add(
            node,
            [
                "Acme, \"The\" Ltd", "--category", "retail", "--category", "VIP;gold", "--phone", "(555) 123-4567",
                "--email", "info@acme.example", "--address", "1 Main St\nSpringfield", "--website", "acme.example",
                "--notes", "pays late;\nasks for \\discounts\\",
            ]
        )
        try NodeCtl.ok(
            [
                "contact", "add", acme, "--name", "Jane Roe", "--title", "Buyer", "--salutation", "Ms.",
                "--phone", "mobile: 555 9876", "--phone", "fax: 555;99", "--email", "work: jane@acme.example",
                "--email", "jane.roe@home.example", "--address", "Hall 2", "--notes", "prefers e-mail",
            ],
            data: node.data
        )
        try NodeCtl.ok(["contact", "add", acme, "--name", "Bob"], data: node.data)
        try add(node, ["שלום Ltd", "--notes", "مرحبا 👩‍💻"])
        let old = try add(node, ["Old Co", "--phone", "555 0000"])
        try NodeCtl.ok(["customer", "archive", old], data: node.data)
        return node
    }

    @Test(arguments: ["csv", "json"])
    func anExportImportedIntoAnEmptyNodeGivesTheSameFolders(format: String) throws {
        let folder = try TemporaryFolder()
        let hq = try Self.office(folder)
        let file = folder.path("customers.\(format)")
        try NodeCtl.ok(["customer", "export", "--all", "--output", file.path], data: hq.data)
        let current = try NodeCtl.ok(["customer", "export", "--format", format], data: hq.data)
        #expect(!current.contains("Old Co"), "archived customers only with --all")

        let branch = try TestNode("branch", in: folder)
        let report = try NodeCtl.json(["customer", "import", file.path], data: branch.data) as? [String: Any]
        #expect(report?["created"] as? Int == 3)
        #expect(report?["contacts"] as? Int == 2)
        #expect((report?["skipped"] as? [Any])?.isEmpty == true)
        let before = try Self.folders(hq)
        let after = try Self.folders(branch)
        #expect(before.count == 3)
        #expect(before == after)
    }

    /// Customers and contacts generated here, not by the code under test, as a spreadsheet
    /// saves them: a byte-order mark, CRLF, fields quoted only when they must be.
    struct Generated {
        struct Person {
            var name: String
            var phones: [(label: String, number: String)]
            var emails: [String]
            var notes: String
        }
        var name: String
        var categories: [String]
        var phone: String
        var email: String
        var address: String
        var notes: String
        var people: [Person]

        static let awkward = [
            "He said \"no\", then \"yes\"", "comma, separated, text", "line one\nline two\nline three",
            "emoji 🎉👩‍💻🇩🇪", "עברית מימין לשמאל", "العربية من اليمين", "semi;colon", "back\\slash \\; both",
            "tab\there", "\"quoted\"", "Zürich ÆØÅ café", "汉字 かな",
        ]

        static func make(_ index: Int) -> Generated {
            let a = awkward[index % awkward.count]
            let b = awkward[(index * 7 + 3) % awkward.count]
            var people: [Person] = []
            for person in 0..<(index % 3) {
                people.append(
                    Person(
                        name: "Person \(index).\(person) \(b.replacingOccurrences(of: "\n", with: " "))",
                        phones: [("mobile", "555;\(index) \(person)"), ("", "+1 (555) 000-\(1000 + index)")],
                        emails: ["p\(person).\(index)@exämple.org"],
                        notes: a
                    )
                )
            }
            return Generated(
                name: "Customer \(index) \(a.replacingOccurrences(of: "\n", with: " "))",
                categories: index % 2 == 0 ? ["even", "semi;colon"] : ["odd"],
                phone: "(555) \(100 + index % 900)-\(1000 + index)",
                email: "c\(index)+tag@example.com",
                address: "\(index) \(b)\nSpringfield",
                notes: "\(a)\r\n\(b)",
                people: people
            )
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "\"" || $0 == "," || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func listCell(_ elements: [String]) -> String {
        elements.map {
            $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
        }.joined(separator: ";")
    }

    static func spreadsheet(_ customers: [Generated]) -> Data {
        var text =
            "name,categories,phone,email,address,notes,customer_id,contact_name,contact_phones,contact_emails,contact_notes\r\n"
        for (index, customer) in customers.enumerated() {
            let front = [
                customer.name, listCell(customer.categories), customer.phone, customer.email, customer.address,
                customer.notes, "c\(index)",
            ]
            let rows: [[String]] =
                customer.people.isEmpty
                ? [front + ["", "", "", ""]]
                : customer.people.map {
                    front + [
                        $0.name, listCell($0.phones.map { $0.label.isEmpty ? $0.number : "\($0.label): \($0.number)" }),
                        listCell($0.emails), $0.notes,
                    ]
                }
            for row in rows { text += row.map(csvField).joined(separator: ",") + "\r\n" }
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
    }

    /// Checks a node against what was generated, through `customer list` (every customer) and
    /// `customer show` (every 25th, for its contacts).
    static func expectHolds(_ node: TestNode, _ generated: [Generated]) throws {
        let listed = try list(node)
        #expect(listed.count == generated.count)
        let byName = Dictionary(listed.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for (index, customer) in generated.enumerated() {
            guard let shown = byName[customer.name] else {
                Issue.record("\(node.name) lacks \(customer.name)")
                continue
            }
            #expect(Set(shown["categories"] as? [String] ?? []) == Set(customer.categories), "\(customer.name)")
            #expect(shown["phone"] as? String == customer.phone)
            #expect(shown["email"] as? String == customer.email)
            #expect(shown["address"] as? String == customer.address, "\(customer.name)")
            #expect(shown["notes"] as? String == customer.notes, "\(customer.name)")
            guard index % 25 == 0 || index < 3, let id = shown["id"] as? String else { continue }
            let folder = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any] ?? [:]
            let contacts = folder["contacts"] as? [[String: Any]] ?? []
            #expect(Set(contacts.compactMap { $0["name"] as? String }) == Set(customer.people.map(\.name)))
            for person in customer.people {
                guard let contact = contacts.first(where: { $0["name"] as? String == person.name }) else { continue }
                let phones = (contact["phones"] as? [[String: Any]] ?? []).map {
                    "\($0["label"] as? String ?? ""):\($0["number"] as? String ?? "")"
                }
                #expect(Set(phones) == Set(person.phones.map { "\($0.label):\($0.number)" }), "\(person.name)")
                let emails = (contact["emails"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
                #expect(emails == person.emails)
                #expect(contact["notes"] as? String == person.notes)
            }
        }
    }

    /// The export without its id columns, to compare two nodes' exports.
    static func withoutIDs(_ csv: String) throws -> String {
        let id = try Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        return csv.replacing(id, with: "ID")
    }

    @Test func aThousandAwkwardCustomersFromASpreadsheetRoundTripUnchanged() throws {
        let folder = try TemporaryFolder()
        let generated = (0..<1_000).map(Generated.make)
        let sheet = folder.path("sheet.csv")
        try Self.spreadsheet(generated).write(to: sheet)

        let hq = try TestNode("hq", in: folder)
        var clock = ContinuousClock.now
        let imported = try NodeCtl.json(["customer", "import", sheet.path], data: hq.data) as? [String: Any]
        let importTime = ContinuousClock.now - clock
        #expect(imported?["created"] as? Int == 1_000)
        #expect(imported?["contacts"] as? Int == generated.reduce(0) { $0 + $1.people.count })
        try Self.expectHolds(hq, generated)

        let export = folder.path("export.csv")
        clock = ContinuousClock.now
        try NodeCtl.ok(["customer", "export", "--output", export.path], data: hq.data)
        let exportTime = ContinuousClock.now - clock
        print("import of 1,000 customers: \(importTime); export: \(exportTime)")

        let branch = try TestNode("branch", in: folder)
        let again = try NodeCtl.json(["customer", "import", export.path], data: branch.data) as? [String: Any]
        #expect(again?["created"] as? Int == 1_000)
        try Self.expectHolds(branch, generated)
        let first = try String(contentsOf: export, encoding: .utf8)
        let second = try NodeCtl.ok(["customer", "export"], data: branch.data)
        #expect(try Self.withoutIDs(first) == Self.withoutIDs(second))

        // JSON carries the same folders.
        let json = folder.path("export.json")
        try NodeCtl.ok(["customer", "export", "--output", json.path], data: hq.data)
        let third = try TestNode("third", in: folder)
        try NodeCtl.ok(["customer", "import", json.path], data: third.data)
        #expect(
            try Self.withoutIDs(try NodeCtl.ok(["customer", "export"], data: third.data)) == Self.withoutIDs(first)
        )
    }

    @Test func badRowsAreReportedByTheLineTheirRecordStartsOnAndNothingIsWritten() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let file = folder.path("bad.csv")
        let text = """
            name,email,notes,contact_name,contact_emails\r
            Good Ltd,good@example.com,"two\r
            lines",,\r
            Bad Mail Ltd,not-an-address,,,\r
            "Long\r
            Name Ltd",,"notes\r
            over\r
            three lines",Ann,ann@@example.com\r
            Fine Ltd,,,,\r

            """
        try Data(text.utf8).write(to: file)
        let result = try NodeCtl.run(["customer", "import", file.path], data: node.data)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("line 4: ") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("line 5: ") == true, "\(lines)")
        #expect(lines.last?.contains("nothing was imported") == true)
        #expect(result.stdout.isEmpty)
        #expect(try Self.list(node).isEmpty)
    }

    @Test func duplicatesOfTheNodeAndOfTheFileAreSkippedAndReported() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        try Self.add(node, ["Acme Ltd", "--phone", "(555) 123-4567"])
        let file = folder.path("dupes.csv")
        let text = """
            customer_id,name,phone,email,contact_name,contact_emails
            1,ACME LTD,555.123.4567,,Jane,jane@acme.example
            1,ACME LTD,555.123.4567,,Joe,
            2,Acme Ltd,555 999,,,
            3,Beta,,,Ann,Ann@Beta.example
            4,beta,,ann@beta.example,,
            5,Gamma,555 7777,,,

            """
        try Data(text.utf8).write(to: file)
        let dry = try NodeCtl.json(["customer", "import", file.path, "--dry-run"], data: node.data) as? [String: Any]
        let report = try NodeCtl.json(["customer", "import", file.path], data: node.data) as? [String: Any]
        #expect(dry?["created"] as? Int == 3)
        for result in [dry, report] {
            #expect(result?["created"] as? Int == 3)
            #expect(result?["contacts"] as? Int == 1)
            let skipped = result?["skipped"] as? [[String: Any]] ?? []
            #expect(skipped.compactMap { $0["line"] as? Int } == [2, 3, 6])
            #expect((skipped.first?["reason"] as? String)?.contains("5551234567") == true, "\(skipped)")
            #expect((skipped.last?["reason"] as? String)?.contains("line 5") == true, "\(skipped)")
        }
        #expect(try Self.list(node).compactMap { $0["name"] as? String } == ["Acme Ltd", "Acme Ltd", "Beta", "Gamma"])
        // The same file again: every customer is a duplicate now.
        let again = try NodeCtl.json(["customer", "import", file.path], data: node.data) as? [String: Any]
        #expect(again?["created"] as? Int == 0)
    }

    @Test func aDryRunWritesNothing() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let file = folder.path("list.csv")
        try Data("name,phone\nAcme,555 1234\nBeta,555 9999\n".utf8).write(to: file)
        let before = try node.snapshot()
        let shown = try NodeCtl.ok(["customer", "import", file.path, "--dry-run"], data: node.data)
        #expect(shown.contains("would create 2 customers"), "\(shown)")
        #expect(try node.snapshot() == before)
    }

    @Test func refusedFilesSayWhyInOneLine() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let unknown = folder.path("unknown.csv")
        try Data("name,fax,Shoe Size\nAcme,1,2\n".utf8).write(to: unknown)
        try NodeCtl.refused(["customer", "import", unknown.path], data: node.data, mentioning: "fax, Shoe Size")
        try NodeCtl.refused(
            ["customer", "import", folder.path("missing.csv").path],
            data: node.data,
            mentioning: "no such file"
        )
        let open = folder.path("open.csv")
        try Data("name,notes\nAcme,\"never closed\nBeta,fine\n".utf8).write(to: open)
        try NodeCtl.refused(["customer", "import", open.path], data: node.data, mentioning: "line 2")
        let json = folder.path("list.json")
        try Data("[{\"name\": \"Acme\"},\n {\"name\": 5}]".utf8).write(to: json)
        try NodeCtl.refused(["customer", "import", json.path], data: node.data, mentioning: "line 2")
        #expect(try Self.list(node).isEmpty)
    }
}
