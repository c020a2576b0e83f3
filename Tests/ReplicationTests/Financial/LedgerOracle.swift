/// An independent model of the ledger, written from the contract's definitions
/// (`business.md`, "Financial": money and rounding, terms, definitions) and the product's
/// interpretation of their gaps — not from the code under test.
///
/// Amounts are integers of cents, percentages integers of ten-thousandths of a percent (8.25 %
/// is 82_500), quantities integers of ten-thousandths (2.5 is 25_000), dates integers of days.
/// Ids and numbers are compared as the bytes of their text.
struct LedgerOracle {
    // MARK: Records

    struct Terms: Hashable {
        var netDays: Int
        /// The early-payment discount in ten-thousandths of a percent, or nil.
        var discount: Int64?
        var discountDays: Int?

        /// `net 30`, `2/10 net 30`, `1.5/15 net 45`.
        var text: String {
            guard let discount, let discountDays else { return "net \(netDays)" }
            return "\(LedgerOracle.decimal(discount, scale: 4))/\(discountDays) net \(netDays)"
        }
    }

    struct Line: Hashable {
        var part: String
        var quantity: Int64
        var price: Int64
        var discount: Int64
        var taxRate: Int64

        var net: Int64 { LedgerOracle.lineNet(quantity: quantity, price: price, discount: discount) }
        var tax: Int64 { LedgerOracle.percentOf(net, taxRate) }
    }

    struct Invoice: Hashable {
        var id: String
        var number: String
        var customer: String
        var date: Int
        var terms: Terms
        var lines: [Line]
        var salesperson: String? = nil

        var due: Int { date + terms.netDays }
        var subtotal: Int64 { lines.reduce(0) { $0 + $1.net } }
        var tax: Int64 { lines.reduce(0) { $0 + $1.tax } }
        var total: Int64 { subtotal + tax }
        /// The most discount a payment may take: the terms' percentage of the total, rounded.
        var maximumDiscount: Int64 { terms.discount.map { LedgerOracle.percentOf(total, $0) } ?? 0 }
        /// Whether a payment dated `date` may take a discount.
        func discountAllowed(paidOn paid: Int) -> Bool {
            guard terms.discount != nil, let days = terms.discountDays else { return false }
            return paid <= date + days
        }
    }

    struct CreditNote: Hashable {
        var id: String
        var number: String
        var customer: String
        var invoice: String
        var date: Int
        var subtotal: Int64
        var total: Int64
        /// The lines it credits; `nil` for a credit of an amount.
        var lines: [Line]? = nil
        var tax: Int64 { total - subtotal }
    }

    struct Application: Hashable {
        var invoice: String
        var amount: Int64
        var discount: Int64
    }

    struct Payment: Hashable {
        var id: String
        var number: String
        var customer: String
        var date: Int
        var amount: Int64
        var applications: [Application]
    }

    struct Reversal: Hashable {
        var id: String
        var payment: String
        var date: Int
    }

    var invoices: [String: Invoice] = [:]
    var creditNotes: [String: CreditNote] = [:]
    var payments: [String: Payment] = [:]
    var reversals: [String: Reversal] = [:]
    var promises: [String: Promise] = [:]

    var ids: Set<String> {
        Set(invoices.keys).union(creditNotes.keys).union(payments.keys).union(reversals.keys)
            .union(promises.keys)
    }

    /// The records whose ids are in `known`: what one node holds.
    func restricted(to known: Set<String>) -> LedgerOracle {
        LedgerOracle(
            invoices: invoices.filter { known.contains($0.key) },
            creditNotes: creditNotes.filter { known.contains($0.key) },
            payments: payments.filter { known.contains($0.key) },
            reversals: reversals.filter { known.contains($0.key) },
            promises: promises.filter { known.contains($0.key) }
        )
    }

    // MARK: Arithmetic

    /// `numerator / denominator` (denominator > 0), rounded half away from zero.
    static func rounded(_ numerator: Int128, _ denominator: Int128) -> Int64 {
        let magnitude = numerator < 0 ? -numerator : numerator
        let quotient = (2 * magnitude + denominator) / (2 * denominator)
        return Int64(numerator < 0 ? -quotient : quotient)
    }

    /// qty × price × (100 % − discount), rounded to the cent.
    static func lineNet(quantity: Int64, price: Int64, discount: Int64) -> Int64 {
        rounded(Int128(quantity) * Int128(price) * Int128(1_000_000 - discount), 10_000 * 1_000_000)
    }

    /// `amount` × `percent` (ten-thousandths of a percent), rounded to the cent.
    static func percentOf(_ amount: Int64, _ percent: Int64) -> Int64 {
        rounded(Int128(amount) * Int128(percent), 1_000_000)
    }

    /// A value scaled by 10^scale as the shortest decimal: `2`, `1.5`, `8.25`.
    static func decimal(_ value: Int64, scale: Int) -> String {
        var unit: Int64 = 1
        for _ in 0..<scale { unit *= 10 }
        let whole = value / unit
        var fraction = value % unit
        guard fraction != 0 else { return "\(whole)" }
        var digits = scale
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    /// Cents as `12.50`, `-3.07`.
    static func cents(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    static func textLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// `YYYY-MM-DD` of a count of days since 1970-01-01 (0 or more), counted out year by year
    /// and month by month: the test's own calendar, not the code's.
    static func dateText(_ days: Int) -> String {
        precondition(days >= 0, "a date before 1970")
        func leap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        var (year, rest) = (1970, days)
        while rest >= (leap(year) ? 366 : 365) {
            rest -= leap(year) ? 366 : 365
            year += 1
        }
        let lengths = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var month = 0
        while rest >= lengths[month] {
            rest -= lengths[month]
            month += 1
        }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month + 1))-\(two(rest + 1))"
    }

    // MARK: Definitions

    /// Each payment's earliest reversal, by (date, id): the date from which it counts as
    /// reversed (two nodes may reverse one payment while apart).
    func earliestReversals() -> [String: Reversal] {
        var earliest: [String: Reversal] = [:]
        for reversal in reversals.values {
            if let other = earliest[reversal.payment],
                other.date < reversal.date || (other.date == reversal.date && Self.textLess(other.id, reversal.id))
            {
                continue
            }
            earliest[reversal.payment] = reversal
        }
        return earliest
    }

    struct InvoiceState: Hashable {
        var invoice: Invoice
        var credited: Int64
        var paid: Int64
        var discount: Int64
        var open: Int64
        var status: String
    }

    /// The ledger as of a date: only documents dated on or before it count, and a payment
    /// reversed by then counts as never applied.
    struct Snapshot {
        let asOf: Int
        /// The invoices dated on or before `asOf`, by date, number, id.
        let states: [InvoiceState]
        /// Per customer, what the payments in force left unapplied.
        let unappliedPayments: [String: Int64]

        init(_ ledger: LedgerOracle, asOf: Int) {
            self.asOf = asOf
            let reversed = ledger.earliestReversals()
            var credited: [String: Int64] = [:]
            for note in ledger.creditNotes.values where note.date <= asOf {
                credited[note.invoice, default: 0] += note.total
            }
            var paid: [String: Int64] = [:]
            var discounts: [String: Int64] = [:]
            var unapplied: [String: Int64] = [:]
            for payment in ledger.payments.values where payment.date <= asOf {
                if let reversal = reversed[payment.id], reversal.date <= asOf { continue }
                var left = payment.amount
                for application in payment.applications {
                    paid[application.invoice, default: 0] += application.amount
                    discounts[application.invoice, default: 0] += application.discount
                    left -= application.amount
                }
                unapplied[payment.customer, default: 0] += left
            }
            unappliedPayments = unapplied
            states = ledger.invoices.values.filter { $0.date <= asOf }
                .sorted { a, b in
                    if a.date != b.date { return a.date < b.date }
                    if a.number != b.number { return LedgerOracle.textLess(a.number, b.number) }
                    return LedgerOracle.textLess(a.id, b.id)
                }
                .map { invoice in
                    let credited = credited[invoice.id] ?? 0
                    let paid = paid[invoice.id] ?? 0
                    let discount = discounts[invoice.id] ?? 0
                    let open = invoice.total - credited - paid - discount
                    let status: String
                    if open < 0 && paid + discount > 0 {
                        status = "overpaid"
                    } else if open <= 0 && invoice.total - credited <= 0 {
                        status = "credited"
                    } else if open == 0 {
                        status = "paid"
                    } else if open == invoice.total {
                        status = "open"
                    } else {
                        status = "partial"
                    }
                    return InvoiceState(
                        invoice: invoice,
                        credited: credited,
                        paid: paid,
                        discount: discount,
                        open: open,
                        status: status
                    )
                }
        }

        /// The invoices of one customer, or all.
        func states(customer: String?) -> [InvoiceState] {
            customer.map { customer in states.filter { $0.invoice.customer == customer } } ?? states
        }

        /// Credit on account, positive: what payments in force did not apply, and what
        /// invoices were overpaid by.
        func unapplied(customer: String) -> Int64 {
            states(customer: customer).filter { $0.open < 0 }.reduce(unappliedPayments[customer] ?? 0) {
                $0 - $1.open
            }
        }

        /// A customer's ageing: open amounts above zero by bucket of days past due, credit on
        /// account, balance = Σ of the buckets − credit on account.
        func ageing(customer: String) -> AgeingFigures {
            var figures = AgeingFigures()
            for state in states(customer: customer) where state.open > 0 {
                figures.buckets[LedgerOracle.bucket(daysPastDue: asOf - state.invoice.due)] += state.open
            }
            figures.unapplied = unapplied(customer: customer)
            figures.balance = figures.buckets.reduce(0, +) - figures.unapplied
            return figures
        }

        /// Σ of all open amounts − what payments in force left unapplied: the balance another way.
        func balanceBySums(customer: String) -> Int64 {
            states(customer: customer).reduce(0) { $0 + $1.open } - (unappliedPayments[customer] ?? 0)
        }
    }

    func snapshot(asOf: Int) -> Snapshot { Snapshot(self, asOf: asOf) }

    /// The ageing bucket of a number of days past due: 0 current, 1 for 1–30, … 5 for 121+.
    static func bucket(daysPastDue days: Int) -> Int {
        switch days {
        case ...0: 0
        case 1...30: 1
        case 31...60: 2
        case 61...90: 3
        case 91...120: 4
        default: 5
        }
    }

    struct AgeingFigures: Hashable {
        /// current, 1–30, 31–60, 61–90, 91–120, 121+.
        var buckets: [Int64] = Array(repeating: 0, count: 6)
        var unapplied: Int64 = 0
        var balance: Int64 = 0

        var isZero: Bool { buckets.allSatisfy { $0 == 0 } && unapplied == 0 }

        static func + (lhs: AgeingFigures, rhs: AgeingFigures) -> AgeingFigures {
            AgeingFigures(
                buckets: zip(lhs.buckets, rhs.buckets).map { $0 + $1 },
                unapplied: lhs.unapplied + rhs.unapplied,
                balance: lhs.balance + rhs.balance
            )
        }
    }

    struct StatementLine: Hashable {
        var date: Int
        var kind: String
        var number: String
        var id: String
        var amount: Int64
        var balance: Int64

        var rank: Int { ["invoice", "credit-note", "payment", "discount", "reversal"].firstIndex(of: kind)! }
    }

    struct StatementFigures: Hashable {
        var opening: Int64
        var lines: [StatementLine]
        var closing: Int64
    }

    /// A customer's statement from `from` (nil: the beginning) to `to`: invoices +total,
    /// credit notes −total, payments −amount, a payment's discounts −Σ (on its date and
    /// number), its earliest reversal + amount + discounts (on the reversal's date, the
    /// payment's number); by date, number, kind, id, with a running balance; the opening is
    /// the balance of the lines before `from`.
    func statement(customer: String, from: Int?, to: Int) -> StatementFigures {
        var lines: [StatementLine] = []
        func add(_ date: Int, _ kind: String, _ number: String, _ id: String, _ amount: Int64) {
            guard date <= to else { return }
            lines.append(StatementLine(date: date, kind: kind, number: number, id: id, amount: amount, balance: 0))
        }
        let reversed = earliestReversals()
        for invoice in invoices.values where invoice.customer == customer {
            add(invoice.date, "invoice", invoice.number, invoice.id, invoice.total)
        }
        for note in creditNotes.values where note.customer == customer {
            add(note.date, "credit-note", note.number, note.id, -note.total)
        }
        for payment in payments.values where payment.customer == customer {
            add(payment.date, "payment", payment.number, payment.id, -payment.amount)
            let discounts = payment.applications.reduce(0) { $0 + $1.discount }
            if discounts != 0 { add(payment.date, "discount", payment.number, payment.id, -discounts) }
            if let reversal = reversed[payment.id] {
                add(reversal.date, "reversal", payment.number, reversal.id, payment.amount + discounts)
            }
        }
        lines.sort { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.number != b.number { return Self.textLess(a.number, b.number) }
            if a.rank != b.rank { return a.rank < b.rank }
            return Self.textLess(a.id, b.id)
        }
        var balance: Int64 = 0
        var opening: Int64 = 0
        var shown: [StatementLine] = []
        for var line in lines {
            balance += line.amount
            line.balance = balance
            if let from, line.date < from {
                opening = balance
            } else {
                shown.append(line)
            }
        }
        return StatementFigures(opening: opening, lines: shown, closing: balance)
    }

    // MARK: What a node allows and does when it writes

    /// Whether the node holds a reversal of the payment.
    func isReversed(_ payment: String) -> Bool { reversals.values.contains { $0.payment == payment } }

    /// What credit notes held already credit of an invoice.
    func credited(_ invoice: String) -> Int64 {
        creditNotes.values.filter { $0.invoice == invoice }.reduce(0) { $0 + $1.total }
    }

    /// Open amounts counting every record held, whatever its date.
    func openNow() -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: snapshot(asOf: Int.max).states.map { ($0.invoice.id, $0.open) })
    }

    /// The invoices a payment of `customer` dated `date` may apply to: open above zero
    /// counting every record held, dated on or before the payment, oldest due first (then
    /// number, then id).
    func payable(customer: String, date: Int) -> [(invoice: Invoice, open: Int64)] {
        let open = openNow()
        return invoices.values.filter { $0.customer == customer && $0.date <= date && open[$0.id]! > 0 }
            .sorted { a, b in
                if a.due != b.due { return a.due < b.due }
                if a.number != b.number { return Self.textLess(a.number, b.number) }
                return Self.textLess(a.id, b.id)
            }
            .map { ($0, open[$0.id]!) }
    }

    /// A payment without applications: to the oldest open invoices first, no discount.
    func autoAllocation(customer: String, amount: Int64, date: Int) -> [Application] {
        var left = amount
        var applications: [Application] = []
        for (invoice, open) in payable(customer: customer, date: date) where left > 0 {
            let share = min(left, open)
            applications.append(Application(invoice: invoice.id, amount: share, discount: 0))
            left -= share
        }
        return applications
    }
}
