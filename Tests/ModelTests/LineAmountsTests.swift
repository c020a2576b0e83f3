import Model
import Testing

/// The contract's rounding: each line's net = quantity × unit price × (1 − discount), rounded
/// half away from zero to the minor unit; its tax = net × rate, rounded the same way; a
/// document's figures are the sums of its lines' rounded figures. Expected figures by hand.
@Suite("Line amounts and rounding")
struct LineAmountsTests {
    static func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .usd) }

    @Test(
        "net and tax round half away from zero",
        arguments: [
            // quantity, price (minor), discount, tax rate, net, tax
            ("1", 5, "50%", "0%", 3, 0),  // 0.025 → 0.03
            ("1", -5, "50%", "0%", -3, 0),  // −0.025 → −0.03
            ("0.5", 1, "0%", "0%", 1, 0),  // 0.005 → 0.01
            ("0.5", 3, "0%", "0%", 2, 0),  // 0.015 → 0.02
            ("0.4999", 1, "0%", "0%", 0, 0),  // 0.004999 → 0.00
            ("1", 1005, "0%", "8.25%", 1005, 83),  // tax 0.829125 → 0.83
            ("1", 10, "0%", "5%", 10, 1),  // tax 0.005 → 0.01
            ("1", -10, "0%", "5%", -10, -1),  // tax −0.005 → −0.01
            ("2.5", 8500, "10%", "0%", 19125, 0),  // LAB 2.5 @85.00 -10% = 191.25
            ("3", 1999, "0%", "20%", 5997, 1199),  // tax 11.994 → 11.99
            ("3", 333, "33.3333%", "0%", 666, 0),  // 6.6600666… → 6.66
            ("7", 1, "50%", "0%", 4, 0),  // 0.035 → 0.04
            ("1", 10_000, "100%", "20%", 0, 0),  // given away
        ] as [(String, Int64, String, String, Int64, Int64)]
    )
    func line(_ quantity: String, _ price: Int64, _ discount: String, _ rate: String, _ net: Int64, _ tax: Int64)
        throws
    {
        let amounts = try LineAmounts(
            quantity: try Quantity(parsing: quantity),
            unitPrice: Self.money(price),
            discount: try Percentage(parsing: discount),
            taxRate: try Percentage(parsing: rate)
        )
        #expect(amounts.net.minorUnits == net)
        #expect(amounts.tax.minorUnits == tax)
        #expect(amounts.gross.minorUnits == net + tax)
    }

    @Test func aDocumentSumsItsLinesRoundedFigures() throws {
        // Three lines of 0.015 each: 0.02 + 0.02 + 0.02 = 0.06 (not 0.045 rounded to 0.05).
        let line = try LineAmounts(quantity: try Quantity(parsing: "0.5"), unitPrice: Self.money(3))
        let totals = try DocumentTotals(lines: [line, line, line], currency: .usd)
        #expect(totals.subtotal.minorUnits == 6)
        #expect(totals.total.minorUnits == 6)
    }

    @Test func largeTotalsStayExact() throws {
        // 1,000 × 1,000,000,000.00 = 10^12, tax 20 % = 2 × 10^11.
        let line = try LineAmounts(
            quantity: Quantity(1000),
            unitPrice: Self.money(100_000_000_000),
            taxRate: try Percentage(parsing: "20%")
        )
        #expect(line.net.description == "1000000000000.00")
        #expect(line.tax.description == "200000000000.00")
        let totals = try DocumentTotals(lines: Array(repeating: line, count: 5), currency: .usd)
        #expect(totals.total.description == "6000000000000.00")
        // Beyond 64 bits of minor units: refused, not wrapped.
        #expect(throws: ModelError.self) {
            try LineAmounts(quantity: Quantity(10_000_000), unitPrice: Self.money(Int64.max / 1000))
        }
    }
}
