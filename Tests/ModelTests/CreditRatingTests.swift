import Model
import Testing

/// The rating's formula (docs/CREDIT.md) and the means of the payment statistics.
@Suite("Credit rating and payment statistics")
struct CreditRatingTests {
    static let order = ["A", "B", "C", "D", "E"]

    @Test(
        "means to one decimal, half away from zero",
        arguments: [
            (92, 2, "46.0"), (43, 2, "21.5"), (1, 3, "0.3"), (2, 3, "0.7"), (1, 20, "0.1"), (1, 21, "0.0"),
            (-1, 20, "-0.1"), (-3, 2, "-1.5"), (5, 4, "1.3"), (0, 7, "0.0"), (365, 1, "365.0"),
        ]
    )
    func mean(_ sum: Int, _ count: Int, _ expected: String) {
        #expect(PaymentStatistics.mean(sum, count) == expected)
    }

    @Test func noInvoicePaidHasNoMean() {
        #expect(PaymentStatistics.mean(0, 0) == nil)
    }

    @Test func thresholdsAndRisk() {
        func rating(_ due: Int, _ delinquent: Int, _ over: Int64, _ invoiced: Int64, _ broken: Int) -> CreditRating {
            CreditRating(
                .init(
                    invoicesDue: due,
                    delinquent: delinquent,
                    overdue60: over,
                    invoicedInYear: invoiced,
                    brokenPromises: broken
                )
            )
        }
        #expect(rating(0, 0, 0, 0, 0).rating == "A" && rating(0, 0, 0, 0, 0).risk == "low")
        // ⌈40 × 2 / 3⌉ = 27, ⌈30 × 100 / 600⌉ = 5, 15: 47.
        let worked = rating(3, 2, 10_000, 60_000, 1)
        #expect(worked.points == 47 && worked.rating == "D" && worked.risk == "high")
        #expect(rating(10, 1, 0, 0, 0).points == 4 && rating(10, 1, 0, 0, 0).rating == "A")
        #expect(rating(10, 3, 0, 0, 0).rating == "B")
        #expect(rating(0, 0, 0, 0, 2).points == 30 && rating(0, 0, 0, 0, 2).rating == "C")
        #expect(rating(0, 0, 0, 0, 5).promisePoints == 30)
        #expect(rating(0, 0, 1, 0, 0).overduePoints == 30)
        #expect(rating(4, 4, 1, 1, 2).rating == "E" && rating(4, 4, 1, 1, 2).risk == "high")
    }

    /// More delinquent invoices, more overdue balance or more broken promises — the rest the
    /// same — never give a better rating (20,000 random pairs).
    @Test func theRatingIsMonotone() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let due = Int.random(in: 0...40, using: &rng)
            let inputs = CreditRating.Inputs(
                invoicesDue: due,
                delinquent: Int.random(in: 0...due, using: &rng),
                overdue60: Int64.random(in: 0...1_000_000, using: &rng),
                invoicedInYear: Int64.random(in: 0...2_000_000, using: &rng),
                brokenPromises: Int.random(in: 0...4, using: &rng)
            )
            var worse = inputs
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: worse.delinquent = min(due, inputs.delinquent + Int.random(in: 1...3, using: &rng))
            case 1: worse.overdue60 += Int64.random(in: 1...500_000, using: &rng)
            default: worse.brokenPromises += 1
            }
            let before = CreditRating(inputs)
            let after = CreditRating(worse)
            #expect(after.points >= before.points, "\(inputs) → \(worse)")
            #expect(
                Self.order.firstIndex(of: after.rating)! >= Self.order.firstIndex(of: before.rating)!,
                "\(inputs) → \(worse)"
            )
        }
    }
}
