/// The contract's rounding of a document line, exactly.
///
/// - net = quantity × unit price × (1 − discount %), rounded half away from zero to the minor
///   unit;
/// - tax = net × tax rate, rounded the same way;
/// - a document's subtotal, tax and total are the sums of its lines' rounded figures
///   (``DocumentTotals``).
///
/// Products are formed in 128 bits, so no intermediate overflows; a rounded figure beyond 64
/// bits of minor units throws.
public struct LineAmounts: Hashable, Sendable {
    public let net: Money
    public let tax: Money

    /// The line's gross amount: net + tax.
    public var gross: Money { Money(minorUnits: net.minorUnits + tax.minorUnits, currency: net.currency) }

    public init(quantity: Quantity, unitPrice: Money, discount: Percentage = .zero, taxRate: Percentage = .zero) throws
    {
        // quantity (×10^4) × price (minor) × (100 % − discount) (×10^4 of a percent, ÷ 100 %).
        let exact =
            Int128(quantity.tenThousandths) * Int128(unitPrice.minorUnits)
            * Int128(Percentage.whole.tenThousandths - discount.tenThousandths)
        let net = try Self.money(
            ExactDecimal.roundedQuotient(exact, 10_000 * Int128(Percentage.whole.tenThousandths)),
            unitPrice.currency
        )
        self.net = net
        self.tax = try taxRate.of(net)
        guard net.minorUnits.addingReportingOverflow(tax.minorUnits).overflow == false else {
            throw ModelError(.invalidValue, "the line's amount is too large")
        }
    }

    static func money(_ minorUnits: Int128, _ currency: CurrencyCode) throws -> Money {
        guard let value = Int64(exactly: minorUnits) else {
            throw ModelError(.invalidValue, "the amount is too large")
        }
        return Money(minorUnits: value, currency: currency)
    }
}

/// A document's figures: the sums of its lines' rounded figures.
public struct DocumentTotals: Hashable, Sendable {
    public let subtotal: Money
    public let tax: Money
    public let total: Money

    public init(lines: [LineAmounts], currency: CurrencyCode) throws {
        subtotal = try Money.sum(lines.map(\.net), currency: currency)
        tax = try Money.sum(lines.map(\.tax), currency: currency)
        total = try subtotal.adding(tax)
    }
}
