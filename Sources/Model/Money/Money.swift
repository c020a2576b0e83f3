/// An exact amount of one currency, in its minor units (cents): never a `Double`.
///
/// Written and read as the contract says — a string with the currency's minor digits,
/// `"1234.50"`, `"-3.00"`, `"1234"` for `JPY`. Arithmetic is checked: adding amounts of two
/// currencies, or past ±9.2 × 10^18 minor units, throws instead of wrapping or trapping.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The amount in minor units: 123450 is 1234.50 USD.
    public let minorUnits: Int64
    public let currency: CurrencyCode

    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero of `currency`.
    public static func zero(_ currency: CurrencyCode) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Reads an amount: digits, an optional point and at most the currency's minor digits, an
    /// optional leading `-` when `allowNegative`. Refused with ``ModelError/Code/invalidValue``
    /// and a line naming the text: `""`, `"12,50"`, `"1e3"`, `"-0"`, `"+5"`, `" 5"`, `".5"`,
    /// `"5."`, `"1.005"` (USD), and amounts beyond 64 bits of minor units.
    public init(parsing text: String, currency: CurrencyCode, allowNegative: Bool = false) throws {
        minorUnits = try ExactDecimal.parse(
            text,
            scale: currency.minorDigits,
            maxFraction: currency.minorDigits,
            allowNegative: allowNegative,
            what: "an amount in \(currency)"
        )
        self.currency = currency
    }

    /// Checks a price written before its currency is known (the price list's): a non-negative
    /// decimal with at most four digits after the point. A document reads it as ``Money`` in
    /// its own currency, which may allow fewer.
    public static func checkPrice(_ text: String) throws {
        _ = try ExactDecimal.parse(text, scale: 4, maxFraction: 4, allowNegative: false, what: "a price")
    }

    /// This amount × `numerator` ÷ `denominator` (> 0), rounded half away from zero to the minor
    /// unit: a credit note's net in its invoice's proportion. Exact in 128 bits.
    public func proportion(_ numerator: Int64, of denominator: Int64) throws -> Money {
        precondition(denominator > 0, "a proportion of nothing")
        return try LineAmounts.money(
            ExactDecimal.roundedQuotient(Int128(minorUnits) * Int128(numerator), Int128(denominator)),
            currency
        )
    }

    /// The amount as the contract writes it: `"1234.50"`, with exactly the minor digits.
    public var description: String {
        ExactDecimal.format(minorUnits, scale: currency.minorDigits, fractionDigits: currency.minorDigits)
    }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.currency == rhs.currency ? lhs.minorUnits < rhs.minorUnits : lhs.currency < rhs.currency
    }

    /// The sum; throws for two currencies or an overflow.
    public func adding(_ other: Money) throws -> Money {
        try sameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw ModelError(.invalidValue, "\(self) + \(other) \(currency) is too large") }
        return Money(minorUnits: sum, currency: currency)
    }

    /// The difference; throws for two currencies or an overflow.
    public func subtracting(_ other: Money) throws -> Money {
        try sameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw ModelError(.invalidValue, "\(self) − \(other) \(currency) is too large") }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The amount with the other sign.
    public func negated() throws -> Money { try Money.zero(currency).subtracting(self) }

    /// The sum of `amounts` (zero of `currency` when there are none).
    public static func sum(_ amounts: some Sequence<Money>, currency: CurrencyCode) throws -> Money {
        try amounts.reduce(Money.zero(currency)) { try $0.adding($1) }
    }

    private func sameCurrency(_ other: Money) throws {
        guard currency == other.currency else {
            throw ModelError(.invalidValue, "amounts in \(currency) and \(other.currency) do not add up")
        }
    }
}
