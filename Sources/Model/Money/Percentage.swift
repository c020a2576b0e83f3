/// A percentage — a discount or a tax rate — exact, with at most four decimals: `10%`, `8.25%`.
public struct Percentage: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Decimals a percentage may have.
    public static let maxDecimals = 4
    /// The percentage × 10^4: 8.25 % is 82500.
    public let tenThousandths: Int64

    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    public static let zero = Percentage(tenThousandths: 0)
    /// 100 %.
    public static let whole = Percentage(tenThousandths: 1_000_000)

    /// Reads `10`, `10%`, `8.25%`: from 0 to `maximum`, at most four decimals; anything else is
    /// refused with a line naming the text.
    public init(parsing text: String, maximum: Percentage = .whole) throws {
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        let value = try ExactDecimal.parse(
            number,
            scale: Self.maxDecimals,
            maxFraction: Self.maxDecimals,
            allowNegative: false,
            what: "a percentage"
        )
        guard value <= maximum.tenThousandths else {
            throw ModelError(.invalidValue, "'\(text)' is not a percentage here: at most \(maximum)")
        }
        tenThousandths = value
    }

    /// `10%`, `8.25%`.
    public var description: String { ExactDecimal.formatShortest(tenThousandths, scale: Self.maxDecimals) + "%" }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.tenThousandths < rhs.tenThousandths }

    /// `amount` × this percentage, rounded half away from zero to the minor unit.
    public func of(_ amount: Money) throws -> Money {
        let exact = Int128(amount.minorUnits) * Int128(tenThousandths)
        return try LineAmounts.money(ExactDecimal.roundedQuotient(exact, 1_000_000), amount.currency)
    }
}
