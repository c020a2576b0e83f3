import Foundation
import TestSupport
import Testing

@Suite("nodectl: the customer folder", .offThePool)
struct FolderTests {
    @Test func aFolderIsBuiltAndShownWhole() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let customer =
            try NodeCtl.json(
                [
                    "customer", "add", "Acme Ltd", "--category", "retail", "--category", "vip", "--notes",
                    "Prefers calls before noon",
                    "--phone", "(555) 123-4567", "--address", "123 main st\nspringfield il 62704",
                ],
                data: node.data
            ) as? [String: Any]
        let id = try #require(customer?["id"] as? String)
        #expect(customer?["name"] as? String == "Acme Ltd")
        #expect(customer?["categories"] as? [String] == ["retail", "vip"])
        #expect(customer?["phoneFormatted"] as? String == "(555) 123-4567")
        #expect(customer?["addressLines"] as? [String] == ["123 Main St", "Springfield, IL 62704"])

        let contact =
            try NodeCtl.json(
                [
                    "contact", "add", id, "--name", "JOHN SMITH", "--salutation", "mr", "--title", "vp of sales",
                    "--phone", "mobile: 555.123.4567 x 12", "--email", "John@Example.COM",
                ],
                data: node.data
            ) as? [String: Any]
        #expect(contact?["nameFormatted"] as? String == "John Smith")
        #expect(contact?["salutationFormatted"] as? String == "Mr.")
        #expect(contact?["titleFormatted"] as? String == "VP of Sales")
        let emails = contact?["emails"] as? [[String: Any]]
        #expect(emails?.first?["email"] as? String == "John@example.com")
        let phones = contact?["phones"] as? [[String: Any]]
        #expect(phones?.first?["label"] as? String == "mobile")
        #expect(phones?.first?["e164"] as? String == "+15551234567")

        try NodeCtl.ok(
            [
                "journal", "add", id, "--kind", "call", "--notes", "Asked for a quote", "--parties", "Alice; John",
                "--at", "2026-11-29T14:05:00Z",
            ],
            data: node.data
        )
        try NodeCtl.ok(
            ["journal", "add", id, "--kind", "sales-call", "--notes", "First visit", "--at", "2026-11-01T09:00:00Z"],
            data: node.data
        )
        let journal = try NodeCtl.json(["journal", "list", id], data: node.data) as? [[String: Any]]
        #expect(journal?.map { $0["notes"] as? String } == ["First visit", "Asked for a quote"])
        #expect(journal?.last?["at"] as? String == "2026-11-29T14:05:00Z")
        #expect(journal?.last?["author"] as? String == "hq")
        let keys = Set(journal?.first?.keys.map { $0 } ?? [])
        #expect(keys.isSuperset(of: ["id", "at", "kind", "parties", "notes", "author"]))

        let file = folder.path("quote.txt")
        try Data("Quote #1: 12 widgets at 10.00\n".utf8).write(to: file)
        let document =
            try NodeCtl.json(["document", "add", id, file.path, "--title", "Quote 1"], data: node.data)
            as? [String: Any]
        #expect(document?["size"] as? Int == 30)
        #expect((document?["digest"] as? String)?.count == 64)

        let shown = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any]
        #expect(shown?["id"] as? String == id)
        #expect((shown?["contacts"] as? [Any])?.count == 1)
        #expect((shown?["journal"] as? [Any])?.count == 2)
        let documents = shown?["documents"] as? [[String: Any]]
        #expect(documents?.first?["title"] as? String == "Quote 1")
        #expect(documents?.first?["present"] as? Bool == true)

        let human = try NodeCtl.ok(["customer", "show", id], data: node.data)
        #expect(human.contains("Mr. John Smith, VP of Sales"))
        #expect(human.contains("Springfield, IL 62704"))
    }

    @Test func customersAreListedByNameAndFiltered() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        for (name, category) in [("Zeta Works", "wholesale"), ("acme ltd", "retail"), ("Beta Co", "retail")] {
            try NodeCtl.ok(["customer", "add", name, "--category", category], data: node.data)
        }
        let all = try NodeCtl.json(["customer", "list"], data: node.data) as? [[String: Any]]
        #expect(all?.map { $0["name"] as? String } == ["acme ltd", "Beta Co", "Zeta Works"])
        let retail =
            try NodeCtl.json(["customer", "list", "--category", "retail"], data: node.data) as? [[String: Any]]
        #expect(retail?.count == 2)
        let search = try NodeCtl.json(["customer", "list", "--search", "ZETA"], data: node.data) as? [[String: Any]]
        #expect(search?.map { $0["name"] as? String } == ["Zeta Works"])
    }

    @Test func fieldsAreEditedTogetherOrNotAtAll() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let id = try NodeCtl.ok(["customer", "add", "Acme"], data: node.data).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        try NodeCtl.ok(
            ["customer", "set", id, "notes=Pays late", "categories+=vip", "email=AP@Acme.COM"],
            data: node.data
        )
        var shown = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any]
        #expect(shown?["notes"] as? String == "Pays late")
        #expect(shown?["email"] as? String == "AP@acme.com")
        #expect(shown?["categories"] as? [String] == ["vip"])
        try NodeCtl.ok(["customer", "set", id, "categories-=vip", "notes="], data: node.data)
        shown = try NodeCtl.json(["customer", "show", id], data: node.data) as? [String: Any]
        #expect(shown?["categories"] as? [String] == [])
        #expect(shown?["notes"] as? String == "")
        let history = try NodeCtl.json(["history", id, "notes"], data: node.data) as? [[String: Any]]
        #expect(history?.map { $0["value"] as? String } == ["Pays late", nil])
        #expect(history?.first?["origin"] as? String == node.id)
    }

    @Test func badFolderInputIsRefusedAndChangesNothing() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let id = try NodeCtl.ok(["customer", "add", "Acme"], data: node.data).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        let unknown = "01900000-0000-7000-8000-000000000000"
        let before = try node.snapshot()
        try NodeCtl.refused(["customer", "show", unknown], data: node.data, mentioning: "no customer with id")
        try NodeCtl.refused(["customer", "show", "not-an-id"], data: node.data, mentioning: "is not a customer id")
        try NodeCtl.refused(
            ["customer", "set", id, "notes=fine", "colour=red"],
            data: node.data,
            mentioning: "no field 'colour'"
        )
        try NodeCtl.refused(
            ["customer", "set", id, "notes=fine", "email=not an address"],
            data: node.data,
            mentioning: "not an address"
        )
        try NodeCtl.refused(["customer", "set", id, "name="], data: node.data, mentioning: "must not be empty")
        try NodeCtl.refused(["customer", "set", id, "notes"], data: node.data, mentioning: "FIELD=VALUE")
        try NodeCtl.refused(["customer", "add", "  "], data: node.data, mentioning: "must not be empty")
        try NodeCtl.refused(
            ["contact", "add", unknown, "--name", "Jo"],
            data: node.data,
            mentioning: "no customer with id"
        )
        try NodeCtl.refused(
            ["contact", "add", id, "--name", "Jo", "--email", "jo@@x"],
            data: node.data,
            mentioning: "jo@@x"
        )
        try NodeCtl.refused(
            ["journal", "add", id, "--kind", "gossip", "--notes", "x"],
            data: node.data,
            mentioning: "unknown journal kind"
        )
        try NodeCtl.refused(
            ["journal", "add", id, "--kind", "call", "--notes", "x", "--at", "yesterday"],
            data: node.data,
            mentioning: "ISO 8601"
        )
        try NodeCtl.refused(["journal", "list", unknown], data: node.data, mentioning: "no customer with id")
        try NodeCtl.refused(
            ["document", "add", id, folder.path("missing.pdf").path],
            data: node.data,
            mentioning: "missing.pdf"
        )
        try NodeCtl.refused(
            ["document", "get", unknown, "--output", folder.path("out").path],
            data: node.data,
            mentioning: "no document"
        )
        try NodeCtl.refused(["conflicts", "show", "nope"], data: node.data, mentioning: "no open conflict")
        try NodeCtl.refused(["history", unknown], data: node.data, mentioning: "nothing with id")
        #expect(try node.snapshot() == before)
        #expect(try NodeCtl.run(["conflicts", "resolve", "x"], data: node.data).status == 2)
    }
}
