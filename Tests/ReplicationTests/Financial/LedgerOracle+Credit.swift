/// The Credit & Collections figures of the oracle, from the contract's definitions
/// (`business.md`, "Credit & Collections") — independent of `CreditSQL`.
extension LedgerOracle {
    struct Promise: Hashable {
        var id: String
        var customer: String
        var date: Int
        var by: Int
        var amount: Int64
    }

    struct CreditFigures: Hashable {
        var invoicesPaid = 0
        var minDays: Int?
        var maxDays: Int?
        var sumDays = 0
        var sumLate = 0
        var timesLate = 0
        var timesDelinquent = 0
        /// `id status paid`, by date then id.
        var promises: [String] = []
        /// The rating's inputs besides the overdue amount (the ageing's).
        var invoicesDue = 0
        var invoicedInYear: Int64 = 0
        var brokenPromises: Int { promises.filter { $0.contains(" broken ") }.count }
        var openPromises: Int { promises.filter { $0.contains(" open ") }.count }

        var lines: [String] {
            [
                "paid \(invoicesPaid)", "min \(minDays.map(String.init) ?? "-")",
                "max \(maxDays.map(String.init) ?? "-")", "sum \(sumDays)", "late days \(sumLate)",
                "late \(timesLate)", "delinquent \(timesDelinquent)",
            ] + promises
        }
    }

    /// A customer's payment statistics and promise statuses as of `asOf`.
    func credit(customer: String, asOf: Int) -> CreditFigures {
        let reversed = earliestReversals()
        let inForce = payments.values.filter { payment in
            payment.customer == customer && payment.date <= asOf
                && !(reversed[payment.id].map { $0.date <= asOf } ?? false)
        }
        var figures = CreditFigures()
        for invoice in invoices.values where invoice.customer == customer && invoice.date <= asOf {
            if invoice.due <= asOf { figures.invoicesDue += 1 }
            if asOf - invoice.date < 365 { figures.invoicedInYear += invoice.total }
            // Every movement toward the invoice's total, with its date and whether a payment made it.
            var movements: [(date: Int, amount: Int64, payment: Bool)] = []
            for note in creditNotes.values where note.invoice == invoice.id && note.date <= asOf {
                movements.append((note.date, note.total, false))
            }
            for payment in inForce {
                for application in payment.applications where application.invoice == invoice.id {
                    movements.append((payment.date, application.amount + application.discount, true))
                }
            }
            var settled: Int?
            if invoice.total <= 0 {
                settled = invoice.date
            } else {
                var covered: Int64 = 0
                for day in Set(movements.map(\.date)).sorted() {
                    covered += movements.filter { $0.date == day }.reduce(0) { $0 + $1.amount }
                    if covered >= invoice.total {
                        settled = day
                        break
                    }
                }
            }
            if let settled {
                if settled - invoice.due > 30 { figures.timesDelinquent += 1 }
                let byPayment = invoice.total > 0 && movements.contains { $0.payment && $0.date <= settled }
                guard byPayment else { continue }
                let days = settled - invoice.date
                let late = max(0, settled - invoice.due)
                figures.invoicesPaid += 1
                figures.minDays = min(figures.minDays ?? days, days)
                figures.maxDays = max(figures.maxDays ?? days, days)
                figures.sumDays += days
                figures.sumLate += late
                if late > 0 { figures.timesLate += 1 }
            } else if asOf - invoice.due > 30 {
                figures.timesDelinquent += 1
            }
        }
        let made = promises.values.filter { $0.customer == customer && $0.date <= asOf }
        for promise in made.sorted(by: { a, b in a.date != b.date ? a.date < b.date : Self.textLess(a.id, b.id) }) {
            let paid = inForce.filter { $0.date >= promise.date && $0.date <= promise.by }.reduce(0) { $0 + $1.amount }
            let status = paid >= promise.amount ? "kept" : promise.by < asOf ? "broken" : "open"
            figures.promises.append("\(promise.id) \(status) \(paid)")
        }
        return figures
    }
}
