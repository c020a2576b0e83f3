/// A customer's payment performance as of a date (`../shared/contract/business.md`,
/// "Days to pay"): computed by the replica in SQL, presented here.
public struct PaymentStatistics: Hashable, Sendable {
    /// Invoices that payments settled (their open amount reached zero, not by credit notes alone).
    public let invoicesPaid: Int
    /// Days from issue to the settling payment: the least and the most; `nil` when none was paid.
    public let minDaysToPay: Int?
    public let maxDaysToPay: Int?
    /// The sums the averages are made of (days to pay; days late, never negative).
    public let totalDaysToPay: Int
    public let totalDaysLate: Int
    /// Invoices settled after their due date.
    public let timesLate: Int
    /// Invoices whose open amount stayed above zero more than 30 days past due: settled more
    /// than 30 days after the due date, or still open with the as-of date more than 30 days
    /// past it.
    public let timesDelinquent: Int

    public init(
        invoicesPaid: Int,
        minDaysToPay: Int?,
        maxDaysToPay: Int?,
        totalDaysToPay: Int,
        totalDaysLate: Int,
        timesLate: Int,
        timesDelinquent: Int
    ) {
        self.invoicesPaid = invoicesPaid
        self.minDaysToPay = minDaysToPay
        self.maxDaysToPay = maxDaysToPay
        self.totalDaysToPay = totalDaysToPay
        self.totalDaysLate = totalDaysLate
        self.timesLate = timesLate
        self.timesDelinquent = timesDelinquent
    }

    /// The mean days to pay, one decimal, half away from zero (`"12.5"`); `nil` when none was paid.
    public var averageDaysToPay: String? { Self.mean(totalDaysToPay, invoicesPaid) }
    /// The mean of days late (0 for one paid on time), likewise.
    public var averageDaysLate: String? { Self.mean(totalDaysLate, invoicesPaid) }

    /// `sum / count` to one decimal, rounded half away from zero, exactly (integers only).
    public static func mean(_ sum: Int, _ count: Int) -> String? {
        guard count > 0 else { return nil }
        let tenths = sum * 10
        var quotient = tenths / count
        let remainder = tenths % count
        // Half away from zero: compare twice the remainder with the divisor.
        if 2 * abs(remainder) >= count { quotient += tenths < 0 ? -1 : 1 }
        let sign = quotient < 0 ? "-" : ""
        let magnitude = abs(quotient)
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
