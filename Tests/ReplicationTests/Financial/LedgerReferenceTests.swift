import Foundation
import Model
import Replication
import TestSupport
import Testing

/// Which seeds to run: `LEDGER_SEED=N` runs only seed N (and prints what it did); otherwise
/// `LEDGER_SEEDS` seeds (1,000 when unset) from `LEDGER_FIRST_SEED` (1 when unset).
enum LedgerSeeds {
    static var selected: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["LEDGER_SEED"], let seed = UInt64(text) { return [seed] }
        let count = max(1, environment["LEDGER_SEEDS"].flatMap { UInt64($0) } ?? 1000)
        let first = max(1, environment["LEDGER_FIRST_SEED"].flatMap { UInt64($0) } ?? 1)
        return Array(first..<first + count)
    }

    static var replaying: Bool { ProcessInfo.processInfo.environment["LEDGER_SEED"] != nil }
}

/// The ledger against an independent model (``LedgerOracle``).
///
/// Each seed is a random ledger on 2 or 3 nodes: a price list with tax rates (its prices and
/// rates changed on one node as the run goes), customers with and without terms, invoices
/// with terms, dates and lines (prices as listed or given, line discounts, fractional
/// quantities), credit notes by amount and by line, payments applied explicitly (partly, in
/// full, discount only, with early-payment discounts) or oldest-first, reversals; and writes
/// the node must refuse (more credited than invoiced, more applied than open or than paid,
/// discounts beyond the terms or outside their window, an invoice dated after the payment, a
/// credit note or reversal dated before its document, a second reversal). The nodes exchange
/// in random pairs at random times, so that two nodes pay one invoice, credit one invoice or
/// reverse one payment while apart. The oracle follows what each node holds: it prices each
/// invoice from the price list that node knows, predicts every oldest-first allocation and
/// every refusal from the writing node's knowledge, and checks nodes along the way against
/// the records they hold. At the end the nodes exchange until none lacks anything, and every
/// node must agree with the oracle over all records, to the cent, for several as-of dates
/// (one on an ageing bucket's edge) and the far future: every invoice's figures, open amount
/// and status, ageing rows (each bucket, credit on account, balance, totals), balances, and
/// statements between random dates.
///
/// A failure names its seed; `LEDGER_SEED=N swift test --filter LedgerReferenceTests` replays
/// it and prints the run.
@Suite("Ledger reference: every node agrees with an independent model, to the cent", .offThePool)
struct LedgerReferenceTests {
    @Test("balances, open amounts, statuses, ageing and statements", arguments: LedgerSeeds.selected)
    func seed(_ seed: UInt64) {
        let started = ContinuousClock.now
        let run = LedgerRun(seed: seed)
        do {
            try run.run()
        } catch is LedgerRun.Stop {
        } catch {
            run.fail("unexpected error: \(error)")
        }
        if !run.failures.isEmpty {
            Issue.record(
                """
                seed \(seed) (replay: LEDGER_SEED=\(seed) swift test --filter LedgerReferenceTests):
                \(run.failures.prefix(12).joined(separator: "\n"))
                run:
                \(run.trace.joined(separator: "\n"))
                """
            )
        } else if LedgerSeeds.replaying {
            print("seed \(seed), \(ContinuousClock.now - started):\n\(run.trace.joined(separator: "\n"))")
        }
        if ProcessInfo.processInfo.environment["LEDGER_STATS"] != nil {
            print("ledger stats: \(LedgerStats.shared.add(run.counts))")
        }
    }
}

/// What the seeds exercised, summed over a run (`LEDGER_STATS=1` prints it after each seed).
final class LedgerStats: @unchecked Sendable {
    static let shared = LedgerStats()
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func add(_ more: [String: Int]) -> String {
        lock.withLock {
            counts.merge(more, uniquingKeysWith: +)
            return counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }
    }
}

/// One seed's ledger: the nodes, what each holds, and the oracle over every record.
final class LedgerRun {
    struct Stop: Error {}

    struct Customer {
        let id: EntityID
        let name: String
        var categories: [String] = []
        var key: String { id.description }
    }

    struct Item {
        let part: String
        var price: Int64
        var taxRate: Int64
    }

    /// A change of the price list, made on node 0 only (so that every node that holds it
    /// takes it, whatever the clocks): a new price or tax rate for documents made after it.
    struct ItemChange {
        let id: String
        let part: String
        let price: Int64?
        let taxRate: Int64?
    }

    let seed: UInt64
    var random: SeededRandom
    let fixture = ReplicaFixture()
    var nodes: [Replica] = []
    /// The ids of the ledger's records each node holds.
    var known: [Set<String>] = []
    /// Every record written anywhere.
    var book = LedgerOracle()
    var customers: [Customer] = []
    /// The terms in each customer's `terms` field, by id.
    var customerTerms: [String: LedgerOracle.Terms] = [:]
    var items: [Item] = []
    /// The price list's changes, in the order node 0 made them.
    var itemChanges: [ItemChange] = []
    /// The run's "today", in days since 1970-01-01: documents are dated around it.
    var today: Int
    let firstDay: Int
    var step = 0
    var trace: [String] = []
    var failures: [String] = []
    /// What this seed exercised (``LedgerStats``).
    var counts: [String: Int] = ["seeds": 1]
    var dayTexts: [Int: String] = [:]

    static let farFuture = 47_482  // 2100-01-01
    static let methods = ["check", "card", "ach", "wire", "cash"]
    static let taxRates: [(text: String?, value: Int64)] = [
        (nil, 0), ("8.25", 82_500), ("5", 50_000), ("7.125", 71_250), ("0", 0), ("19.6", 196_000),
    ]
    static let terms: [LedgerOracle.Terms] = [
        .init(netDays: 30), .init(netDays: 15), .init(netDays: 0), .init(netDays: 60),
        .init(netDays: 30, discount: 20_000, discountDays: 10),
        .init(netDays: 45, discount: 15_000, discountDays: 15),
        .init(netDays: 10, discount: 30_000, discountDays: 5),
    ]

    init(seed: UInt64) {
        self.seed = seed
        random = SeededRandom(seed: seed)
        firstDay = 20_458 + random.int(0...400)  // 2026-01-05 and up to 400 days after
        today = firstDay
    }

    // MARK: The run

    func run() throws {
        try setUp()
        let operations = random.int(12...28)
        for _ in 0..<operations {
            step += 1
            today += random.weighted([3, 4, 3, 2, 1]) * random.int(0...4)
            switch random.weighted([6, 3, 6, 2, 1, 1, 1, 1, 5, 2]) {
            case 0: try invoice(on: random.int(0...nodes.count - 1))
            case 1: try creditNote(on: random.int(0...nodes.count - 1))
            case 2: try payment(on: random.int(0...nodes.count - 1))
            case 3: try reversal(on: random.int(0...nodes.count - 1))
            case 4: try paymentsWhileApart()
            case 5: try reversalsWhileApart()
            case 6: try creditNotesWhileApart()
            case 7: try changeItem()
            case 8: try exchange()
            default: try promise(on: random.int(0...nodes.count - 1))
            }
            if failures.count >= 12 { throw Stop() }
        }
        try converge()
        try finalChecks()
    }

    func setUp() throws {
        for index in 0..<(random.chance(0.6) ? 2 : 3) {
            nodes.append(try fixture.node(index + 1, skew: Int64(random.int(-5000...5000))))
            known.append([])
        }
        let head = nodes[0]
        for index in 1...random.int(2...4) {
            let price = Int64(random.chance(0.2) ? random.int(50...999) : random.int(100...40_000))
            let tax = random.element(of: Self.taxRates)!
            let part = "P-\(index)"
            try head.write {
                _ = try $0.addItem(
                    part: part,
                    description: "part \(index)",
                    price: LedgerOracle.cents(price),
                    tax: tax.text,
                    unit: nil
                )
            }
            items.append(Item(part: part, price: price, taxRate: tax.value))
            trace.append("item \(part) @\(LedgerOracle.cents(price)) tax \(tax.text ?? "none")")
        }
        for index in 1...random.int(2...3) {
            let name = "Customer \(index)"
            var fields: [String: String] = [:]
            if random.chance(0.4) { fields["terms"] = random.element(of: Self.terms)!.text }
            let categories = random.sample(["retail", "trade", "vip"], count: random.int(0...2))
            let id = try head.write { try $0.createCustomer(name: name, categories: categories, fields: fields) }
            customers.append(Customer(id: id, name: name, categories: categories))
            customerTerms[id.description] = fields["terms"].map { text in Self.terms.first { $0.text == text }! }
            trace.append("customer \(name) \(id) terms \(fields["terms"] ?? "-")")
        }
        for other in nodes.dropFirst() { try fixture.sync(head, to: other) }
        // Sometimes every node numbers with one prefix: nodes apart issue one number twice.
        if random.chance(0.25) {
            for node in nodes { _ = try node.write { try $0.setSeriesPrefix("HQ") } }
            trace.append("every node numbers HQ-...")
        }
    }

    func date(_ day: Int) -> BusinessDate { BusinessDate(daysSinceEpoch: day) }
    /// A day as the oracle writes it (its own calendar), cached.
    func day(_ day: Int) -> String {
        if let text = dayTexts[day] { return text }
        let text = LedgerOracle.dateText(day)
        dayTexts[day] = text
        return text
    }

    // MARK: Writes

    func invoice(on node: Int) throws {
        let customer = random.element(of: customers)!
        let date = today - random.int(0...3)
        var lines: [LedgerOracle.Line] = []
        var requests: [LineRequest] = []
        for item in random.sample(items.map { self.item($0.part, on: node) }, count: random.int(1...3)) {
            let quantity = Int64(random.element(of: [10_000, 20_000, 30_000, 5_000, 25_000, 12_500, 3_333, 70_000])!)
            var price = item.price
            var priceText: String?
            if random.chance(0.25) {
                price = Int64(random.int(100...60_000))
                priceText = LedgerOracle.cents(price)
            }
            let discount = random.chance(0.3) ? Int64(random.element(of: [100_000, 50_000, 125_000, 333_333, 25])!) : 0
            lines.append(
                LedgerOracle.Line(
                    part: item.part,
                    quantity: quantity,
                    price: price,
                    discount: discount,
                    taxRate: item.taxRate
                )
            )
            requests.append(
                LineRequest(
                    part: item.part,
                    quantity: Quantity(tenThousandths: quantity),
                    price: priceText,
                    discount: Percentage(tenThousandths: discount)
                )
            )
        }
        let given = random.chance(0.6) ? random.element(of: Self.terms) : nil
        let terms = given ?? customerTerms[customer.key] ?? LedgerOracle.Terms(netDays: 30)
        let salesperson = random.element(of: [nil, "Ann", "Bob"] as [String?])!
        let issued = try nodes[node].write {
            try $0.addInvoice(
                customer: customer.id,
                source: .lines(requests),
                date: self.date(date),
                terms: try given.map { try PaymentTerms(parsing: $0.text) },
                salesperson: salesperson,
                notes: nil
            )
        }
        let invoice = LedgerOracle.Invoice(
            id: issued.id.description,
            number: issued.number,
            customer: customer.key,
            date: date,
            terms: terms,
            lines: lines,
            salesperson: salesperson
        )
        record(invoice.id, on: node) { $0.invoices[invoice.id] = invoice }
        trace.append(
            "\(step) node \(node): invoice \(invoice.number) \(customer.name) \(day(date)) \(terms.text) total \(LedgerOracle.cents(invoice.total)) lines \(lines.map { "\($0.part) \($0.quantity)@\($0.price)-\($0.discount) tax \($0.taxRate)" })"
        )
        try checkNode(node, customer: customer)
    }

    /// A credit note on `node`: by line or by amount (of `forced`, all that is left to
    /// credit, when given).
    func creditNote(on node: Int, forced: LedgerOracle.Invoice? = nil) throws {
        let view = book.restricted(to: known[node])
        guard let invoice = forced ?? random.element(of: sortedValues(view.invoices)) else { return }
        // Sometimes dated before its invoice: refused.
        let early = forced == nil && random.chance(0.04)
        let date = early ? invoice.date - 1 : max(invoice.date, today - random.int(0...2))
        let room = invoice.total - view.credited(invoice.id)
        var amount: Money?
        var lineRequests: [LineRequest] = []
        var subtotal: Int64
        var total: Int64
        var creditedLines: [LedgerOracle.Line]?
        if forced == nil && random.chance(0.3) {
            let line = random.element(of: invoice.lines)!
            let quantity = random.element(of: [5_000, 10_000, line.quantity])!
            let credited = LedgerOracle.Line(
                part: line.part,
                quantity: quantity,
                price: line.price,
                discount: line.discount,
                taxRate: line.taxRate
            )
            lineRequests = [LineRequest(part: line.part, quantity: Quantity(tenThousandths: quantity))]
            subtotal = credited.net
            total = credited.net + credited.tax
            creditedLines = [credited]
        } else {
            if room > 0 && (forced != nil || random.chance(0.9)) {
                total = forced != nil || random.chance(0.3) ? room : Int64(random.int(1...Int(room)))
            } else {
                total = max(1, room) + Int64(random.int(0...300))
            }
            amount = Money(minorUnits: total, currency: .usd)
            subtotal = LedgerOracle.rounded(Int128(total) * Int128(invoice.subtotal), Int128(invoice.total))
        }
        let what = "\(step) node \(node): credit note on \(invoice.number) \(day(date)) \(LedgerOracle.cents(total))"
        let refused = total > room || early
        let issued: IssuedDocument
        do {
            issued = try nodes[node].write {
                try $0.addCreditNote(
                    invoice: self.reference(invoice.number, invoice.id, among: self.book.invoices.values.map(\.number)),
                    amount: amount,
                    lines: lineRequests,
                    reason: "returned",
                    date: self.date(date)
                )
            }
        } catch {
            trace.append("\(what): refused (\(error))")
            counts["credit notes refused", default: 0] += 1
            if !refused { fail("\(what): refused, but \(LedgerOracle.cents(room)) can be credited: \(error)") }
            return
        }
        trace.append("\(what): \(issued.number)\(refused ? " NOT REFUSED" : "")")
        counts[amount == nil ? "credit notes by line" : "credit notes by amount", default: 0] += 1
        if refused {
            fail("\(what): accepted, but only \(LedgerOracle.cents(room)) can be credited")
        }
        let note = LedgerOracle.CreditNote(
            id: issued.id.description,
            number: issued.number,
            customer: invoice.customer,
            invoice: invoice.id,
            date: date,
            subtotal: subtotal,
            total: total,
            lines: creditedLines
        )
        record(note.id, on: node) { $0.creditNotes[note.id] = note }
        let document = try nodes[node].salesDocument(.creditNote, note.id)
        expect(
            [document.subtotal.minorUnits, document.tax.minorUnits, document.total.minorUnits],
            [note.subtotal, note.tax, note.total],
            "\(what): subtotal, tax, total"
        )
        try checkNode(node, customer: customers.first { $0.key == invoice.customer }!)
    }

    /// What makes a node refuse a payment's applications.
    enum Flaw: CaseIterable {
        case moreThanOpen, discountAboveTerms, discountNotAllowed, moreThanPayment, invoiceAfterPayment
    }

    /// A payment on `node`: explicit applications (to `forced` in full, when given), or
    /// oldest-first.
    func payment(on node: Int, forced: LedgerOracle.Invoice? = nil) throws {
        let view = book.restricted(to: known[node])
        var date = max(forced?.date ?? 0, today - random.int(0...2))
        // Sometimes paperwork dated within an open invoice's discount window.
        let open = view.openNow()
        let early = sortedValues(view.invoices).filter { $0.terms.discount != nil && open[$0.id]! > 0 }
        var chosen = forced.map { invoice in customers.first { $0.key == invoice.customer }! }
        if chosen == nil, random.chance(0.3), let invoice = random.element(of: early) {
            date = invoice.date + random.int(0...invoice.terms.discountDays!)
            chosen = customers.first { $0.key == invoice.customer }!
        }
        if chosen == nil {
            // Mostly a customer who owes something on this node.
            let owing = customers.filter { !view.payable(customer: $0.key, date: date).isEmpty }
            chosen = random.element(of: random.chance(0.8) && !owing.isEmpty ? owing : customers)!
        }
        let customer = chosen!
        let payable = view.payable(customer: customer.key, date: date)
        var requests: [ApplicationRequest] = []
        var expected: [LedgerOracle.Application]
        var amount: Int64
        var refused = false
        if forced == nil && (payable.isEmpty || random.chance(0.4)) {
            let owed = payable.prefix(random.int(1...3)).reduce(0) { $0 + $1.open }
            amount = owed > 0 && random.chance(0.5) ? owed : Int64(random.int(100...60_000))
            expected = view.autoAllocation(customer: customer.key, amount: amount, date: date)
        } else {
            let chosen =
                forced.map { invoice in payable.filter { $0.invoice.id == invoice.id } }
                ?? random.sample(payable, count: random.int(1...2))
            guard !chosen.isEmpty else { return }
            // Sometimes one flaw the node must refuse the payment for.
            var flaw = forced == nil && random.chance(0.1) ? random.element(of: Flaw.allCases) : nil
            expected = []
            for (invoice, open) in chosen {
                var discount: Int64 = 0
                if invoice.discountAllowed(paidOn: date) && invoice.maximumDiscount > 0 && random.chance(0.8) {
                    let most = min(invoice.maximumDiscount, open)
                    discount = random.chance(0.5) ? most : Int64(random.int(1...Int(most)))
                }
                let rest = open - discount
                var share = forced != nil || rest == 0 || random.chance(0.5) ? rest : Int64(random.int(1...Int(rest)))
                if discount > 0 && forced == nil && random.chance(0.1) { share = 0 }
                switch flaw {
                case .moreThanOpen?:
                    share = rest + 1
                    (refused, flaw) = (true, nil)
                case .discountAboveTerms? where invoice.discountAllowed(paidOn: date):
                    (share, discount) = (0, invoice.maximumDiscount + 1)
                    (refused, flaw) = (true, nil)
                case .discountNotAllowed? where !invoice.discountAllowed(paidOn: date):
                    (share, discount) = (0, 1)
                    (refused, flaw) = (true, nil)
                default:
                    break
                }
                expected.append(LedgerOracle.Application(invoice: invoice.id, amount: share, discount: discount))
                requests.append(
                    ApplicationRequest(
                        invoice: reference(invoice.number, invoice.id, among: book.invoices.values.map(\.number)),
                        amount: LedgerOracle.cents(share),
                        discount: discount > 0 ? LedgerOracle.cents(discount) : nil
                    )
                )
            }
            amount = expected.reduce(0) { $0 + $1.amount } + (random.chance(0.3) ? Int64(random.int(1...5_000)) : 0)
            if amount == 0 { amount = Int64(random.int(1...2_000)) }
            let applied = expected.reduce(0) { $0 + $1.amount }
            if flaw == .moreThanPayment && applied > 1 {
                amount = applied - 1
                refused = true
            }
            let later = sortedValues(view.invoices).filter {
                $0.customer == customer.key && $0.date > date && (open[$0.id] ?? 0) > 0
            }
            if flaw == .invoiceAfterPayment, let invoice = random.element(of: later) {
                requests.append(ApplicationRequest(invoice: invoice.id, amount: "0.01"))
                amount += 1
                refused = true
            }
        }
        let what =
            "\(step) node \(node): payment \(customer.name) \(day(date)) \(LedgerOracle.cents(amount)) \(requests.isEmpty ? "oldest first" : "applied \(requests.map { "\($0.invoice)=\($0.amount)/\($0.discount ?? "-")" })")"
        let recorded: RecordedPayment
        do {
            recorded = try nodes[node].write {
                try $0.addPayment(
                    customer: customer.id,
                    amount: LedgerOracle.cents(amount),
                    method: self.random.element(of: Self.methods)!,
                    reference: self.random.chance(0.5) ? "ref \(self.step)" : nil,
                    date: self.date(date),
                    applications: requests
                )
            }
        } catch {
            trace.append("\(what): refused (\(error))")
            counts["payments refused", default: 0] += 1
            if !refused { fail("\(what): refused: \(error)") }
            return
        }
        if refused { fail("\(what): accepted, but it applies more than is open") }
        counts[requests.isEmpty ? "payments oldest first" : "payments applied", default: 0] += 1
        if expected.contains(where: { $0.discount > 0 }) { counts["payments with a discount", default: 0] += 1 }
        let applied = recorded.applied.map {
            LedgerOracle.Application(
                invoice: $0.invoice.description,
                amount: $0.amount.minorUnits,
                discount: $0.discount.minorUnits
            )
        }
        expect(
            applied.map { "\($0.invoice) \($0.amount)/\($0.discount)" },
            expected.map { "\($0.invoice) \($0.amount)/\($0.discount)" },
            "\(what): applications"
        )
        expect(
            [recorded.unapplied.minorUnits],
            [amount - expected.reduce(0) { $0 + $1.amount }],
            "\(what): unapplied"
        )
        let payment = LedgerOracle.Payment(
            id: recorded.id.description,
            number: recorded.number,
            customer: customer.key,
            date: date,
            amount: amount,
            // The oracle's allocation; after a disagreement (reported above) the node's, so
            // that the checks that follow do not report the allocation again.
            applications: applied == expected ? expected : applied
        )
        record(payment.id, on: node) { $0.payments[payment.id] = payment }
        trace.append("\(what): \(payment.number) applied \(expected.map { "\($0.amount)/\($0.discount)" })")
        try checkNode(node, customer: customer)
    }

    func reversal(on node: Int, payment forced: LedgerOracle.Payment? = nil) throws {
        let view = book.restricted(to: known[node])
        let payments = sortedValues(view.payments)
        let unreversed = payments.filter { !view.isReversed($0.id) }
        let again = random.chance(0.1)
        guard let payment = forced ?? random.element(of: again ? payments : unreversed) else { return }
        // Sometimes dated before its payment: refused.
        let early = forced == nil && random.chance(0.04)
        let date = early ? payment.date - 1 : max(payment.date, today - random.int(0...3)) + random.int(0...5)
        let refused = view.isReversed(payment.id) || early
        let what = "\(step) node \(node): reversal of \(payment.number) \(day(date))"
        let id: EntityID
        do {
            id = try nodes[node].write {
                try $0.reversePayment(
                    self.reference(payment.number, payment.id, among: self.book.payments.values.map(\.number)),
                    reason: "bounced",
                    date: self.date(date)
                )
            }
        } catch {
            trace.append("\(what): refused (\(error))")
            counts["reversals refused", default: 0] += 1
            if !refused { fail("\(what): refused: \(error)") }
            return
        }
        trace.append("\(what): \(id)")
        counts["reversals", default: 0] += 1
        if refused { fail("\(what): accepted, but the node knows a reversal already") }
        let reversal = LedgerOracle.Reversal(id: id.description, payment: payment.id, date: date)
        record(reversal.id, on: node) { $0.reversals[reversal.id] = reversal }
        try checkNode(node, customer: customers.first { $0.key == payment.customer }!)
    }

    /// Two nodes that both hold an open invoice pay it in full, each without the other's
    /// payment: it ends overpaid.
    func paymentsWhileApart() throws {
        let open = nodes.indices.map { book.restricted(to: known[$0]).openNow() }
        func both(_ a: Int, _ b: Int) -> [LedgerOracle.Invoice] {
            sortedValues(book.invoices).filter { (open[a][$0.id] ?? 0) > 0 && (open[b][$0.id] ?? 0) > 0 }
        }
        guard let pair = random.element(of: nodePairs().filter({ !both($0.0, $0.1).isEmpty })) else {
            return try exchange()
        }
        let (a, b) = pair
        let invoice = random.element(of: both(a, b))!
        trace.append("\(step) nodes \(a) and \(b) pay \(invoice.number) while apart")
        counts["invoices paid on two nodes while apart", default: 0] += 1
        try payment(on: a, forced: invoice)
        try payment(on: b, forced: invoice)
    }

    /// Two nodes that both hold a payment and no reversal of it reverse it.
    func reversalsWhileApart() throws {
        func candidates(_ a: Int, _ b: Int) -> [LedgerOracle.Payment] {
            sortedValues(book.payments).filter { payment in
                [a, b].allSatisfy { node in
                    known[node].contains(payment.id)
                        && !book.reversals.values.contains { known[node].contains($0.id) && $0.payment == payment.id }
                }
            }
        }
        guard let pair = random.element(of: nodePairs().filter({ !candidates($0.0, $0.1).isEmpty })) else {
            return try exchange()
        }
        let (a, b) = pair
        let payment = random.element(of: candidates(a, b))!
        trace.append("\(step) nodes \(a) and \(b) reverse \(payment.number) while apart")
        counts["payments reversed on two nodes while apart", default: 0] += 1
        try reversal(on: a, payment: payment)
        try reversal(on: b, payment: payment)
    }

    /// Two nodes that both hold an invoice credit all that is left of it, each without the
    /// other's credit note: it ends credited below zero.
    func creditNotesWhileApart() throws {
        let views = nodes.indices.map { book.restricted(to: known[$0]) }
        func both(_ a: Int, _ b: Int) -> [LedgerOracle.Invoice] {
            sortedValues(book.invoices).filter { invoice in
                [a, b].allSatisfy {
                    views[$0].invoices[invoice.id] != nil && views[$0].credited(invoice.id) < invoice.total
                }
            }
        }
        guard let pair = random.element(of: nodePairs().filter({ !both($0.0, $0.1).isEmpty })) else {
            return try exchange()
        }
        let (a, b) = pair
        let invoice = random.element(of: both(a, b))!
        trace.append("\(step) nodes \(a) and \(b) credit \(invoice.number) while apart")
        counts["invoices credited on two nodes while apart", default: 0] += 1
        try creditNote(on: a, forced: invoice)
        try creditNote(on: b, forced: invoice)
    }

    /// A new price or tax rate of an item, on node 0.
    func changeItem() throws {
        let current = item(random.element(of: items)!.part, on: 0)
        let part = current.part
        let id = "item change \(itemChanges.count)"
        let change: ItemChange
        if random.chance(0.7) {
            let price = Int64(random.int(100...40_000))
            try nodes[0].write { try $0.setItem(part: part, field: "price", to: LedgerOracle.cents(price)) }
            change = ItemChange(id: id, part: part, price: price, taxRate: nil)
        } else {
            let tax = random.element(of: Self.taxRates)!
            try nodes[0].write { try $0.setItem(part: part, field: "tax", to: tax.text ?? "") }
            change = ItemChange(id: id, part: part, price: nil, taxRate: tax.value)
        }
        let what =
            "\(step) node 0: item \(part) \(change.price.map { "price \(LedgerOracle.cents($0))" } ?? "tax \(change.taxRate!)")"
        // Setting a field to the value it has writes nothing: no change to hold.
        guard change.price ?? current.price != current.price || change.taxRate ?? current.taxRate != current.taxRate
        else {
            trace.append("\(what) (unchanged)")
            return
        }
        itemChanges.append(change)
        known[0].insert(change.id)
        counts["price list changes", default: 0] += 1
        trace.append(what)
    }

    /// An item as `node` knows it: the price list's changes it holds applied in order.
    func item(_ part: String, on node: Int) -> Item {
        var item = items.first { $0.part == part }!
        for change in itemChanges where change.part == part && known[node].contains(change.id) {
            item.price = change.price ?? item.price
            item.taxRate = change.taxRate ?? item.taxRate
        }
        return item
    }

    /// A promise to pay of a random customer: made on a day around today, to be paid by a day
    /// up to 40 days after.
    func promise(on node: Int) throws {
        let customer = random.element(of: customers)!
        let made = today - random.int(0...10)
        let by = made + random.int(0...40)
        let amount = Int64(random.int(1...60_000))
        let id = try nodes[node].write {
            try $0.addPromise(
                customer: customer.id,
                amount: LedgerOracle.cents(amount),
                by: date(by),
                date: date(made),
                contact: nil,
                invoice: nil,
                notes: nil
            )
        }
        record(id.description, on: node) {
            $0.promises[id.description] = .init(
                id: id.description,
                customer: customer.key,
                date: made,
                by: by,
                amount: amount
            )
        }
        counts["promises", default: 0] += 1
        trace.append(
            "\(step) node \(node): promise \(customer.name) \(LedgerOracle.cents(amount)) \(day(made))…\(day(by))"
        )
    }

    func exchange() throws {
        let a = random.int(0...nodes.count - 1)
        var b = random.int(0...nodes.count - 2)
        if b >= a { b += 1 }
        try sync(a, to: b)
        trace.append("\(step) sync \(a) → \(b)")
        if random.chance(0.3) {
            try sync(b, to: a)
            trace.append("\(step) sync \(b) → \(a)")
        }
        try checkNode(b, customer: random.element(of: customers)!)
    }

    func sync(_ a: Int, to b: Int) throws {
        try fixture.sync(nodes[a], to: nodes[b])
        known[b].formUnion(known[a])
    }

    /// Exchanges in every direction until no node lacks anything.
    func converge() throws {
        var rounds = 0
        while true {
            var sent = false
            for a in nodes.indices {
                for b in nodes.indices where a != b {
                    if let batch = try nodes[a].nextBatch(after: try nodes[b].versionVector()) {
                        _ = try nodes[b].apply(batch)
                        known[b].formUnion(known[a])
                        sent = true
                    }
                }
            }
            rounds += 1
            guard sent else { break }
            guard rounds < 10 else {
                fail("the nodes did not converge in \(rounds) rounds")
                throw Stop()
            }
        }
        let all = book.ids.union(itemChanges.map(\.id))
        for node in nodes.indices where known[node] != all {
            fail("node \(node) holds \(known[node].count) of \(all.count) records after converging")
        }
    }

    // MARK: Checks

    /// A node against the oracle over what it holds: one customer's invoices and ageing as
    /// of a random date, sometimes its statement.
    func checkNode(_ node: Int, customer: Customer) throws {
        guard random.chance(0.4) else { return }
        let view = book.restricted(to: known[node])
        let snapshot = view.snapshot(asOf: randomDate())
        try checkInvoices(node, snapshot, customer: customer)
        try checkAgeing(node, snapshot, customer: customer)
        if random.chance(0.3) { try checkStatement(node, view, customer: customer) }
        try checkCredit(node, view, customer: customer, asOf: snapshot.asOf)
    }

    /// The rating's inputs from the oracle's figures: delinquent share, what is open more than
    /// 60 days past due (ageing buckets 61–90, 91–120, 121+), the year's invoicing, broken promises.
    static func ratingInputs(_ figures: LedgerOracle.CreditFigures, _ ageing: LedgerOracle.AgeingFigures)
        -> CreditRating.Inputs
    {
        CreditRating.Inputs(
            invoicesDue: figures.invoicesDue,
            delinquent: figures.timesDelinquent,
            overdue60: ageing.buckets[3] + ageing.buckets[4] + ageing.buckets[5],
            invoicedInYear: figures.invoicedInYear,
            brokenPromises: figures.brokenPromises
        )
    }

    /// `report collections` against the oracle: exactly the customers with something past due,
    /// each with its past-due amount, balance, rating and promise counts.
    func checkCollections(_ node: Int, _ view: LedgerOracle, asOf: Int) throws {
        let rows = try nodes[node].collectionsReport(asOf: date(asOf))
        let actual = rows.map {
            "\($0.name) past due \($0.pastDue.minorUnits) balance \($0.ageing.balance.minorUnits) rating \($0.rating.rating) \($0.rating.points) points promises \($0.openPromises)/\($0.brokenPromises)"
        }.sorted()
        let snapshot = view.snapshot(asOf: asOf)
        let expected = customers.compactMap { customer -> String? in
            let ageing = snapshot.ageing(customer: customer.key)
            let pastDue = ageing.buckets[1...].reduce(0, +)
            guard pastDue > 0 else { return nil }
            let figures = view.credit(customer: customer.key, asOf: asOf)
            let rating = CreditRating(Self.ratingInputs(figures, ageing))
            return
                "\(customer.name) past due \(pastDue) balance \(ageing.balance) rating \(rating.rating) \(rating.points) points promises \(figures.openPromises)/\(figures.brokenPromises)"
        }.sorted()
        expect(actual, expected, "node \(node): report collections as of \(day(asOf))")
    }

    /// One customer's payment statistics and promise statuses against the oracle's.
    func checkCredit(_ node: Int, _ view: LedgerOracle, customer: Customer, asOf: Int) throws {
        let tab = try nodes[node].creditTab(customer: customer.id, asOf: date(asOf))
        let stats = tab.stats
        let actual =
            [
                "paid \(stats.invoicesPaid)", "min \(stats.minDaysToPay.map(String.init) ?? "-")",
                "max \(stats.maxDaysToPay.map(String.init) ?? "-")", "sum \(stats.totalDaysToPay)",
                "late days \(stats.totalDaysLate)", "late \(stats.timesLate)", "delinquent \(stats.timesDelinquent)",
            ] + tab.promises.map { "\($0.id) \($0.status) \($0.paid.minorUnits)" }
        let expected = view.credit(customer: customer.key, asOf: asOf)
        expect(actual, expected.lines, "node \(node): credit of \(customer.name) as of \(day(asOf))")
        let rating = CreditRating(Self.ratingInputs(expected, view.snapshot(asOf: asOf).ageing(customer: customer.key)))
        expect(
            [tab.rating.rating, tab.rating.risk, String(tab.rating.points)],
            [rating.rating, rating.risk, String(rating.points)],
            "node \(node): rating of \(customer.name) as of \(day(asOf))"
        )
        if expected.invoicesPaid > 0 { counts["credit checks with paid invoices", default: 0] += 1 }
        if expected.promises.contains(where: { $0.contains(" broken ") }) {
            counts["credit checks with a broken promise", default: 0] += 1
        }
    }

    /// Every node against the oracle over every record: all invoices and the whole ageing as
    /// of several dates; each customer's invoices, ageing, balance and a statement.
    func finalChecks() throws {
        let numbers =
            book.invoices.values.map(\.number) + book.creditNotes.values.map(\.number)
            + book.payments.values.map(\.number)
        counts["numbers issued twice", default: 0] += numbers.count - Set(numbers).count
        var dates = [randomDate(), randomDate(), Self.farFuture]
        if random.chance(0.3) { dates.append(firstDay - 1) }
        // A date on an ageing bucket's edge for one invoice.
        if let invoice = random.element(of: sortedValues(book.invoices)) {
            dates.append(invoice.due + random.element(of: [0, 1, 30, 31, 60, 61, 90, 91, 120, 121])!)
        }
        for node in nodes.indices {
            let view = book.restricted(to: known[node])
            let snapshots = dates.map { view.snapshot(asOf: $0) }
            for snapshot in snapshots {
                try checkInvoices(node, snapshot, customer: nil)
                try checkAgeing(node, snapshot, customer: nil)
                try checkCollections(node, view, asOf: snapshot.asOf)
            }
            try checkSales(node, view)
            for customer in customers {
                let snapshot = random.element(of: snapshots)!
                try checkInvoices(node, snapshot, customer: customer)
                try checkAgeing(node, snapshot, customer: customer)
                let balance = try nodes[node].balance(customer: customer.id, asOf: date(snapshot.asOf)).minorUnits
                expect(
                    [balance, balance],
                    [snapshot.ageing(customer: customer.key).balance, snapshot.balanceBySums(customer: customer.key)],
                    "node \(node): balance of \(customer.name) as of \(day(snapshot.asOf))"
                )
                try checkStatement(node, view, customer: customer)
                try checkCredit(node, view, customer: customer, asOf: snapshot.asOf)
            }
        }
    }

    /// A date around the run: from before its first document to four months after its last,
    /// or the far future.
    func randomDate() -> Int {
        random.chance(0.1) ? Self.farFuture : random.int(firstDay - 5...today + 130)
    }

    func checkInvoices(_ node: Int, _ snapshot: LedgerOracle.Snapshot, customer: Customer?) throws {
        let asOf = snapshot.asOf
        let actual = try nodes[node].invoices(customer: customer?.id, asOf: date(asOf)).map {
            [
                $0.number, $0.id.description, $0.customerID.description, $0.date.description,
                $0.dueDate.description, $0.terms, "\($0.subtotal.minorUnits)", "\($0.tax.minorUnits)",
                "\($0.total.minorUnits)", "credited \($0.credited.minorUnits)", "paid \($0.paid.minorUnits)",
                "discount \($0.discount.minorUnits)", "open \($0.open.minorUnits)", $0.status,
                "days past due \($0.daysPastDue)",
            ].joined(separator: " ")
        }
        let states = snapshot.states(customer: customer?.key)
        for state in states { counts["invoices \(state.status)", default: 0] += 1 }
        let expected = states.map {
            [
                $0.invoice.number, $0.invoice.id, $0.invoice.customer, day($0.invoice.date), day($0.invoice.due),
                $0.invoice.terms.text, "\($0.invoice.subtotal)", "\($0.invoice.tax)", "\($0.invoice.total)",
                "credited \($0.credited)", "paid \($0.paid)", "discount \($0.discount)", "open \($0.open)",
                $0.status, "days past due \(asOf - $0.invoice.due)",
            ].joined(separator: " ")
        }
        expect(actual, expected, "node \(node): invoices of \(customer?.name ?? "all") as of \(day(asOf))")
    }

    func checkAgeing(_ node: Int, _ snapshot: LedgerOracle.Snapshot, customer: Customer?) throws {
        let rows = try nodes[node].ageing(asOf: date(snapshot.asOf), customer: customer?.id)
        let buckets: [AgeingBucket] = [.current, .days1To30, .days31To60, .days61To90, .days91To120, .days121Plus]
        func text(_ id: String?, _ name: String?, _ figures: LedgerOracle.AgeingFigures) -> String {
            "\(id ?? "totals") \(name ?? "-") buckets \(figures.buckets) unapplied \(figures.unapplied) balance \(figures.balance)"
        }
        let actual = rows.map { row in
            text(
                row.customerID?.description,
                row.name,
                LedgerOracle.AgeingFigures(
                    buckets: buckets.map { row.buckets[$0]?.minorUnits ?? -999_999 },
                    unapplied: row.unapplied.minorUnits,
                    balance: row.balance.minorUnits
                )
            )
        }
        var expectedRows: [(id: String, name: String, figures: LedgerOracle.AgeingFigures)] = []
        for candidate in customers where customer == nil || candidate.key == customer!.key {
            let figures = snapshot.ageing(customer: candidate.key)
            for (index, amount) in figures.buckets.enumerated() where amount != 0 {
                counts["ageing bucket \(index)", default: 0] += 1
            }
            if figures.unapplied != 0 { counts["ageing unapplied", default: 0] += 1 }
            if customer != nil || !figures.isZero { expectedRows.append((candidate.key, candidate.name, figures)) }
        }
        let totals = expectedRows.reduce(LedgerOracle.AgeingFigures()) { $0 + $1.figures }
        // The order of the customers' rows is not the contract's: compared by customer id.
        let expected =
            expectedRows.sorted { LedgerOracle.textLess($0.id, $1.id) }.map { text($0.id, $0.name, $0.figures) }
            + [text(nil, nil, totals)]
        let customerRows = actual.dropLast().sorted { LedgerOracle.textLess($0, $1) }
        expect(
            customerRows + actual.suffix(1),
            expected,
            "node \(node): ageing of \(customer?.name ?? "all") as of \(day(snapshot.asOf))"
        )
    }

    func checkStatement(_ node: Int, _ view: LedgerOracle, customer: Customer) throws {
        let from = random.chance(0.4) ? nil : randomDate()
        let to = random.chance(0.3) ? Self.farFuture : max(from ?? firstDay, randomDate())
        let statement = try nodes[node].statement(customer: customer.id, from: from.map(date), to: date(to))
        let expected = view.statement(customer: customer.key, from: from, to: to)
        for line in expected.lines { counts["statement lines: \(line.kind)", default: 0] += 1 }
        let actual =
            ["opening \(statement.opening.minorUnits)"]
            + statement.lines.map {
                "\($0.date) \($0.kind) \($0.number) \($0.id) \($0.amount.minorUnits) \($0.balance.minorUnits)"
            } + ["closing \(statement.closing.minorUnits)"]
        let wanted =
            ["opening \(expected.opening)"]
            + expected.lines.map { "\(day($0.date)) \($0.kind) \($0.number) \($0.id) \($0.amount) \($0.balance)" }
            + ["closing \(expected.closing)"]
        let label = "node \(node): statement of \(customer.name) from \(from.map(day) ?? "the start") to \(day(to))"
        expect(actual, wanted, label)
        expect(
            [expected.closing],
            [view.snapshot(asOf: to).ageing(customer: customer.key).balance],
            "\(label): the oracle's closing is its balance"
        )
    }

    // MARK: Helpers

    /// A document named by its number, or by its id: always when another document of its kind
    /// carries the number too (nodes that share a prefix), since a number names one document.
    func reference(_ number: String, _ id: String, among numbers: [String]) -> String {
        random.chance(0.5) && numbers.filter({ $0 == number }).count == 1 ? number : id
    }

    func record(_ id: String, on node: Int, _ add: (inout LedgerOracle) -> Void) {
        add(&book)
        known[node].insert(id)
    }

    func nodePairs() -> [(Int, Int)] {
        nodes.indices.flatMap { a in nodes.indices.filter { $0 > a }.map { (a, $0) } }
    }

    /// A dictionary's values in the order of their keys (never the dictionary's own order).
    func sortedValues<T>(_ dictionary: [String: T]) -> [T] {
        dictionary.keys.sorted { LedgerOracle.textLess($0, $1) }.map { dictionary[$0]! }
    }

    func fail(_ message: String) {
        failures.append("step \(step): \(message)")
    }

    func expect(
        _ actual: [some Equatable & CustomStringConvertible],
        _ expected: [some Equatable & CustomStringConvertible],
        _ what: String
    ) {
        expect(actual.map(\.description), expected.map(\.description), what)
    }

    func expect(_ actual: [String], _ expected: [String], _ what: String) {
        guard actual != expected else { return }
        var lines = ["\(what): the node and the oracle differ"]
        for index in 0..<max(actual.count, expected.count) {
            let a = index < actual.count ? actual[index] : "(none)"
            let e = index < expected.count ? expected[index] : "(none)"
            lines.append(a == e ? "    = \(a)" : "    node:   \(a)\n    oracle: \(e)")
        }
        fail(lines.joined(separator: "\n"))
    }
}
