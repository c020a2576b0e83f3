/// A customer's credit rating (`A`–`E`) and risk (`low`, `medium`, `high`), computed from the
/// ledger and the date alone, so that every node shows the same (docs/CREDIT.md).
///
/// The formula adds points for three things, each capped:
/// - **lateness** — of the invoices due by the date, the share whose open amount stayed above
///   zero more than 30 days past due (delinquent): up to 40 points, `⌈40 × delinquent / due⌉`;
/// - **overdue balance** — what is open more than 60 days past due, against what was invoiced
///   in the 365 days to the date: up to 30 points, `⌈30 × min(1, over60 / invoiced)⌉` (30 when
///   something is that overdue and nothing was invoiced in the year);
/// - **broken promises** — 15 points each, up to 30.
///
/// The rating is `A` up to 5 points, `B` up to 15, `C` up to 35, `D` up to 60, `E` above; the
/// risk is low for A and B, medium for C, high for D and E. Guarantee (tested as a property):
/// more delinquent invoices, more overdue balance or more broken promises — every other input
/// the same — never give a better rating.
public struct CreditRating: Hashable, Sendable {
    /// What the rating is computed from.
    public struct Inputs: Hashable, Sendable {
        /// Invoices dated and due on or before the date.
        public var invoicesDue: Int
        /// Of those, the delinquent ones (``PaymentStatistics/timesDelinquent``).
        public var delinquent: Int
        /// Open more than 60 days past due, minor units.
        public var overdue60: Int64
        /// Invoiced in the 365 days up to the date, minor units.
        public var invoicedInYear: Int64
        /// Promises broken by the date.
        public var brokenPromises: Int

        public init(invoicesDue: Int, delinquent: Int, overdue60: Int64, invoicedInYear: Int64, brokenPromises: Int) {
            self.invoicesDue = invoicesDue
            self.delinquent = delinquent
            self.overdue60 = overdue60
            self.invoicedInYear = invoicedInYear
            self.brokenPromises = brokenPromises
        }
    }

    public let points: Int
    /// `A` (best) … `E`.
    public let rating: String
    /// `low`, `medium` or `high`.
    public let risk: String
    public let latenessPoints: Int
    public let overduePoints: Int
    public let promisePoints: Int

    public init(_ inputs: Inputs) {
        let due = max(0, inputs.invoicesDue)
        let delinquent = min(max(0, inputs.delinquent), due)
        latenessPoints = due == 0 ? 0 : Self.ceilingFraction(40 * delinquent, due)
        if inputs.overdue60 <= 0 {
            overduePoints = 0
        } else if inputs.invoicedInYear <= 0 || inputs.overdue60 >= inputs.invoicedInYear {
            overduePoints = 30
        } else {
            // ⌈30 × over60 / invoiced⌉ without overflow: both below 10^15 minor units.
            let scaled = inputs.overdue60.multipliedReportingOverflow(by: 30)
            overduePoints =
                scaled.overflow
                ? 30 : Int((scaled.partialValue + inputs.invoicedInYear - 1) / inputs.invoicedInYear)
        }
        promisePoints = min(30, 15 * max(0, inputs.brokenPromises))
        points = latenessPoints + overduePoints + promisePoints
        switch points {
        case ...5: rating = "A"
        case ...15: rating = "B"
        case ...35: rating = "C"
        case ...60: rating = "D"
        default: rating = "E"
        }
        switch rating {
        case "A", "B": risk = "low"
        case "C": risk = "medium"
        default: risk = "high"
        }
    }

    private static func ceilingFraction(_ numerator: Int, _ denominator: Int) -> Int {
        (numerator + denominator - 1) / denominator
    }
}
