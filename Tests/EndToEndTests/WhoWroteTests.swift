import Foundation
import TestSupport
import Testing

/// `--as PERSON`, `$NEXTSOFT_USER` and the node's name: who wrote each write, shown with its
/// node everywhere and carried to every node; and the change feed, `nodectl changes`.
@Suite("nodectl: who wrote it, and the change feed", .serialized, .offThePool)
struct WhoWroteTests {
    /// No `$NEXTSOFT_USER` from the environment the tests run in.
    static let noUser = ["NEXTSOFT_USER": ""]

    static func person(_ object: Any?) -> String? {
        ((object as? [String: Any])?["by"] as? [String: Any])?["person"] as? String
    }

    static func by(_ object: Any?) -> [String: Any]? {
        (object as? [String: Any])?["by"] as? [String: Any]
    }

    @discardableResult
    static func run(_ arguments: [String], _ node: TestNode, environment: [String: String] = noUser) throws -> String {
        let result = try NodeCtl.run(arguments, data: node.data, environment: environment)
        #expect(result.status == 0, "nodectl \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func asUserAndDefaultAreRecordedAndReachAnotherNodeBySync() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let branch = try TestNode("branch", in: folder)
        // --as, then $NEXTSOFT_USER, then nobody named: the node's name.
        let acme = try Self.run(["customer", "add", "Acme", "--as", "Ann Smith"], hq)
        try Self.run(["customer", "set", acme, "phone=555-0100"], hq, environment: ["NEXTSOFT_USER": "Bob Jones"])
        try Self.run(["customer", "set", acme, "notes=from the node"], hq)
        // --as wins over $NEXTSOFT_USER.
        let entry = try Self.run(
            ["journal", "add", acme, "--kind", "call", "--notes", "asked for a quote", "--as", "Zoë Müller"],
            hq,
            environment: ["NEXTSOFT_USER": "Bob Jones"]
        )

        let history = try #require(try NodeCtl.json(["history", acme], data: hq.data) as? [[String: Any]])
        let byField = Dictionary(history.map { ($0["field"] as? String ?? "", Self.person($0) ?? "") }) { a, _ in a }
        #expect(byField["name"] == "Ann Smith")
        #expect(byField["phone"] == "Bob Jones")
        #expect(byField["notes"] == "hq")
        #expect(Self.by(history.first)?["node"] as? String == hq.id)
        #expect(Self.by(history.first)?["nodeName"] as? String == "hq")

        let journal = try #require(try NodeCtl.json(["journal", "list", acme], data: hq.data) as? [[String: Any]])
        #expect(journal.first?["author"] as? String == "Zoë Müller", "the author defaults to the person writing")
        #expect(Self.person(journal.first) == "Zoë Müller")

        // Over the network: the person travels with the change.
        let serve = try ServeProcess(branch)
        try hq.trust(branch, at: serve.address)
        try branch.trust(hq)
        try NodeCtl.ok(["sync"], data: hq.data)
        #expect(serve.stop() == 0)

        let remote = try #require(try NodeCtl.json(["history", acme], data: branch.data) as? [[String: Any]])
        let remoteByField = Dictionary(remote.map { ($0["field"] as? String ?? "", Self.person($0) ?? "") }) { a, _ in a
        }
        #expect(remoteByField == byField)
        #expect(Self.by(remote.first)?["node"] as? String == hq.id)
        #expect(Self.by(remote.first)?["nodeName"] as? String == "hq", "the branch knows hq by its peer name")
        let remoteJournal = try #require(
            try NodeCtl.json(["journal", "list", acme], data: branch.data) as? [[String: Any]]
        )
        #expect(remoteJournal.first?["id"] as? String == entry)
        #expect(Self.person(remoteJournal.first) == "Zoë Müller")
        #expect(Self.by(remoteJournal.first)?["node"] as? String == hq.id)

        let feed = try #require(try NodeCtl.json(["changes"], data: branch.data) as? [[String: Any]])
        let phone = try #require(feed.first { $0["field"] as? String == "phone" })
        #expect(phone["customerId"] as? String == acme)
        #expect(phone["entity"] as? String == "customer")
        #expect(phone["entityId"] as? String == acme)
        #expect(phone["value"] as? String == "555-0100")
        #expect(Self.person(phone) == "Bob Jones")
        #expect(Self.by(phone)?["node"] as? String == hq.id)
        #expect(phone["at"] as? String != nil)

        // A bundle carries persons too; the folder's records show who made them.
        try Self.run(["customer", "set", acme, "website=acme.example", "--as", "Cleo"], branch)
        try branch.send(to: hq, via: folder)
        let show = try #require(try NodeCtl.json(["customer", "show", acme], data: hq.data) as? [String: Any])
        #expect(Self.person(show) == "Ann Smith", "the customer shows who made it")
        #expect(Self.person((show["journal"] as? [Any])?.first) == "Zoë Müller")
        let website = try #require(
            (try NodeCtl.json(["history", acme, "website"], data: hq.data) as? [[String: Any]])?.first
        )
        #expect(Self.person(website) == "Cleo")
        #expect(Self.by(website)?["nodeName"] as? String == "branch")
        // Human output names both.
        let text = try Self.run(["history", acme], hq)
        #expect(text.contains("Ann Smith (hq)"))
        #expect(text.contains("Cleo (branch)"))
    }

    @Test func aPersonNameThatIsNoneIsRefusedInOneLine() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let before = try node.snapshot()
        try NodeCtl.refused(
            ["customer", "add", "Acme", "--as", "Ann\u{1B}[31m"],
            data: node.data,
            mentioning: "--as names no person: the name contains a control character"
        )
        try NodeCtl.refused(
            ["customer", "add", "Acme", "--as", String(repeating: "a", count: 201)],
            data: node.data,
            mentioning: "201 bytes; at most 200"
        )
        try NodeCtl.refused(["customer", "add", "Acme", "--as", "  "], data: node.data, mentioning: "is empty")
        let fromEnvironment = try NodeCtl.run(
            ["customer", "add", "Acme"],
            data: node.data,
            environment: ["NEXTSOFT_USER": "line\nbreak"]
        )
        #expect(fromEnvironment.status == 1)
        #expect(fromEnvironment.stderr.contains("$NEXTSOFT_USER names no person"), "\(fromEnvironment.stderr)")
        #expect(try node.snapshot() == before, "a refused write changes nothing")
    }

    @Test func theFeedFiltersBySinceCustomerAndLimit() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let acme = try Self.run(["customer", "add", "Acme"], node)
        let globex = try Self.run(["customer", "add", "Globex"], node)
        let contact = try Self.run(["contact", "add", acme, "--name", "Wile E. Coyote"], node)
        try Self.run(["journal", "add", acme, "--kind", "note", "--notes", "first"], node)
        Thread.sleep(forTimeInterval: 1.1)
        let middle = Date()
        Thread.sleep(forTimeInterval: 1.1)
        try Self.run(["customer", "set", globex, "phone=555-0199"], node)
        try Self.run(["contact", "set", contact, "title=genius"], node)

        let all = try #require(try NodeCtl.json(["changes"], data: node.data) as? [[String: Any]])
        let times = all.compactMap { $0["at"] as? String }
        #expect(times.count == all.count && times == times.sorted(), "newest last")
        #expect(all.last?["field"] as? String == "title")
        #expect(all.last?["customerId"] as? String == acme, "a contact's write is in its customer's folder")

        let since = ISO8601DateFormatter().string(from: middle)
        let recent = try #require(try NodeCtl.json(["changes", "--since", since], data: node.data) as? [[String: Any]])
        #expect(recent.map { $0["field"] as? String } == ["phone", "title"])

        let acmeOnly = try #require(
            try NodeCtl.json(["changes", "--customer", acme], data: node.data) as? [[String: Any]]
        )
        #expect(Set(acmeOnly.compactMap { $0["customerId"] as? String }) == [acme])
        #expect(Set(acmeOnly.compactMap { $0["entity"] as? String }) == ["customer", "contact", "journal"])
        let acmeRecent = try #require(
            try NodeCtl.json(["changes", "--customer", acme, "--since", since], data: node.data) as? [[String: Any]]
        )
        #expect(acmeRecent.map { $0["field"] as? String } == ["title"])

        let newest = try #require(try NodeCtl.json(["changes", "--limit", "2"], data: node.data) as? [[String: Any]])
        #expect(newest.map { $0["field"] as? String } == ["phone", "title"], "the newest two, newest last")
        let none = try #require(try NodeCtl.json(["changes", "--limit", "0"], data: node.data) as? [Any])
        #expect(none.isEmpty)

        try NodeCtl.refused(["changes", "--since", "yesterday"], data: node.data, mentioning: "--since")
        try NodeCtl.refused(["changes", "--since", "2026-12-06T10:00:00"], data: node.data, mentioning: "zone")
        try NodeCtl.refused(
            ["changes", "--customer", "0193a5c4-2f00-7000-8000-1a2b3c4d5e6f"],
            data: node.data,
            mentioning: "no customer"
        )
        let help = try NodeCtl.run(["changes", "--help"], data: nil)
        #expect(help.stdout.contains("Example:"))
    }

    @Test func aReleaseBeforePersonsShowsTheNodeNameAsThePerson() throws {
        let folder = try TemporaryFolder()
        let old = try VersionTests.copyOf010(into: folder)
        let customers = try #require(try NodeCtl.json(["customer", "list"], data: old) as? [[String: Any]])
        let id = try #require(customers.first?["id"] as? String)
        let history = try #require(try NodeCtl.json(["history", id], data: old) as? [[String: Any]])
        #expect(!history.isEmpty)
        let node = (try NodeCtl.json(["id"], data: old) as? [String: Any])?["nodeId"] as? String
        for write in history where Self.by(write)?["node"] as? String == node {
            #expect(Self.person(write) == "hq", "a write logged before persons shows its node's name")
        }
        let feed = try #require(try NodeCtl.json(["changes", "--customer", id], data: old) as? [[String: Any]])
        #expect(!feed.isEmpty)
        #expect(feed.allSatisfy { Self.person($0) != nil })
    }

    @Test func aWithdrawalAndARemovalAreInTheirCustomersFeedWithWhoMadeThem() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let acme = try Self.run(["customer", "add", "Acme"], node)
        let contact = try Self.run(["contact", "add", acme, "--name", "Wile E. Coyote"], node)
        let file = folder.path("quote.txt")
        try Data("a quote".utf8).write(to: file)
        let document = try Self.run(["document", "add", acme, file.path, "--as", "Ann"], node)
        try Self.run(["document", "withdraw", document, "--reason", "filed by mistake", "--as", "Dee"], node)
        try Self.run(["contact", "remove", contact, "--as", "Eve"], node)

        let feed = try #require(try NodeCtl.json(["changes", "--customer", acme], data: node.data) as? [[String: Any]])
        #expect(feed.allSatisfy { $0["customerId"] as? String == acme })
        let withdrawal = try #require(feed.first { $0["entity"] as? String == "document-withdrawal" })
        #expect(Self.person(withdrawal) == "Dee")
        let removal = try #require(feed.last)
        #expect(removal["entityId"] as? String == contact)
        #expect(Self.person(removal) == "Eve")
        let documents = try #require(try NodeCtl.json(["document", "list", acme], data: node.data) as? [[String: Any]])
        #expect(Self.person(documents.first) == "Ann")
        #expect(documents.first?["addedBy"] as? String == "Ann")
    }

    @Test func aMergedCustomersWritesAreInTheFolderItShowsIn() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let keep = try Self.run(["customer", "add", "Acme"], node)
        let duplicate = try Self.run(["customer", "add", "ACME Ltd"], node)
        let contact = try Self.run(["contact", "add", duplicate, "--name", "Road Runner"], node)
        try Self.run(["customer", "merge", keep, duplicate, "--as", "Fay"], node)
        try Self.run(["contact", "set", contact, "title=sprinter"], node)

        let feed = try #require(try NodeCtl.json(["changes", "--customer", keep], data: node.data) as? [[String: Any]])
        #expect(feed.allSatisfy { $0["customerId"] as? String == keep }, "\(feed)")
        #expect(feed.contains { $0["entityId"] as? String == duplicate })
        #expect(feed.last?["entityId"] as? String == contact)
        #expect(Self.person(feed.first { $0["entity"] as? String == "customer-merge" }) == "Fay")
        let byDuplicate = try #require(
            try NodeCtl.json(["changes", "--customer", duplicate], data: node.data) as? [[String: Any]]
        )
        #expect(byDuplicate.count == feed.count, "the duplicate's id leads to the folder it shows in")
    }
}
