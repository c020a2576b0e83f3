import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The Marketing tab and the office's reports through `nodectl`: a campaign over a category
/// exported for the mail house, to-dos finished apart, every tab in one folder, and charts
/// whose bars are the report's figures.
@Suite("Marketing and reports", .offThePool)
struct MarketingTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func aCampaignOverACategoryIsExportedWithEachAddressByItsCountrysTemplate() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let data = hq.data
        func customer(_ name: String, _ address: String, category: String = "retail") throws -> String {
            Self.line(
                try NodeCtl.ok(["customer", "add", name, "--category", category, "--address", address], data: data)
            )
        }
        let gb = try customer("Acme Ltd", "10 Downing St\nLondon SW1A 2AA\nUnited Kingdom")
        let de = try customer("Berliner GmbH", "Hauptstraße 5\n10115 Berlin\nGermany")
        let fr = try customer("Paris SARL", "12 rue de Rivoli\n75001 Paris\nFrance")
        let us = try customer("Springfield Inc", "123 main st\nspringfield il 62704")
        let held = try customer("Held & Co", "1 Elm St\nBoston MA 02108")
        let archived = try customer("Gone Ltd", "2 Elm St\nBoston MA 02108")
        _ = try customer("Wholesale Ltd", "3 Elm St\nBoston MA 02108", category: "trade")
        try NodeCtl.ok(["contact", "add", gb, "--name", "JOHN SMITH", "--salutation", "mr"], data: data)
        try NodeCtl.ok(
            [
                "contact", "add", de, "--name", "anna müller", "--salutation", "frau", "--address",
                "Postfach 12 34\n10115 Berlin\nGermany",
            ],
            data: data
        )
        try NodeCtl.ok(["customer", "hold", held, "--reason", "unpaid"], data: data)
        try NodeCtl.ok(["customer", "archive", archived], data: data)
        try NodeCtl.ok(["customer", "set", gb, "industry=Retail", "source=web", "size=10-49"], data: data)

        let campaign = Self.line(
            try NodeCtl.ok(["campaign", "add", "Winter offer", "--type", "mail", "--start", "2026-12-01"], data: data)
        )
        let added = try NodeCtl.run(["campaign", "members", campaign, "--category", "RETAIL"], data: data)
        #expect(added.status == 0 && added.stderr.contains("Added 5 members"), "\(added.stderr)")
        try NodeCtl.ok(["campaign", "members", campaign, archived], data: data)
        let file = folder.path("mailing.csv")
        try NodeCtl.ok(["campaign", "export", campaign, "--output", file.path], data: data)
        let csv = try String(contentsOf: file, encoding: .utf8)
        // The postal formats, written out here by hand: UK town and postcode on lines of their
        // own, DE and FR postcode before the town (FR's town in capitals), US "City, ST ZIP".
        let expected = [
            "customer_id,name,contact,address_line_1,address_line_2,address_line_3,address_line_4,address_line_5",
            "\(gb),Acme Ltd,Mr. John Smith,10 Downing St,LONDON,SW1A 2AA,UNITED KINGDOM,",
            "\(de),Berliner GmbH,Frau Anna Müller,Postfach 12 34,10115 Berlin,GERMANY,,",
            "\(fr),Paris SARL,,12 rue de Rivoli,75001 PARIS,FRANCE,,",
            "\(us),Springfield Inc,,123 Main St,\"Springfield, IL 62704\",,,",
        ]
        #expect(csv.components(separatedBy: "\r\n").dropLast() == expected[...], "\(csv)")
        let everyone = try NodeCtl.ok(
            ["campaign", "export", campaign, "--include-held", "--include-archived"],
            data: data
        )
        #expect(everyone.contains(held) && everyone.contains(archived))

        try NodeCtl.ok(["campaign", "respond", campaign, gb, "--outcome", "ordered 2 filters"], data: data)
        try NodeCtl.refused(
            [
                "campaign", "respond", campaign,
                Self.line(try NodeCtl.ok(["customer", "add", "Stranger"], data: data)), "--outcome", "x",
            ],
            data: data,
            mentioning: "is not in campaign"
        )
        let shown = try NodeCtl.json(["campaign", "show", campaign], data: data) as? [String: Any]
        #expect(shown?["members"] as? Int == 6 && shown?["responses"] as? Int == 1)
        let marketing =
            (try NodeCtl.json(["customer", "show", gb], data: data) as? [String: Any])?["marketing"] as? [String: Any]
        #expect(marketing?["industry"] as? String == "Retail")
        let campaigns = marketing?["campaigns"] as? [[String: Any]]
        #expect(campaigns?.first?["name"] as? String == "Winter offer")
        #expect(
            ((campaigns?.first?["responses"] as? [[String: Any]])?.first)?["outcome"] as? String == "ordered 2 filters"
        )
        // Demographics are searchable.
        let found = try NodeCtl.json(["customer", "list", "--search", "retail web"], data: data) as? [[String: Any]]
        #expect(found?.map { $0["id"] as? String } == [gb])
        for bad in [
            (["campaign", "add", "X", "--type", "fax"], "--type"),
            (["campaign", "members", campaign, "--category", "nobody"], "no customer matches"),
            (["campaign", "members", campaign, gb], "in the campaign already"),
        ] {
            try NodeCtl.refused(bad.0, data: data, mentioning: bad.1)
        }
    }

    @Test func demographicsTravelThroughExportAndImport() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let other = try TestNode("other", in: folder)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try NodeCtl.ok(["customer", "set", acme, "industry=Retail", "source=trade show", "size=10-49"], data: hq.data)
        let file = folder.path("customers.csv")
        try NodeCtl.ok(["customer", "export", "--output", file.path], data: hq.data)
        let header = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\r\n").first ?? ""
        #expect(header.contains("industry,source,size"), "\(header)")
        try NodeCtl.ok(["customer", "import", file.path], data: other.data)
        let imported = try NodeCtl.json(["customer", "list"], data: other.data) as? [[String: Any]] ?? []
        #expect(
            imported.map { "\($0["industry"] ?? "") \($0["source"] ?? "") \($0["size"] ?? "")" } == [
                "Retail trade show 10-49"
            ]
        )
    }

    @Test func aToDoAddedOnALaptopAndDoneAtHQWhileApartIsDoneEverywhere() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data))
        try hq.send(to: laptop, via: folder)
        let todo = Self.line(
            try NodeCtl.ok(
                [
                    "todo", "add", "--customer", acme, "--text", "Send the winter offer", "--due", "2026-01-15",
                    "--assignee", "Ann",
                ],
                data: laptop.data
            )
        )
        try laptop.send(to: hq, via: folder)
        // Apart: both finish it.
        try NodeCtl.ok(["todo", "done", todo, "--as", "Carol"], data: hq.data)
        try NodeCtl.ok(["todo", "done", todo, "--as", "Ann"], data: laptop.data)
        try NodeCtl.refused(["todo", "done", todo], data: hq.data, mentioning: "done already")
        try hq.send(to: laptop, via: folder)
        try laptop.send(to: hq, via: folder)
        var reference: String?
        for node in [hq, laptop] {
            let listed = try NodeCtl.json(["todo", "list", "--assignee", "ann"], data: node.data) as? [[String: Any]]
            #expect(listed?.count == 1 && listed?.first?["done"] as? Bool == true, "\(node.name): \(listed ?? [])")
            #expect(listed?.first?["customerId"] as? String == acme)
            #expect((try NodeCtl.json(["todo", "list", "--open"], data: node.data) as? [Any])?.isEmpty == true)
            #expect((try NodeCtl.json(["conflicts", "list"], data: node.data) as? [Any])?.isEmpty == true)
            let text = try NodeCtl.ok(["todo", "list", "--json"], data: node.data)
            if let reference { #expect(text == reference) } else { reference = text }
        }
        // An open one, overdue, in the report of its assignee.
        try NodeCtl.ok(
            ["todo", "add", "--text", "Call the printer", "--due", "2026-01-02", "--assignee", "Ann"],
            data: hq.data
        )
        let overdue = try NodeCtl.json(["todo", "list", "--overdue"], data: hq.data) as? [[String: Any]]
        #expect(overdue?.map { $0["text"] as? String } == ["Call the printer"])
        let report =
            try NodeCtl.json(["report", "todos", "--assignee", "Ann", "--json"], data: hq.data) as? [[String: Any]]
        #expect(report?.map { $0["overdue"] as? Bool } == [true])
    }

    @Test func customerShowHasEveryTabAndReportsDrawTheirFigures() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let data = hq.data
        try NodeCtl.ok(["series", "set", "HQ"], data: data)
        try NodeCtl.ok(
            ["item", "add", "W-100", "--description", "Widget", "--price", "100.00", "--tax", "10%"],
            data: data
        )
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "80.00"], data: data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd", "--category", "retail"], data: data))
        let other = Self.line(try NodeCtl.ok(["customer", "add", "Other plc"], data: data))
        try NodeCtl.ok(["contact", "add", acme, "--name", "Ann Lee"], data: data)
        try NodeCtl.ok(["journal", "add", acme, "--kind", "call", "--notes", "Asked for a quote"], data: data)
        try NodeCtl.ok(
            ["invoice", "add", acme, "--line", "W-100 3", "--date", "2026-10-05", "--salesperson", "Bob"],
            data: data
        )
        try NodeCtl.ok(["invoice", "add", acme, "--line", "LAB 2", "--date", "2026-11-05"], data: data)
        try NodeCtl.ok(["invoice", "add", other, "--line", "W-100 1", "--date", "2026-11-20"], data: data)
        try NodeCtl.ok(
            [
                "credit-note", "add", "HQ-INV-000001", "--amount", "110.00", "--reason", "one returned", "--date",
                "2026-11-02",
            ],
            data: data
        )
        try NodeCtl.ok(["promise", "add", acme, "--amount", "100.00", "--by", "2026-12-31"], data: data)
        try NodeCtl.ok(["service", "add", acme, "--problem", "Noisy fan"], data: data)
        let campaign = Self.line(try NodeCtl.ok(["campaign", "add", "Spring", "--type", "email"], data: data))
        try NodeCtl.ok(["campaign", "members", campaign, acme], data: data)
        try NodeCtl.ok(["todo", "add", "--customer", acme, "--text", "Follow up"], data: data)
        let note = folder.path("note.txt")
        try Data("hello".utf8).write(to: note)
        try NodeCtl.ok(["document", "add", acme, note.path, "--title", "Note"], data: data)

        let shown = try NodeCtl.json(["customer", "show", acme], data: data) as? [String: Any] ?? [:]
        for key in ["contacts", "journal", "financial", "credit", "service", "marketing", "documents"] {
            #expect(shown[key] != nil, "customer show --json has no '\(key)'")
        }
        #expect((shown["contacts"] as? [Any])?.count == 1 && (shown["documents"] as? [Any])?.count == 1)
        #expect(((shown["service"] as? [String: Any])?["calls"] as? [Any])?.count == 1)
        #expect(((shown["marketing"] as? [String: Any])?["todos"] as? [Any])?.count == 1)
        let text = try NodeCtl.ok(["customer", "show", acme], data: data)
        for heading in [
            "Contacts (1)", "Journal (1)", "Financial", "Credit & Collections", "Jobs & Service", "Marketing",
            "Documents (1)",
        ] {
            #expect(text.contains(heading), "customer show lacks the tab '\(heading)'")
        }

        // Sales by month: October 300.00; November 160.00 + 100.00 − 100.00 (the credit's net).
        let sales =
            try NodeCtl.json(
                ["report", "sales", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "month", "--json"],
                data: data
            ) as? [[String: Any]] ?? []
        #expect(
            sales.map { "\($0["key"] as? String ?? "") \($0["amount"] as? String ?? "")" } == [
                "2026-10 300.00", "2026-11 160.00",
            ]
        )
        let chart = folder.path("sales.svg")
        try NodeCtl.ok(
            [
                "report", "sales", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "month", "--format", "svg",
                "--output", chart.path,
            ],
            data: data
        )
        let bars = try Self.bars(of: chart)
        #expect(bars.map(\.key) == ["2026-10", "2026-11"] && bars.map(\.amount) == ["300.00", "160.00"])
        // Lengths on one scale: 300 : 160.
        #expect(abs(bars[0].height / bars[1].height - 300.0 / 160.0) < 0.01, "\(bars)")
        let top = folder.path("top.svg")
        try NodeCtl.ok(["report", "top", "--by", "customers", "--format", "svg", "--output", top.path], data: data)
        let topBars = try Self.bars(of: top)
        #expect(topBars.map(\.key) == [acme, other] && topBars.map(\.amount) == ["360.00", "100.00"], "\(topBars)")
        #expect(abs(topBars[0].width / topBars[1].width - 3.6) < 0.01)
        let bySalesperson =
            try NodeCtl.json(
                ["report", "sales", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "salesperson", "--json"],
                data: data
            ) as? [[String: Any]] ?? []
        #expect(
            bySalesperson.map { "\($0["name"] as? String ?? "") \($0["amount"] as? String ?? "")" } == [
                "(none) 260.00", "Bob 200.00",
            ]
        )
        try NodeCtl.refused(["report", "collections", "--format", "svg"], data: data, mentioning: "svg")
        try NodeCtl.refused(
            ["report", "sales", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "week"],
            data: data,
            mentioning: "--by"
        )
        let customers =
            try NodeCtl.json(["report", "customers", "--category", "retail", "--json"], data: data) as? [[String: Any]]
        #expect(customers?.map { $0["name"] as? String } == ["Acme Ltd"])
        // 330.00 + 160.00 invoiced, 110.00 credited.
        #expect(customers?.first?["balance"] as? String == "380.00", "\(customers ?? [])")
    }

    struct Bar {
        let key: String
        let amount: String
        let width: Double
        let height: Double
    }

    /// The bars of an SVG file: parsing it proves it is well-formed XML.
    static func bars(of file: URL) throws -> [Bar] {
        final class Reader: NSObject, XMLParserDelegate {
            var bars: [Bar] = []
            func parser(
                _ parser: XMLParser,
                didStartElement name: String,
                namespaceURI: String?,
                qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                guard name == "rect", attributes["class"] == "bar" else { return }
                bars.append(
                    Bar(
                        key: attributes["data-key"] ?? "",
                        amount: attributes["data-amount"] ?? "",
                        width: Double(attributes["width"] ?? "") ?? -1,
                        height: Double(attributes["height"] ?? "") ?? -1
                    )
                )
            }
        }
        let parser = try #require(XMLParser(contentsOf: file))
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "the SVG does not parse: \(String(describing: parser.parserError))")
        return reader.bars
    }
}
