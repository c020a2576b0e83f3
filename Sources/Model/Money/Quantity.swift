/// A quantity on a line — `3`, `2.5`, `0.125` — exact, with at most four decimals.
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Decimals a quantity may have.
    public static let maxDecimals = 4
    /// The quantity × 10^4: 2.5 is 25000.
    public let tenThousandths: Int64

    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// A whole number of units.
    public init(_ units: Int) { tenThousandths = Int64(units) * 10_000 }

    /// Reads `3`, `2.5`, `0.125`: more than zero, at most four decimals; anything else (`0`,
    /// `-1`, `2,5`, `1e3`, ``) is refused with a line naming the text.
    public init(parsing text: String) throws {
        let value = try ExactDecimal.parse(
            text,
            scale: Self.maxDecimals,
            maxFraction: Self.maxDecimals,
            allowNegative: false,
            what: "a quantity"
        )
        guard value > 0 else { throw ModelError(.invalidValue, "'\(text)' is not a quantity: it must be more than 0") }
        tenThousandths = value
    }

    /// As few decimals as it needs: `3`, `2.5`.
    public var description: String { ExactDecimal.formatShortest(tenThousandths, scale: Self.maxDecimals) }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.tenThousandths < rhs.tenThousandths }
}
