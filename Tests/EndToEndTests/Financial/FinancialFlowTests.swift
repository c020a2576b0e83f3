import Foundation
import TestSupport
import Testing

/// The Financial tab through `nodectl`: a quote becomes an order, is delivered in part,
/// invoiced, paid by check and with the early discount; a check bounces; a price change leaves
/// issued invoices alone. Expected figures are worked out here from the contract's rounding.
@Suite("Financial: quote to cash", .offThePool)
struct FinancialFlowTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// A node with a price list and one customer.
    static func office(_ folder: TemporaryFolder, prefix: String = "HQ") throws -> (TestNode, String) {
        let node = try TestNode("hq", in: folder)
        try NodeCtl.ok(["series", "set", prefix], data: node.data)
        try NodeCtl.ok(
            ["item", "add", "W-100", "--description", "Water filter", "--price", "49.90", "--tax", "8.25%"],
            data: node.data
        )
        try NodeCtl.ok(
            ["item", "add", "LAB", "--description", "Labour", "--price", "85.00", "--unit", "h"],
            data: node.data
        )
        let customer = line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data))
        return (node, customer)
    }

    static func object(_ arguments: [String], _ node: TestNode) throws -> [String: Any] {
        try NodeCtl.json(arguments, data: node.data) as? [String: Any] ?? [:]
    }

    @Test func aQuoteBecomesAnOrderADeliveryAnInvoiceAndIsPaidWithTheEarlyDiscount() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)

        let quote = try Self.object(
            ["quote", "add", acme, "--line", "W-100 10", "--line", "LAB 2 @80.00 -10%", "--date", "2026-11-01"],
            hq
        )
        // 10 × 49.90 = 499.00, tax 8.25 % = 41.1675 → 41.17; 2 × 80.00 × 0.9 = 144.00, no tax.
        #expect(quote["number"] as? String == "HQ-Q-000001")
        #expect(quote["subtotal"] as? String == "643.00" && quote["tax"] as? String == "41.17")
        #expect(quote["total"] as? String == "684.17")

        let order = try Self.object(["order", "add", acme, "--quote", "HQ-Q-000001", "--date", "2026-11-02"], hq)
        #expect(order["number"] as? String == "HQ-SO-000001" && order["total"] as? String == "684.17")
        #expect(try Self.object(["quote", "show", "HQ-Q-000001"], hq)["status"] as? String == "accepted")
        let delivered = try Self.object(
            ["order", "deliver", "HQ-SO-000001", "--line", "W-100 4", "--date", "2026-11-03"],
            hq
        )
        #expect(delivered["status"] as? String == "partly-delivered")

        // The invoice takes what was delivered: 4 × 49.90 = 199.60, tax 16.467 → 16.47.
        let invoice = try Self.object(
            ["invoice", "add", acme, "--order", "HQ-SO-000001", "--terms", "2/10 net 30", "--date", "2026-11-04"],
            hq
        )
        #expect(invoice["number"] as? String == "HQ-INV-000001")
        #expect(invoice["subtotal"] as? String == "199.60" && invoice["tax"] as? String == "16.47")
        #expect(invoice["total"] as? String == "216.07" && invoice["dueDate"] as? String == "2026-12-04")
        #expect(invoice["currency"] as? String == "USD" && invoice["status"] as? String == "open")

        // A partial payment by check, with its number.
        let check = try Self.object(
            [
                "payment", "add", acme, "--amount", "100.00", "--method", "check", "--reference", "1043",
                "--apply", "HQ-INV-000001=100.00", "--date", "2026-11-06",
            ],
            hq
        )
        #expect(check["number"] as? String == "HQ-PAY-000001" && check["reference"] as? String == "1043")
        #expect(check["unapplied"] as? String == "0.00")
        var shown = try Self.object(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-11-06"], hq)
        #expect(shown["open"] as? String == "116.07" && shown["status"] as? String == "partial")

        // The discount: at most 2 % of 216.07 = 4.3214 → 4.32, only until 2026-11-14.
        try NodeCtl.refused(
            [
                "payment", "add", acme, "--amount", "111.74", "--method", "ach", "--apply", "HQ-INV-000001=111.74/4.33",
                "--date", "2026-11-12",
            ],
            data: hq.data,
            mentioning: "4.32"
        )
        try NodeCtl.refused(
            [
                "payment", "add", acme, "--amount", "111.75", "--method", "ach", "--apply", "HQ-INV-000001=111.75/4.32",
                "--date", "2026-11-15",
            ],
            data: hq.data,
            mentioning: "2026-11-14"
        )
        let second = try Self.object(
            [
                "payment", "add", acme, "--amount", "111.75", "--method", "ach", "--reference", "ACH-77",
                "--apply", "HQ-INV-000001=111.75/4.32", "--date", "2026-11-12",
            ],
            hq
        )
        #expect(second["number"] as? String == "HQ-PAY-000002")
        shown = try Self.object(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-11-30"], hq)
        #expect(shown["open"] as? String == "0.00" && shown["status"] as? String == "paid")
        #expect(shown["discount"] as? String == "4.32" && shown["paid"] as? String == "211.75")

        // The check bounces: its 100.00 is owed again.
        try NodeCtl.ok(
            [
                "payment", "reverse", "HQ-PAY-000001", "--reason", "returned: insufficient funds", "--date",
                "2026-11-20",
            ],
            data: hq.data
        )
        shown = try Self.object(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-11-30"], hq)
        #expect(shown["open"] as? String == "100.00" && shown["status"] as? String == "partial")
        // Before the reversal's date the invoice was paid.
        shown = try Self.object(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-11-19"], hq)
        #expect(shown["status"] as? String == "paid")

        let statement = try Self.object(["statement", acme, "--to", "2026-11-30"], hq)
        let lines = statement["lines"] as? [[String: Any]] ?? []
        #expect(
            lines.map { "\($0["date"]!) \($0["kind"]!) \($0["number"]!) \($0["amount"]!) \($0["balance"]!)" } == [
                "2026-11-04 invoice HQ-INV-000001 216.07 216.07",
                "2026-11-06 payment HQ-PAY-000001 -100.00 116.07",
                "2026-11-12 payment HQ-PAY-000002 -111.75 4.32",
                "2026-11-12 discount HQ-PAY-000002 -4.32 0.00",
                "2026-11-20 reversal HQ-PAY-000001 100.00 100.00",
            ]
        )
        #expect(statement["opening"] as? String == "0.00" && statement["closing"] as? String == "100.00")
        let later = try Self.object(["statement", acme, "--from", "2026-11-10", "--to", "2026-11-30"], hq)
        #expect(later["opening"] as? String == "116.07" && (later["lines"] as? [Any])?.count == 3)

        // Due 2026-12-04: as of 2026-12-31 the 100.00 is 27 days past due.
        let ageing = try NodeCtl.json(["ageing", "--as-of", "2026-12-31"], data: hq.data) as? [[String: Any]] ?? []
        #expect(ageing.count == 2)
        #expect(ageing.first?["customerId"] as? String == acme && ageing.first?["d1_30"] as? String == "100.00")
        #expect(ageing.last?["customerId"] is NSNull && ageing.last?["balance"] as? String == "100.00")
        let tab = try Self.object(["customer", "show", acme], hq)["financial"] as? [String: Any]
        #expect(tab?["balance"] as? String == "100.00")

        // The human forms print the figures aligned.
        let text = try NodeCtl.ok(["statement", acme, "--to", "2026-11-30"], data: hq.data)
        #expect(text.contains("closing balance") && text.contains("100.00"))
        let invoiceText = try NodeCtl.ok(["invoice", "show", "HQ-INV-000001", "--as-of", "2026-11-30"], data: hq.data)
        let totals = invoiceText.split(separator: "\n").filter { $0.hasSuffix(" USD") }
        #expect(totals.contains { $0.hasPrefix("  Total") && $0.hasSuffix(" 216.07 USD") }, "\(invoiceText)")
        #expect(totals.contains { $0.hasPrefix("  Open") && $0.hasSuffix(" 100.00 USD") }, "\(invoiceText)")
        #expect(Set(totals.map(\.count)).count == 1, "amounts aligned: \(invoiceText)")
    }

    @Test func aPriceChangeLeavesAnIssuedInvoiceAsItWas() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        let before = try Self.object(["invoice", "add", acme, "--line", "W-100 2", "--date", "2026-11-01"], hq)
        try NodeCtl.ok(["item", "set", "W-100", "price=52.00", "tax=10%"], data: hq.data)
        let items = try NodeCtl.json(["item", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(items.first { $0["part"] as? String == "W-100" }?["price"] as? String == "52.00")
        let shown = try Self.object(["invoice", "show", "HQ-INV-000001"], hq)
        #expect(shown["total"] as? String == before["total"] as? String)
        #expect(shown["total"] as? String == "108.03")  // 99.80 + 8.2335 → 8.23
        let lines = shown["lines"] as? [[String: Any]] ?? []
        #expect(lines.first?["price"] as? String == "49.90" && lines.first?["taxRate"] as? String == "8.25")
        let after = try Self.object(["invoice", "add", acme, "--line", "W-100 2", "--date", "2026-11-02"], hq)
        #expect(after["total"] as? String == "114.40")  // 104.00 + 10.40
    }

    @Test func declinesCancellationsCreditLinesAndTheCustomersTermsTakeEffect() throws {
        let folder = try TemporaryFolder()
        let (hq, acme) = try Self.office(folder)
        try NodeCtl.ok(["quote", "add", acme, "--line", "W-100 1", "--date", "2026-10-01"], data: hq.data)
        try NodeCtl.ok(["quote", "decline", "HQ-Q-000001", "--date", "2026-10-02"], data: hq.data)
        #expect(try Self.object(["quote", "show", "HQ-Q-000001"], hq)["status"] as? String == "declined")
        try NodeCtl.refused(["order", "add", acme, "--quote", "HQ-Q-000001"], data: hq.data, mentioning: "declined")

        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 2", "--date", "2026-10-03"], data: hq.data)
        try NodeCtl.ok(["order", "cancel", "HQ-SO-000001", "--reason", "changed supplier"], data: hq.data)
        #expect(try Self.object(["order", "show", "HQ-SO-000001"], hq)["status"] as? String == "cancelled")
        try NodeCtl.refused(["order", "deliver", "HQ-SO-000001"], data: hq.data, mentioning: "cancelled")

        // The customer's terms are an invoice's unless it names others: due 45 days on.
        try NodeCtl.ok(["customer", "set", acme, "terms=2/10 net 45"], data: hq.data)
        let invoice = try Self.object(["invoice", "add", acme, "--line", "W-100 2", "--date", "2026-10-01"], hq)
        #expect(invoice["terms"] as? String == "2/10 net 45" && invoice["dueDate"] as? String == "2026-11-15")

        // A credit of one returned filter, at the invoice's price and tax: 49.90 + 4.12.
        let credit = try Self.object(
            [
                "credit-note", "add", "HQ-INV-000001", "--line", "W-100 1", "--reason", "returned", "--date",
                "2026-10-05",
            ],
            hq
        )
        #expect(credit["number"] as? String == "HQ-CN-000001" && credit["total"] as? String == "54.02")

        let overdue = try NodeCtl.json(["invoice", "list", "--overdue", "--as-of", "2026-11-16"], data: hq.data)
        #expect((overdue as? [[String: Any]])?.map { $0["open"] as? String } == ["54.01"])  // 108.03 − 54.02
        let notYet = try NodeCtl.json(["invoice", "list", "--overdue", "--as-of", "2026-11-15"], data: hq.data)
        #expect((notYet as? [Any])?.isEmpty == true)
        let series = try Self.object(["series"], hq)
        #expect(series["prefix"] as? String == "HQ")
        #expect((series["next"] as? [String: String])?["invoice"] == "HQ-INV-000002")
    }
}
