import Foundation
import Model
import Testing

@testable import Replication

/// The rating's monotonicity over whole ledgers, through the replica (SQL and formula): a
/// seeded ledger of invoices, payments and promises is written twice — as drawn, and with one
/// payment made later (or one promise made impossible to keep) — and rated as of one date.
///
/// - Making a payment later never lowers the lateness or overdue points, and never improves the
///   rating unless, by the contract's definition of a kept promise, it moved into a promise's
///   window and kept a promise that was broken (then the promise points fall, and only they).
/// - Making a promise one that cannot be kept (its amount a hundredfold) never improves it.
///
/// `RATING_SEEDS` sets how many seeds run (default 80), `RATING_SEED` runs one, `RATING_STATS=1`
/// prints how many moves changed a rating.
@Suite("Credit rating: monotone over whole ledgers")
struct RatingMonotonicityTests {
    static let start = BusinessDate(daysSinceEpoch: 20_454)  // 2026-01-01
    static let asOf = BusinessDate(daysSinceEpoch: 20_454 + 333)  // 2026-11-30

    struct Payment {
        var invoice: Int
        var cents: Int64
        var day: Int
    }

    struct Promise {
        var day: Int
        var by: Int
        var cents: Int64
    }

    struct Ledger {
        var invoices: [(day: Int, units: Int)] = []
        var payments: [Payment] = []
        var promises: [Promise] = []
    }

    static func draw(_ random: inout SeededRandom) -> Ledger {
        var ledger = Ledger()
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            ledger.invoices.append((Int.random(in: 0...300, using: &random), Int.random(in: 1...20, using: &random)))
        }
        for (index, invoice) in ledger.invoices.enumerated() where Int.random(in: 0..<10, using: &random) < 7 {
            let total = Int64(invoice.units) * 10_000
            let parts = Int.random(in: 1...2, using: &random)
            for part in 0..<parts {
                let cents = parts == 1 ? total : (part == 0 ? total / 2 : total - total / 2)
                let day = min(333, invoice.day + Int.random(in: 0...150, using: &random))
                ledger.payments.append(Payment(invoice: index, cents: cents, day: day))
            }
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let day = Int.random(in: 0...320, using: &random)
            ledger.promises.append(
                Promise(
                    day: day,
                    by: day + Int.random(in: 0...40, using: &random),
                    cents: Int64.random(in: 1...20, using: &random) * 5_000
                )
            )
        }
        return ledger
    }

    /// The ledger written on a new replica; its credit tab as of ``asOf``.
    static func rate(_ ledger: Ledger) throws -> CreditTab {
        let fixture = ReplicaFixture()
        let replica = try fixture.node(1)
        let customer = try replica.write { writer -> EntityID in
            _ = try writer.addItem(part: "W", description: "Widget", price: "100.00", tax: nil, unit: nil)
            let customer = try writer.createCustomer(name: "Acme Ltd")
            var numbers: [String] = []
            for invoice in ledger.invoices {
                numbers.append(
                    try writer.addInvoice(
                        customer: customer,
                        source: .lines([
                            LineRequest(part: "W", quantity: Quantity(tenThousandths: Int64(invoice.units) * 10_000))
                        ]),
                        date: start.adding(days: invoice.day),
                        terms: nil,
                        salesperson: nil,
                        notes: nil
                    ).number
                )
            }
            for payment in ledger.payments.sorted(by: { $0.day < $1.day }) {
                let amount = Money(minorUnits: payment.cents, currency: .usd).description
                _ = try writer.addPayment(
                    customer: customer,
                    amount: amount,
                    method: "check",
                    reference: nil,
                    date: start.adding(days: payment.day),
                    applications: [ApplicationRequest(invoice: numbers[payment.invoice], amount: amount)]
                )
            }
            for promise in ledger.promises {
                _ = try writer.addPromise(
                    customer: customer,
                    amount: Money(minorUnits: promise.cents, currency: .usd).description,
                    by: start.adding(days: promise.by),
                    date: start.adding(days: promise.day),
                    contact: nil,
                    invoice: nil,
                    notes: nil
                )
            }
            return customer
        }
        return try replica.creditTab(customer: customer, asOf: asOf)
    }

    static func brokenPromises(_ tab: CreditTab) -> Set<Int> {
        Set(tab.promises.enumerated().filter { $0.element.status == "broken" }.map(\.offset))
    }

    @Test func aLaterPaymentOrABrokenPromiseNeverImprovesTheRating() throws {
        let environment = ProcessInfo.processInfo.environment
        let seeds: [UInt64] =
            environment["RATING_SEED"].flatMap(UInt64.init).map { [$0] }
            ?? Array(0..<(environment["RATING_SEEDS"].flatMap(UInt64.init) ?? 80))
        var keptByAMove = 0
        var worsened = 0
        for seed in seeds {
            var random = SeededRandom(seed: seed)
            let ledger = Self.draw(&random)
            let before = try Self.rate(ledger)

            if !ledger.payments.isEmpty {
                var later = ledger
                let index = Int.random(in: 0..<later.payments.count, using: &random)
                later.payments[index].day = min(333, later.payments[index].day + Int.random(in: 1...90, using: &random))
                let after = try Self.rate(later)
                #expect(after.rating.latenessPoints >= before.rating.latenessPoints, "seed \(seed): lateness")
                #expect(after.rating.overduePoints >= before.rating.overduePoints, "seed \(seed): overdue")
                // Promises are matched by position: both ledgers write them in one order, and
                // the tab lists them by date, then id (ids grow in writing order).
                let keptNow = Self.brokenPromises(before).subtracting(Self.brokenPromises(after))
                if keptNow.isEmpty {
                    #expect(
                        after.rating.points >= before.rating.points,
                        "seed \(seed): a later payment improved the rating"
                    )
                    #expect(after.rating.rating >= before.rating.rating, "seed \(seed)")
                } else {
                    keptByAMove += 1
                    #expect(after.rating.promisePoints < before.rating.promisePoints, "seed \(seed)")
                }
                if after.rating.points > before.rating.points { worsened += 1 }
            }

            if !ledger.promises.isEmpty {
                var broken = ledger
                let index = Int.random(in: 0..<broken.promises.count, using: &random)
                broken.promises[index].cents *= 100
                let after = try Self.rate(broken)
                #expect(
                    after.rating.points >= before.rating.points,
                    "seed \(seed): a broken promise improved the rating"
                )
                #expect(after.rating.rating >= before.rating.rating, "seed \(seed)")
                #expect(after.rating.promisePoints >= before.rating.promisePoints, "seed \(seed)")
            }
        }
        if environment["RATING_STATS"] != nil {
            print(
                "rating monotonicity: \(seeds.count) seeds, \(worsened) later payments worsened the rating, \(keptByAMove) kept a promise"
            )
        }
        // The property is not vacuous: some later payments made the rating worse.
        if seeds.count >= 50 {
            #expect(worsened > 0, "no later payment changed any rating (kept by a move: \(keptByAMove))")
        }
    }
}
