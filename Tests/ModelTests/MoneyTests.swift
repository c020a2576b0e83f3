import Model
import Testing

/// Amounts: exact minor units, read and written as the contract says, refused in one line
/// when they are not amounts. Every expected figure here is worked out by hand.
@Suite("Money")
struct MoneyTests {
    static let usd = CurrencyCode.usd
    static let jpy = try! CurrencyCode("JPY")
    static let kwd = try! CurrencyCode("kwd")

    @Test(
        "amounts read to minor units and print back",
        arguments: [
            ("1234.50", usd, 123_450, "1234.50"), ("0", usd, 0, "0.00"), ("12.5", usd, 1250, "12.50"),
            ("0.01", usd, 1, "0.01"), ("007", usd, 700, "7.00"), ("1234", jpy, 1234, "1234"),
            ("1.250", kwd, 1250, "1.250"), ("0.001", kwd, 1, "0.001"),
            ("92233720368547758.07", usd, Int64.max, "92233720368547758.07"),
            ("1000000000000.00", usd, 100_000_000_000_000, "1000000000000.00"),
        ] as [(String, CurrencyCode, Int64, String)]
    )
    func reads(_ text: String, _ currency: CurrencyCode, _ minor: Int64, _ printed: String) throws {
        let money = try Money(parsing: text, currency: currency)
        #expect(money.minorUnits == minor)
        #expect(money.description == printed)
    }

    @Test(
        "what is not an amount is refused in one line naming it",
        arguments: [
            "", "12,50", "1e3", "-0", "-0.00", "+5", " 5", "5 ", ".5", "5.", "1.005", "1.2.3", "abc", "１２",
            "٣", "0x10", "NaN", "1_000", "92233720368547758.08", "-5",
        ]
    )
    func refuses(_ text: String) {
        do {
            _ = try Money(parsing: text, currency: .usd)
            Issue.record("'\(text)' was taken as an amount")
        } catch let error as ModelError {
            #expect(error.code == .invalidValue)
            #expect(!error.message.contains("\n"))
            #expect(text.isEmpty ? error.message.contains("empty") : error.message.contains("'\(text)'"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func negativeAmountsWhereAllowed() throws {
        #expect(try Money(parsing: "-3.00", currency: .usd, allowNegative: true).minorUnits == -300)
        #expect(try Money(parsing: "-0.05", currency: .usd, allowNegative: true).description == "-0.05")
        #expect(throws: ModelError.self) { try Money(parsing: "-0", currency: .usd, allowNegative: true) }
        #expect(try Money(minorUnits: -123_456, currency: Self.kwd).description == "-123.456")
    }

    @Test func arithmeticIsCheckedNeverWraps() throws {
        let a = Money(minorUnits: 150, currency: .usd)
        #expect(try a.adding(Money(minorUnits: -200, currency: .usd)).description == "-0.50")
        #expect(try a.negated().minorUnits == -150)
        #expect(throws: ModelError.self) { try a.adding(Money(minorUnits: 1, currency: Self.jpy)) }
        #expect(throws: ModelError.self) {
            try Money(minorUnits: .max, currency: .usd).adding(Money(minorUnits: 1, currency: .usd))
        }
        #expect(throws: ModelError.self) { try Money(minorUnits: .min, currency: .usd).negated() }
        let many = Array(repeating: Money(minorUnits: 333, currency: .usd), count: 3)
        #expect(try Money.sum(many, currency: .usd).description == "9.99")
    }

    @Test func currencyCodes() throws {
        #expect(try CurrencyCode("eur").code == "EUR")
        #expect(try CurrencyCode("EUR").minorDigits == 2)
        #expect(Self.jpy.minorDigits == 0 && Self.kwd.minorDigits == 3)
        for bad in ["", "EU", "EURO", "E1R", "€UR", "US$"] {
            #expect(throws: ModelError.self, "\(bad)") { try CurrencyCode(bad) }
        }
    }

    @Test(
        "quantities and percentages",
        arguments: [
            ("3", "3"), ("2.5", "2.5"), ("0.0001", "0.0001"), ("2.50", "2.5"), ("1000000", "1000000"),
        ]
    )
    func quantities(_ text: String, _ printed: String) throws {
        #expect(try Quantity(parsing: text).description == printed)
    }

    @Test(arguments: ["0", "0.00001", "-1", "2,5", "", "1e2", "½"])
    func badQuantities(_ text: String) {
        #expect(throws: ModelError.self) { try Quantity(parsing: text) }
    }

    @Test func percentages() throws {
        #expect(try Percentage(parsing: "10%").tenThousandths == 100_000)
        #expect(try Percentage(parsing: "8.25").description == "8.25%")
        #expect(try Percentage(parsing: "100%") == .whole)
        #expect(try Percentage(parsing: "0%") == .zero)
        for bad in ["101%", "-5%", "%", "10%%", "1e1%", "12,5%", "", "8.123456%"] {
            #expect(throws: ModelError.self, "\(bad)") { try Percentage(parsing: bad) }
        }
    }
}
