import Foundation
import TestSupport
import Testing

/// The Credit & Collections tab through `nodectl`: payment statistics, promises and the rating
/// of a small ledger whose figures are worked out here from the contract's definitions; credit
/// holds that every node knowing of them enforces (and a hold concurrent with a release that
/// keeps the customer on hold); the credit limit and its override; bad input refused.
@Suite("Credit & Collections", .offThePool)
struct CreditFlowTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func object(_ arguments: [String], _ node: TestNode) throws -> [String: Any] {
        try NodeCtl.json(arguments, data: node.data) as? [String: Any] ?? [:]
    }

    static func office(_ folder: TemporaryFolder) throws -> (TestNode, String) {
        let node = try TestNode("hq", in: folder)
        try NodeCtl.ok(["series", "set", "HQ"], data: node.data)
        try NodeCtl.ok(["item", "add", "W-100", "--description", "Widget", "--price", "100.00"], data: node.data)
        let customer = line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data))
        try NodeCtl.ok(["customer", "set", customer, "terms=net 30"], data: node.data)
        return (node, customer)
    }

    @Test func statisticsPromisesAndRatingAsWorkedOut() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        // Three invoices on net 30: 200.00 (due 01-31), 300.00 (due 03-03), 100.00 (due 03-31).
        for (quantity, date) in [("2", "2026-01-01"), ("3", "2026-02-01"), ("1", "2026-03-01")] {
            try NodeCtl.ok(["invoice", "add", acme, "--line", "W-100 \(quantity)", "--date", date], data: hq.data)
        }
        // Oldest first: 200.00 settles the first on 01-20 (19 days, on time); 300.00 the second on
        // 04-15 (73 days; 43 days after its due date: late, and delinquent). The third stays open.
        try NodeCtl.ok(
            [
                "payment", "add", acme, "--amount", "200.00", "--method", "check", "--reference", "1", "--date",
                "2026-01-20",
            ],
            data: hq.data
        )
        try NodeCtl.ok(
            [
                "payment", "add", acme, "--amount", "300.00", "--method", "check", "--reference", "2", "--date",
                "2026-04-15",
            ],
            data: hq.data
        )
        // Kept: 300.00 paid on 04-15, inside 04-01…04-30. Broken: nothing paid in 05-01…05-30.
        let kept = Self.line(
            try NodeCtl.ok(
                ["promise", "add", acme, "--amount", "50.00", "--by", "2026-04-30", "--date", "2026-04-01"],
                data: hq.data
            )
        )
        let broken = try Self.object(
            ["promise", "add", acme, "--amount", "100.00", "--by", "2026-05-30", "--date", "2026-05-01", "--json"],
            hq
        )
        #expect(broken["status"] as? String == "broken" || broken["status"] as? String == "open")

        let tab = try Self.object(["credit", "show", acme, "--as-of", "2026-06-30"], hq)
        #expect(tab["balance"] as? String == "100.00")
        #expect(tab["exposure"] as? String == "100.00")
        #expect(tab["creditLimit"] is NSNull)
        #expect(tab["hold"] is NSNull)
        let stats = tab["stats"] as? [String: Any] ?? [:]
        #expect(stats["invoicesPaid"] as? Int == 2)
        #expect(stats["minDaysToPay"] as? Int == 19 && stats["maxDaysToPay"] as? Int == 73)
        #expect(stats["avgDaysToPay"] as? String == "46.0")  // (19 + 73) / 2
        #expect(stats["avgDaysLate"] as? String == "21.5")  // (0 + 43) / 2
        #expect(stats["timesLate"] as? Int == 1)
        // The second (43 days late) and the third (open, 91 days past due on 06-30).
        #expect(stats["timesDelinquent"] as? Int == 2)
        let promises = tab["promises"] as? [[String: Any]] ?? []
        #expect(promises.map { $0["status"] as? String } == ["kept", "broken"])
        #expect(promises.first?["id"] as? String == kept)
        // Points: lateness ⌈40 × 2 / 3⌉ = 27; overdue ⌈30 × 100 / 600⌉ = 5; one broken promise 15:
        // 47 → D, high.
        #expect(tab["rating"] as? String == "D" && tab["risk"] as? String == "high")
        let factors = tab["riskFactors"] as? [String] ?? []
        #expect(factors.contains("1 broken promise"), "\(factors)")
        #expect(factors.contains { $0.hasPrefix("2 of the 3 invoices due") }, "\(factors)")

        // Before the second payment and the promises, as of 03-15: one paid on time, the others
        // open and not yet 30 days past due; nothing over 60 days: A, low.
        let early = try Self.object(["credit", "show", acme, "--as-of", "2026-03-15"], hq)
        #expect(early["rating"] as? String == "A" && early["risk"] as? String == "low")
        #expect((early["stats"] as? [String: Any])?["timesDelinquent"] as? Int == 0)
        #expect((early["promises"] as? [Any])?.isEmpty == true)
        #expect(early["balance"] as? String == "400.00")
    }

    @Test func reportCollectionsListsWhoIsPastDueInEachFormat() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        let quiet = Self.line(try NodeCtl.ok(["customer", "add", "Beta Co"], data: hq.data))
        try NodeCtl.ok(["invoice", "add", acme, "--line", "W-100 2", "--date", "2026-01-01"], data: hq.data)
        try NodeCtl.ok(["invoice", "add", quiet, "--line", "W-100 1", "--date", "2026-06-20"], data: hq.data)
        try NodeCtl.ok(
            ["promise", "add", acme, "--amount", "50.00", "--by", "2026-03-01", "--date", "2026-02-15"],
            data: hq.data
        )
        try NodeCtl.ok(["customer", "hold", acme, "--reason", "over 90 days", "--as", "carol"], data: hq.data)
        // Acme: 200.00 due 01-31, 150 days past due on 06-30 (121+); Beta: not yet due.
        let rows =
            try NodeCtl.json(["report", "collections", "--as-of", "2026-06-30", "--json"], data: hq.data)
            as? [[String: Any]] ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["customerId"] as? String == acme && rows.first?["pastDue"] as? String == "200.00")
        #expect((rows.first?["ageing"] as? [String: Any])?["d121Plus"] as? String == "200.00")
        #expect(rows.first?["brokenPromises"] as? Int == 1 && rows.first?["openPromises"] as? Int == 0)
        // ⌈40 × 1 / 1⌉ = 40, 30 (all of it over 60 days), 15: 85 → E.
        #expect(rows.first?["rating"] as? String == "E")
        #expect((rows.first?["hold"] as? [String: Any])?["reason"] as? String == "over 90 days")
        let credit = try Self.object(["credit", "show", acme, "--as-of", "2026-06-30"], hq)
        #expect(credit["rating"] as? String == "E")

        let csv = try NodeCtl.ok(["report", "collections", "--as-of", "2026-06-30", "--format", "csv"], data: hq.data)
        let records = csv.split(separator: "\r\n")
        #expect(records.count == 2 && records[0].hasPrefix("CUSTOMER,ID,PAST DUE,BALANCE"), "\(csv)")
        #expect(records.last?.hasPrefix("Acme Ltd,\(acme),200.00,200.00") == true, "\(csv)")
        let file = folder.path("collections.csv")
        try NodeCtl.ok(
            ["report", "collections", "--as-of", "2026-06-30", "--format", "csv", "--output", file.path],
            data: hq.data
        )
        #expect(try String(contentsOf: file, encoding: .utf8) == csv)
        let table = try NodeCtl.ok(["report", "collections", "--as-of", "2026-06-30"], data: hq.data)
        #expect(table.contains("Acme Ltd") && !table.contains("Beta Co"))
        try NodeCtl.refused(["report", "collections", "--format", "xml"], data: hq.data, mentioning: "xml")
        try NodeCtl.refused(
            ["report", "collections", "--output", folder.path("no/such/dir/x.csv").path],
            data: hq.data,
            mentioning: "cannot write"
        )
    }

    @Test func aHoldStopsOrdersOnEveryNodeThatKnowsItAndAConcurrentHoldOutlivesARelease() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        let van = try TestNode("van", in: folder)
        let branch = try TestNode("branch", in: folder)
        let nodes = [hq, van, branch]
        for node in nodes { for other in nodes where other.name != node.name { try node.trust(other) } }
        for other in [van, branch] { try hq.send(to: other, via: folder) }

        try NodeCtl.ok(
            ["customer", "hold", acme, "--reason", "3 invoices over 90 days", "--as", "alice"],
            data: hq.data
        )
        try NodeCtl.refused(["order", "add", acme, "--line", "W-100 1"], data: hq.data, mentioning: "credit hold")
        try hq.send(to: van, via: folder)
        // The van knows of the hold: its order is refused with the hold's reason and who placed it.
        let refusal = try NodeCtl.refused(
            ["order", "add", acme, "--line", "W-100 1"],
            data: van.data,
            mentioning: "3 invoices over 90 days"
        )
        #expect(refusal.stderr.contains("alice"))
        let quote = try Self.object(["quote", "add", acme, "--line", "W-100 1", "--json"], van)
        try NodeCtl.refused(
            ["quote", "accept", quote["number"] as? String ?? ""],
            data: van.data,
            mentioning: "credit hold"
        )

        // The branch, which has not seen the hold, places one of its own; the van releases the
        // one it knows. After everyone syncs, the branch's hold is in force everywhere.
        try NodeCtl.ok(["customer", "hold", acme, "--reason", "cheque bounced", "--as", "bob"], data: branch.data)
        try NodeCtl.ok(["customer", "release", acme, "--reason", "paid in full"], data: van.data)
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 1"], data: van.data)
        for _ in 0..<2 {
            for node in nodes {
                for other in nodes where other.name != node.name { try node.send(to: other, via: folder) }
            }
        }
        for node in nodes {
            let hold = try Self.object(["credit", "show", acme], node)["hold"] as? [String: Any]
            #expect(hold?["reason"] as? String == "cheque bounced", "\(node.name)")
            #expect(hold?["by"] as? String == "bob", "\(node.name)")
            try NodeCtl.refused(
                ["order", "add", acme, "--line", "W-100 1"],
                data: node.data,
                mentioning: "cheque bounced"
            )
        }
        try NodeCtl.ok(["customer", "release", acme, "--reason", "settled"], data: hq.data)
        let tab = try Self.object(["credit", "show", acme], hq)
        #expect(tab["hold"] is NSNull)
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 1"], data: hq.data)
    }

    @Test func theCreditLimitRefusesAnOrderUnlessOverriddenWithAReason() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        try NodeCtl.ok(["customer", "set", acme, "credit-limit=1000.00"], data: hq.data)
        try NodeCtl.ok(["invoice", "add", acme, "--line", "W-100 3", "--date", "2026-11-01"], data: hq.data)
        // Exposure 300.00 + an order of 7 × 100.00 = 1000.00: at the limit, taken.
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 7"], data: hq.data)
        var tab = try Self.object(["credit", "show", acme], hq)
        #expect(tab["exposure"] as? String == "1000.00" && tab["creditLimit"] as? String == "1000.00")
        try NodeCtl.refused(
            ["order", "add", acme, "--line", "W-100 1"],
            data: hq.data,
            mentioning: "credit limit 1000.00"
        )
        let order = try Self.object(
            ["order", "add", acme, "--line", "W-100 1", "--override-credit", "CFO approved", "--json"],
            hq
        )
        let shown = try Self.object(["order", "show", order["number"] as? String ?? ""], hq)
        #expect(shown["creditOverride"] as? String == "CFO approved", "\(shown)")
        tab = try Self.object(["credit", "show", acme], hq)
        #expect(tab["exposure"] as? String == "1100.00")
        // An order's invoice moves its remainder into the balance: the exposure stays.
        try NodeCtl.ok(["invoice", "add", acme, "--order", order["number"] as? String ?? ""], data: hq.data)
        #expect(try Self.object(["credit", "show", acme], hq)["exposure"] as? String == "1100.00")
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        let other = Self.line(try NodeCtl.ok(["customer", "add", "Other Ltd"], data: hq.data))
        let invoice = try Self.object(["invoice", "add", other, "--line", "W-100 1", "--json"], hq)
        let before = try hq.snapshot()
        let promise = ["promise", "add", acme, "--by", "2026-12-31", "--date", "2026-12-01"]
        try NodeCtl.refused(promise + ["--amount", "12,50"], data: hq.data, mentioning: "--amount")
        try NodeCtl.refused(promise + ["--amount", "0"], data: hq.data, mentioning: "more than zero")
        try NodeCtl.refused(promise + ["--amount=-5.00"], data: hq.data, mentioning: "--amount")
        try NodeCtl.refused(
            ["promise", "add", acme, "--amount", "5.00", "--by", "2026-11-30", "--date", "2026-12-01"],
            data: hq.data,
            mentioning: "before it was made"
        )
        try NodeCtl.refused(promise + ["--amount", "5.00", "--by", "2026-13-01"], data: hq.data, mentioning: "--by")
        try NodeCtl.refused(
            promise + ["--amount", "5.00", "--invoice", invoice["number"] as? String ?? ""],
            data: hq.data,
            mentioning: "not in the folder"
        )
        try NodeCtl.refused(
            promise + ["--amount", "5.00", "--invoice", "HQ-INV-999999"],
            data: hq.data,
            mentioning: "HQ-INV-999999"
        )
        try NodeCtl.refused(promise + ["--amount", "5.00", "--contact", acme], data: hq.data, mentioning: "contact")
        try NodeCtl.refused(["customer", "hold", acme, "--reason", "  "], data: hq.data, mentioning: "--reason")
        try NodeCtl.refused(
            ["customer", "release", acme, "--reason", "x"],
            data: hq.data,
            mentioning: "not on credit hold"
        )
        try NodeCtl.refused(["customer", "set", acme, "credit-limit=lots"], data: hq.data, mentioning: "credit-limit")
        try NodeCtl.refused(["credit", "show", acme, "--as-of", "yesterday"], data: hq.data, mentioning: "--as-of")
        #expect(try hq.snapshot() == before)
    }
}
