import Foundation
import GRDB
import Model

/// A payment's explicit application, as a user names it: `INVOICE=AMOUNT[/DISCOUNT]`.
public struct ApplicationRequest: Hashable, Sendable {
    /// The invoice's id or number.
    public let invoice: String
    public let amount: String
    public let discount: String?

    public init(invoice: String, amount: String, discount: String? = nil) {
        self.invoice = invoice
        self.amount = amount
        self.discount = discount
    }

    /// Reads `INVOICE=AMOUNT[/DISCOUNT]`; amounts are read in the payment's currency later.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ReplicationError(.invalidValue, "'\(text)' is not an application: write INVOICE=AMOUNT[/DISCOUNT]")
        }
        let amounts = parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        self.init(invoice: parts[0], amount: amounts[0], discount: amounts.count > 1 ? amounts[1] : nil)
    }
}

/// What recording a payment returns: its applications and what is left on account.
public struct RecordedPayment: Hashable, Sendable {
    public let id: EntityID
    public let number: String
    /// Each application: the invoice's id and number, amount and discount.
    public let applied: [(invoice: EntityID, number: String, amount: Money, discount: Money)]
    public let unapplied: Money

    public static func == (lhs: RecordedPayment, rhs: RecordedPayment) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension LocalWriter {
    /// Records a payment from a customer. With applications, each names an invoice of the
    /// customer's folder, dated on or before the payment, and takes at most its open amount;
    /// a discount only within the terms' window and up to its percentage. Without, the amount
    /// goes to the folder's open invoices oldest first (by due date, then number), no
    /// discount. What is not applied is credit on account.
    public mutating func addPayment(
        customer: EntityID,
        amount text: String,
        method: String,
        reference: String?,
        date: BusinessDate,
        applications requests: [ApplicationRequest]
    ) throws -> RecordedPayment {
        let folder = try folder(of: customer)
        let currency = try FinancialLookup.currency(db)
        let amount = try money(text, currency, "the payment's amount")
        guard amount.minorUnits > 0 else { throw ReplicationError(.invalidValue, "a payment's amount must be above 0") }
        guard amount.minorUnits < RecordList.amountLimit else {
            throw ReplicationError(.invalidValue, "the amount is too large")
        }
        let method = method.lowercased()
        guard FolderSchema.paymentMethods.contains(method) else {
            throw ReplicationError(
                .invalidValue,
                "'\(method)' is not a payment method: \(FolderSchema.paymentMethods.joined(separator: ", "))"
            )
        }
        let open = try openInvoices(folder: folder)
        var applied: [PaymentApplication] = []
        var result: [(EntityID, String, Money, Money)] = []
        var left = amount.minorUnits
        if requests.isEmpty {
            for invoice in open where invoice.currency == currency.code && invoice.date <= date.description && left > 0
            {
                let share = min(left, invoice.open)
                guard share > 0 else { continue }
                applied.append(PaymentApplication(invoice: invoice.id.description, amount: share, discount: 0))
                result.append(
                    (invoice.id, invoice.number, Money(minorUnits: share, currency: currency), .zero(currency))
                )
                left -= share
            }
        } else {
            for request in requests {
                let id = try FinancialLookup.document(db, request.invoice, .invoice, table: "invoices")
                guard !applied.contains(where: { $0.invoice == id.description }) else {
                    throw ReplicationError(
                        .invalidValue,
                        "invoice \(request.invoice) is named twice: apply once per invoice"
                    )
                }
                guard let invoice = open.first(where: { $0.id == id }) else {
                    throw ReplicationError(.invalidValue, try notOpen(id, request.invoice, folder))
                }
                guard invoice.currency == currency.code else {
                    throw ReplicationError(
                        .invalidValue,
                        "invoice \(request.invoice) is in \(invoice.currency), the payment in \(currency)"
                    )
                }
                guard invoice.date <= date.description else {
                    throw ReplicationError(
                        .invalidValue,
                        "invoice \(request.invoice) is dated \(invoice.date), after the payment's \(date)"
                    )
                }
                let share = try money(request.amount, currency, "the amount applied to \(request.invoice)")
                let discount =
                    try request.discount.map { try money($0, currency, "the discount on \(request.invoice)") }
                    ?? .zero(currency)
                guard share.minorUnits > 0 || discount.minorUnits > 0 else {
                    throw ReplicationError(.invalidValue, "the application to \(request.invoice) applies nothing")
                }
                do {
                    try invoice.terms.checkDiscount(
                        discount,
                        on: Money(minorUnits: invoice.total, currency: currency),
                        paidOn: date,
                        issuedOn: try BusinessDate(parsing: invoice.date)
                    )
                } catch let error as ModelError {
                    throw ReplicationError(.invalidValue, "invoice \(invoice.number): \(error.message)")
                }
                guard share.minorUnits + discount.minorUnits <= invoice.open else {
                    throw ReplicationError(
                        .invalidValue,
                        "invoice \(invoice.number) has \(Money(minorUnits: invoice.open, currency: currency)) open; \(share) + discount \(discount) is more"
                    )
                }
                guard share.minorUnits <= left else {
                    throw ReplicationError(
                        .invalidValue,
                        "the applications add up to more than the payment's \(amount)"
                    )
                }
                left -= share.minorUnits
                applied.append(
                    PaymentApplication(invoice: id.description, amount: share.minorUnits, discount: discount.minorUnits)
                )
                result.append((id, invoice.number, share, discount))
            }
        }
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .payment, table: "payments")
        let record = PaymentRecord(
            customerId: folder.description,
            number: number,
            date: date.description,
            currency: currency.code,
            amount: amount.minorUnits,
            method: method,
            reference: nonEmpty(reference),
            applied: applied
        )
        let issued = try issue(.payment, record, number)
        return RecordedPayment(
            id: issued.id,
            number: number,
            applied: result.map { (invoice: $0.0, number: $0.1, amount: $0.2, discount: $0.3) },
            unapplied: Money(minorUnits: left, currency: currency)
        )
    }

    /// Reverses a payment (a bounced check): a new record that undoes it, its applications and
    /// discounts with it. Refused when this node knows it reversed already.
    public mutating func reversePayment(_ reference: String, reason: String, date: BusinessDate) throws -> EntityID {
        let payment = try FinancialLookup.document(db, reference, .payment, table: "payments")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ReplicationError(.invalidValue, "say why the payment is reversed (--reason)")
        }
        if let when = try String.fetchOne(
            db,
            sql: "SELECT date FROM payment_reversals WHERE payment_id = ? ORDER BY date, id LIMIT 1",
            arguments: [payment.description]
        ) {
            throw ReplicationError(.invalidValue, "payment \(reference) was reversed already, on \(when)")
        }
        let paid = try String.fetchOne(
            db,
            sql: "SELECT date FROM payments WHERE id = ?",
            arguments: [payment.description]
        )!
        guard date.description >= paid else {
            throw ReplicationError(.invalidValue, "the reversal's date \(date) is before the payment's \(paid)")
        }
        let record = PaymentReversalRecord(payment: payment.description, date: date.description, reason: reason)
        let id = ledger.newEntityID()
        try append(.paymentReversal, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Sets the prefix of this node's numbers from now on (``NumberSeries``).
    public mutating func setSeriesPrefix(_ prefix: String) throws -> String {
        let prefix = try NumberSeries.validated(prefix: prefix)
        try db.execute(sql: "UPDATE node SET series_prefix = ? WHERE id = 1", arguments: [prefix])
        return prefix
    }

    // MARK: Helpers

    private func money(_ text: String, _ currency: CurrencyCode, _ what: String) throws -> Money {
        do { return try Money(parsing: text, currency: currency) } catch let error as ModelError {
            throw ReplicationError(.invalidValue, "\(what): \(error.message)")
        }
    }

    private static let openInvoicesSQL = """
        WITH \(FinancialSQL.invoiceState(.folder))
        SELECT id, number, date, currency, total, terms, open FROM invoice_state
        WHERE folder = :folder AND open > 0 ORDER BY due_date, number, id
        """

    /// The folder's invoices with an open amount above zero, with everything this node holds
    /// counted, oldest due first (then number). Prepared once per connection: every payment
    /// reads it, and compiling it cost as much as running it (W2's build).
    private func openInvoices(folder: EntityID) throws -> [OpenInvoice] {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: Self.openInvoicesSQL),
            arguments: ["asOf": "9999-12-31", "folder": folder.description]
        )
        return try rows.map {
            OpenInvoice(
                id: EntityID($0["id"] as String)!,
                number: $0["number"],
                date: $0["date"],
                currency: $0["currency"],
                total: $0["total"],
                terms: try PaymentTerms(parsing: $0["terms"] as String),
                open: $0["open"]
            )
        }
    }

    private func notOpen(_ id: EntityID, _ reference: String, _ folder: EntityID) throws -> String {
        let customer = try String.fetchOne(
            db,
            sql: "SELECT customer_id FROM invoices WHERE id = ?",
            arguments: [id.description]
        )
        if let customer, let customerID = EntityID(customer), try CustomerMerges.final(db, customerID) != folder {
            return "invoice \(reference) is not in the folder of customer \(folder)"
        }
        return "invoice \(reference) has nothing open"
    }
}

/// An invoice with something open, as a payment applies to it.
struct OpenInvoice {
    let id: EntityID
    let number: String
    let date: String
    let currency: String
    let total: Int64
    let terms: PaymentTerms
    let open: Int64
}
