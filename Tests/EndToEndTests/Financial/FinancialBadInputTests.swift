import Foundation
import TestSupport
import Testing

/// Every malformed amount, line, date, term, unknown part or document gets one clear line and
/// exit 1, and changes nothing.
@Suite("Financial: bad input", .offThePool)
struct FinancialBadInputTests {
    static func ledger(_ node: TestNode) throws -> String {
        try node.snapshot()
            + [
                ["item", "list"], ["invoice", "list"], ["payment", "list"], ["quote", "list"], ["order", "list"],
                ["credit-note", "list"], ["series"],
            ]
            .map { try NodeCtl.run($0 + ["--json"], data: node.data).stdout }.joined(separator: "\n")
    }

    @Test func malformedFinancialInputIsRefusedInOneLineAndChangesNothing() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        try NodeCtl.ok(["series", "set", "HQ"], data: hq.data)
        try NodeCtl.ok(["item", "add", "W-100", "--description", "Filter", "--price", "49.90"], data: hq.data)
        let acme = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: hq.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["invoice", "add", acme, "--line", "W-100 1", "--date", "2026-11-01"], data: hq.data)
        try NodeCtl.ok(["order", "add", acme, "--line", "W-100 2", "--date", "2026-11-01"], data: hq.data)
        try NodeCtl.ok(
            ["payment", "add", acme, "--amount", "10.00", "--method", "cash", "--date", "2026-11-02"],
            data: hq.data
        )
        let before = try Self.ledger(hq)
        let refusals: [([String], String)] = [
            (["payment", "add", acme, "--amount", "12,50", "--method", "check"], "'12,50' is not an amount"),
            (["payment", "add", acme, "--amount", "1e3", "--method", "check"], "'1e3' is not an amount"),
            (["payment", "add", acme, "--amount", "", "--method", "check"], "empty"),
            (["payment", "add", acme, "--amount=-0", "--method", "check"], "'-0'"),
            (["payment", "add", acme, "--amount", "1.005", "--method", "check"], "'1.005'"),
            (["payment", "add", acme, "--amount", "0", "--method", "check"], "above 0"),
            (["payment", "add", acme, "--amount", "5", "--method", "bitcoin"], "'bitcoin' is not a payment method"),
            (
                ["payment", "add", acme, "--amount", "5", "--method", "cash", "--apply", "HQ-INV-000009=5"],
                "HQ-INV-000009"
            ),
            (["payment", "add", acme, "--amount", "5", "--method", "cash", "--apply", "nonsense"], "INVOICE=AMOUNT"),
            (["payment", "add", acme, "--amount", "5", "--method", "cash", "--apply", "HQ-INV-000001=60.00"], "more"),
            (
                ["payment", "add", acme, "--amount", "5", "--method", "cash", "--apply", "HQ-INV-000001=5/1"],
                "no discount"
            ),
            (
                ["payment", "add", acme, "--amount", "5", "--method", "cash", "--date", "2026-13-01"],
                "'2026-13-01' is not a date"
            ),
            (["invoice", "add", acme, "--line", "NOPE 1"], "no item 'NOPE'"),
            (["invoice", "add", acme, "--line", "W-100"], "'W-100' is not a line"),
            (["invoice", "add", acme, "--line", "W-100 0"], "'W-100 0' is not a line"),
            (["invoice", "add", acme, "--line", "W-100 2 @12,00"], "'W-100 2 @12,00' is not a line"),
            (["invoice", "add", acme, "--line", "W-100 2 -100%"], "gives the line away"),
            (["invoice", "add", acme, "--line", "W-100 1 @1.001"], "the price of W-100"),
            (["invoice", "add", acme, "--line", "W-100 1", "--terms", "net"], "'net' are not payment terms"),
            (["invoice", "add", acme, "--line", "W-100 1", "--terms", "5/40 net 30"], "end after"),
            (["invoice", "add", acme, "--line", "W-100 1", "--date", "07/12/2026"], "'07/12/2026' is not a date"),
            (["invoice", "add", "01a2379b-51d1-7000-824d-31054e8b1893", "--line", "W-100 1"], "no customer"),
            (["invoice", "add", acme, "--order", "HQ-SO-000404"], "no order numbered"),
            (["invoice", "show", "HQ-INV-000404"], "no invoice numbered"),
            (["credit-note", "add", "HQ-INV-000001", "--amount", "60.00", "--reason", "x"], "at most 49.90 more"),
            (["credit-note", "add", "HQ-INV-000001", "--line", "LAB 1", "--reason", "x"], "no line of part LAB"),
            (["payment", "reverse", "HQ-PAY-000404", "--reason", "x"], "no payment numbered"),
            (["payment", "reverse", "HQ-PAY-000001", "--reason", "x", "--date", "2026-10-01"], "before the payment"),
            (["order", "deliver", "HQ-SO-000001", "--line", "W-100 3"], "left to deliver"),
            (["order", "deliver", "HQ-SO-000001", "--line", "LAB 1"], "not on order"),
            (
                ["quote", "add", acme, "--line", "W-100 1", "--valid-until", "2026-01-01", "--date", "2026-02-01"],
                "before"
            ),
            (["item", "add", "W-100", "--description", "again", "--price", "1.00"], "has part 'W-100' already"),
            (["item", "add", "X-1", "--description", "bad", "--price", "1,00"], "'1,00' is not a price"),
            (["item", "add", "X-1", "--description", "bad", "--price", "1.00", "--tax", "120%"], "at most"),
            (["item", "set", "W-100", "price=abc"], "'abc' is not a price"),
            (["item", "set", "NOPE", "price=1.00"], "no item 'NOPE'"),
            (["customer", "set", acme, "terms=sometimes"], "'sometimes' are not payment terms"),
            (["series", "set", "H Q!"], "is not a series prefix"),
            (["statement", acme, "--from", "2026-12-01", "--to", "2026-11-01"], "is after"),
            (["ageing", "--as-of", "yesterday"], "'yesterday' is not a date"),
        ]
        for (arguments, fragment) in refusals {
            try NodeCtl.refused(arguments, data: hq.data, mentioning: fragment)
        }
        #expect(try Self.ledger(hq) == before)
    }
}
