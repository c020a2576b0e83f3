import Foundation
import GRDB
import Model
import Replication

/// Workload W2 (../shared/bench/W2.md), the ledger: a price list, invoices, credit notes,
/// payments and reversals over W1's customers, written through the replica's one write API as a
/// user's commands would write them. Seeded (seed 2) and deterministic: the same customers in
/// the same order give the same documents, amounts and dates (the ids differ, as every write's).
///
/// For N customers (10,000 by default):
/// - 500 items `P-0000` … `P-0499`, priced 1.00–500.00, tax 0 %, 5 % or 8.25 %;
/// - 20 invoices a customer, dated over the 1,095 days before 2026-11-30, each of 1–5 lines of
///   distinct random items, quantity 1–20, line discount 0 % or 10 %; terms `net 30` (80 %) or
///   `2/10 net 30`;
/// - N credit notes on distinct random invoices, 5–50 % of the total, 0–30 days after issue;
/// - 25 payments a customer (250,000 at N = 10,000), each applied explicitly to one invoice:
///   85 % of the invoices are paid in full, 70 % of those in one payment and 30 % in two; the
///   method check, card, ach or wire, a reference on each; paid 0–120 days after issue, skewed
///   early (120 × u² days); of the one-payment invoices on `2/10 net 30`, 2 % take the
///   discount, paying within the 10 days. W2.md's shares give 22.1 payments a customer; the
///   other 2.9 pay part (10–90 %) of invoices not paid in full, so that the count is W2.md's;
/// - N / 10 reversals (1,000 at N = 10,000) of random check payments (bounced), 3–14 days
///   after the payment.
///
/// No date is after 2026-11-30 (a later one is moved to it), so the book is complete as of
/// that day.
public enum W2Workload {
    /// The day the book ends (the reports' as-of date): 2026-11-30.
    public static let end = BusinessDate(daysSinceEpoch: 20_787)
    public static let seed: UInt64 = 2
    public static let itemCount = 500
    public static let invoicesPerCustomer = 20
    public static let paymentsPerCustomer = 25

    /// What was written.
    public struct Counts: Sendable, Hashable {
        public var items = 0
        public var invoices = 0
        public var invoiceLines = 0
        public var creditNotes = 0
        public var payments = 0
        public var applications = 0
        public var discounts = 0
        public var reversals = 0
    }

    /// Writes W2 over `customers` (W1's, in the order W1 made them), `chunk` documents a
    /// transaction; `progress` hears each step.
    public static func write(
        into replica: Replica,
        customers: [EntityID],
        chunk: Int = 5_000,
        progress: (String) -> Void = { _ in }
    ) throws -> Counts {
        var random = SplitMix64(seed: seed)
        var counts = Counts()
        let currency = try replica.currency()

        // The price list.
        progress("\(itemCount) items")
        try replica.write { writer in
            for k in 0..<itemCount {
                let cents = random.int(100...50_000)
                _ = try writer.addItem(
                    part: part(k),
                    description: "Item \(k)",
                    price: Money(minorUnits: Int64(cents), currency: currency).description,
                    tax: ["0", "5", "8.25"][random.int(0...2)],
                    unit: nil
                )
            }
        }
        counts.items = itemCount

        // The invoices, planned first (so the draws do not depend on the chunking).
        var invoices: [PlannedInvoice] = []
        invoices.reserveCapacity(customers.count * invoicesPerCustomer)
        for customer in customers.indices {
            for _ in 0..<invoicesPerCustomer {
                let date = end.adding(days: -random.int(1...1_095))
                var parts = Set<Int>()
                let lineCount = random.int(1...5)
                while parts.count < lineCount { parts.insert(random.int(0...(itemCount - 1))) }
                let lines = parts.sorted().map { k in
                    LineRequest(
                        part: part(k),
                        quantity: Quantity(random.int(1...20)),
                        discount: random.int(0...1) == 0 ? .zero : Percentage(tenThousandths: 100_000)
                    )
                }
                let discounted = random.int(1...100) > 80
                invoices.append(PlannedInvoice(customer: customer, date: date, lines: lines, earlyDiscount: discounted))
            }
        }
        let net30 = PaymentTerms(netDays: 30)
        let twoTen = try PaymentTerms(parsing: "2/10 net 30")
        for range in chunks(invoices.count, chunk) {
            progress("invoices \(range.lowerBound + 1)–\(range.upperBound) of \(invoices.count)")
            try replica.write { writer in
                for index in range {
                    let plan = invoices[index]
                    let issued = try writer.addInvoice(
                        customer: customers[plan.customer],
                        source: .lines(plan.lines),
                        date: plan.date,
                        terms: plan.earlyDiscount ? twoTen : net30,
                        salesperson: nil,
                        notes: nil
                    )
                    invoices[index].id = issued.id
                }
            }
        }
        counts.invoices = invoices.count
        counts.invoiceLines = invoices.reduce(0) { $0 + $1.lines.count }
        let totals = try replica.read { db in
            var totals: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, total FROM invoices") { totals[row[0]] = row[1] }
            return totals
        }
        for index in invoices.indices { invoices[index].total = totals[invoices[index].id!.description] ?? 0 }

        // Credit notes, on distinct random invoices.
        let creditCount = customers.count
        let credited = random.sample(invoices.count, creditCount)
        let reasons = ["returned goods", "damaged in transit", "pricing error", "goodwill"]
        var credits: [(invoice: Int, amount: Int64, date: BusinessDate, reason: String)] = []
        for index in credited {
            let share = Int64(random.int(5...50))
            let amount = max(1, invoices[index].total * share / 100)
            let date = min(end, invoices[index].date.adding(days: random.int(0...30)))
            credits.append((index, amount, date, reasons[random.int(0...(reasons.count - 1))]))
            invoices[index].credited = amount
        }
        for range in chunks(credits.count, chunk) {
            progress("credit notes \(range.lowerBound + 1)–\(range.upperBound) of \(credits.count)")
            try replica.write { writer in
                for credit in credits[range] {
                    _ = try writer.addCreditNote(
                        invoice: invoices[credit.invoice].id!.description,
                        amount: Money(minorUnits: credit.amount, currency: currency),
                        lines: [],
                        reason: credit.reason,
                        date: credit.date
                    )
                }
            }
        }
        counts.creditNotes = credits.count

        // Payments: which invoices are paid in full, in one or two payments, and which in part.
        let order = random.sample(invoices.count, invoices.count)
        let paidInFull = invoices.count * 85 / 100
        let inTwo = paidInFull * 30 / 100
        let target = customers.count * paymentsPerCustomer
        let inPart = max(0, min(invoices.count - paidInFull, target - paidInFull - inTwo))
        var payments: [PlannedPayment] = []
        payments.reserveCapacity(target)
        let methods = ["check", "card", "ach", "wire"]
        func payment(_ index: Int, _ amount: Int64, _ delay: Int, discount: Int64 = 0) -> PlannedPayment {
            let method = methods[random.int(0...3)]
            let reference: String
            switch method {
            case "check": reference = "check \(random.int(1_000...99_999))"
            case "card": reference = "card ****\(String(format: "%04d", random.int(0...9_999)))"
            case "ach": reference = "ach trace \(random.int(100_000_000...999_999_999))"
            default: reference = "wire \(String(format: "%08d", random.int(0...99_999_999)))"
            }
            return PlannedPayment(
                invoice: index,
                amount: amount,
                discount: discount,
                date: min(end, invoices[index].date.adding(days: delay)),
                method: method,
                reference: reference
            )
        }
        for (position, index) in order.enumerated() {
            let invoice = invoices[index]
            let open = invoice.total - invoice.credited
            guard open > 0 else { continue }
            if position < paidInFull - inTwo {
                if invoice.earlyDiscount, random.int(1...100) <= 2 {
                    let discount = try twoTen.maximumDiscount(on: Money(minorUnits: invoice.total, currency: currency))
                        .minorUnits
                    let amount = open - discount
                    if amount > 0 {
                        payments.append(payment(index, amount, random.int(0...10), discount: discount))
                        counts.discounts += 1
                        continue
                    }
                }
                payments.append(payment(index, open, skewedDelay(&random)))
            } else if position < paidInFull {
                let first = max(1, open * Int64(random.int(20...80)) / 100)
                let delays = [skewedDelay(&random), skewedDelay(&random)].sorted()
                payments.append(payment(index, first, delays[0]))
                if open - first > 0 { payments.append(payment(index, open - first, delays[1])) }
            } else if position < paidInFull + inPart {
                let part = max(1, open * Int64(random.int(10...90)) / 100)
                payments.append(payment(index, part, skewedDelay(&random)))
            }
        }
        var paymentIDs: [EntityID] = []
        paymentIDs.reserveCapacity(payments.count)
        for range in chunks(payments.count, chunk) {
            progress("payments \(range.lowerBound + 1)–\(range.upperBound) of \(payments.count)")
            try replica.write { writer in
                for plan in payments[range] {
                    let discount = plan.discount > 0 ? Money(minorUnits: plan.discount, currency: currency) : nil
                    let recorded = try writer.addPayment(
                        customer: customers[invoices[plan.invoice].customer],
                        amount: Money(minorUnits: plan.amount, currency: currency).description,
                        method: plan.method,
                        reference: plan.reference,
                        date: plan.date,
                        applications: [
                            ApplicationRequest(
                                invoice: invoices[plan.invoice].id!.description,
                                amount: Money(minorUnits: plan.amount, currency: currency).description,
                                discount: discount?.description
                            )
                        ]
                    )
                    paymentIDs.append(recorded.id)
                }
            }
        }
        counts.payments = payments.count
        counts.applications = payments.count

        // Reversals: bounced checks (any payment when there are too few checks).
        let checks = payments.indices.filter { payments[$0].method == "check" }
        let reversalCount = customers.count / 10
        let pool = checks.count >= reversalCount ? checks : Array(payments.indices)
        let bounced = random.sample(pool.count, min(reversalCount, pool.count)).map { pool[$0] }
        for range in chunks(bounced.count, chunk) {
            progress("reversals \(range.lowerBound + 1)–\(range.upperBound) of \(bounced.count)")
            try replica.write { writer in
                for index in bounced[range] {
                    _ = try writer.reversePayment(
                        paymentIDs[index].description,
                        reason: "bounced check",
                        date: min(end, payments[index].date.adding(days: random.int(3...14)))
                    )
                }
            }
        }
        counts.reversals = bounced.count
        return counts
    }

    /// The part of item k: `P-0042`.
    public static func part(_ k: Int) -> String { "P-" + String(format: "%04d", k) }

    /// 0–120 days, skewed early: 120 × u² for u uniform in [0, 1).
    private static func skewedDelay(_ random: inout SplitMix64) -> Int {
        let u = random.unit()
        return Int(120 * u * u)
    }

    private static func chunks(_ count: Int, _ size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: max(1, size)).map { $0..<min($0 + max(1, size), count) }
    }

    private struct PlannedInvoice {
        let customer: Int
        let date: BusinessDate
        let lines: [LineRequest]
        /// Terms `2/10 net 30` (else `net 30`).
        let earlyDiscount: Bool
        var id: EntityID?
        var total: Int64 = 0
        var credited: Int64 = 0
    }

    private struct PlannedPayment {
        let invoice: Int
        let amount: Int64
        let discount: Int64
        let date: BusinessDate
        let method: String
        let reference: String
    }
}

/// SplitMix64: a small seeded generator whose draws are the same on every platform and
/// release (the standard library's `random(in:using:)` does not promise that).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range` (the modulo bias is below 10⁻¹⁰ for these ranges).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// A number in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// `k` distinct numbers of `0..<n`, in a random order (a partial Fisher–Yates shuffle).
    mutating func sample(_ n: Int, _ k: Int) -> [Int] {
        var values = Array(0..<n)
        let k = min(k, n)
        for i in 0..<k {
            let j = int(i...(n - 1))
            values.swapAt(i, j)
        }
        return Array(values[0..<k])
    }
}
