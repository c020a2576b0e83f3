import Foundation
import GRDB
import Model

/// What issuing a numbered document returns.
public struct IssuedDocument: Hashable, Sendable {
    public let id: EntityID
    public let number: String
}

/// Where an invoice's lines come from.
public enum InvoiceSource: Sendable {
    /// Lines priced from the price list (or as given).
    case lines([LineRequest])
    /// An order's delivered quantities not yet invoiced (its whole remainder when nothing was
    /// delivered).
    case order(String)
    /// A completed service call's charges, once (by id or number).
    case service(String)
}

extension LocalWriter {
    // MARK: Quotes

    /// Issues a quote; its lines are priced from the price list unless a line gives `@PRICE`.
    public mutating func addQuote(
        customer: EntityID,
        lines requests: [LineRequest],
        date: BusinessDate,
        validUntil: BusinessDate?,
        notes: String?
    ) throws -> IssuedDocument {
        let folder = try folder(of: customer)
        if let validUntil, validUntil < date {
            throw ReplicationError(.invalidValue, "the quote is valid until \(validUntil), before its date \(date)")
        }
        let currency = try FinancialLookup.currency(db)
        let lines = try priced(requests, currency: currency)
        let totals = try LineTotals(lines)
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .quote, table: "quotes")
        let record = QuoteRecord(
            customerId: folder.description,
            number: number,
            date: date.description,
            currency: currency.code,
            subtotal: totals.subtotal,
            tax: totals.tax,
            total: totals.total,
            lines: lines,
            validUntil: validUntil?.description,
            notes: nonEmpty(notes)
        )
        return try issue(.quote, record, number)
    }

    /// Records a quote's acceptance or decline; refused when this node knows a decision on it.
    public mutating func decideQuote(_ reference: String, accepted: Bool, date: BusinessDate) throws -> EntityID {
        let quote = try FinancialLookup.document(db, reference, .quote, table: "quotes")
        if let decision = try FinancialLookup.quoteDecision(db, quote) {
            throw ReplicationError(.invalidValue, "quote \(reference) was \(decision) already")
        }
        if accepted,
            let customer = try String.fetchOne(
                db,
                sql: "SELECT customer_id FROM quotes WHERE id = ?",
                arguments: [quote.description]
            ).flatMap(EntityID.init)
        {
            try refuseIfOnHold(try folder(of: customer), "quote \(reference) cannot be accepted")
        }
        let quoteDate = try String.fetchOne(
            db,
            sql: "SELECT date FROM quotes WHERE id = ?",
            arguments: [quote.description]
        )
        if let quoteDate, date.description < quoteDate {
            throw ReplicationError(.invalidValue, "the decision's date \(date) is before the quote's \(quoteDate)")
        }
        let record = QuoteDecisionRecord(
            quote: quote.description,
            decision: accepted ? "accepted" : "declined",
            date: date.description
        )
        let id = ledger.newEntityID()
        try append(.quoteDecision, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    // MARK: Orders

    /// Issues a sales order from lines or from a quote (whose lines it copies; an undecided
    /// quote is accepted by it). Each part appears on one line of an order.
    public mutating func addOrder(
        customer: EntityID,
        lines requests: [LineRequest],
        quote reference: String?,
        date: BusinessDate,
        deliverBy: BusinessDate?,
        creditOverride: String?,
        notes: String?
    ) throws -> IssuedDocument {
        let folder = try folder(of: customer)
        try refuseIfOnHold(folder, "no order is taken")
        let currency = try FinancialLookup.currency(db)
        var lines: [SalesLine]
        var quoteID: EntityID?
        if let reference {
            guard requests.isEmpty else {
                throw ReplicationError(.invalidValue, "an order takes --line or --quote, not both")
            }
            let quote = try FinancialLookup.document(db, reference, .quote, table: "quotes")
            let row = try Row.fetchOne(
                db,
                sql: "SELECT customer_id, currency, lines FROM quotes WHERE id = ?",
                arguments: [quote.description]
            )!
            guard try self.folder(of: EntityID(row["customer_id"] as String)!) == folder else {
                throw ReplicationError(.invalidValue, "quote \(reference) is not for customer \(folder)")
            }
            guard (row["currency"] as String) == currency.code else {
                throw ReplicationError(
                    .invalidValue,
                    "quote \(reference) is in \(row["currency"] as String), this node in \(currency)"
                )
            }
            let decision = try FinancialLookup.quoteDecision(db, quote)
            if decision == "declined" { throw ReplicationError(.invalidValue, "quote \(reference) was declined") }
            lines = try JSONDecoder().decode([SalesLine].self, from: Data((row["lines"] as String).utf8))
            quoteID = quote
            if decision == nil { _ = try decideQuote(quote.description, accepted: true, date: date) }
        } else {
            lines = try priced(requests, currency: currency)
        }
        guard !lines.isEmpty else { throw ReplicationError(.invalidValue, "an order needs --line or --quote") }
        var parts = Set<String>()
        for line in lines where !parts.insert(line.part).inserted {
            throw ReplicationError(.invalidValue, "part \(line.part) is on two lines: an order names each part once")
        }
        if let deliverBy, deliverBy < date {
            throw ReplicationError(.invalidValue, "deliver by \(deliverBy) is before the order's date \(date)")
        }
        let totals = try LineTotals(lines)
        try refuseOverLimit(folder, adding: totals.total, override: creditOverride)
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .order, table: "orders")
        let record = OrderRecord(
            customerId: folder.description,
            number: number,
            date: date.description,
            currency: currency.code,
            subtotal: totals.subtotal,
            tax: totals.tax,
            total: totals.total,
            lines: lines,
            quote: quoteID?.description,
            deliverBy: deliverBy?.description,
            creditOverride: nonEmpty(creditOverride),
            holdsSeen: try knownHolds(folder),
            notes: nonEmpty(notes)
        )
        return try issue(.order, record, number)
    }

    /// Records a delivery of an order: the given quantities, or everything not yet delivered.
    /// Refused for a cancelled order, a part not on it, or more than is left to deliver.
    public mutating func deliverOrder(_ reference: String, lines requested: [DeliveredQuantity], date: BusinessDate)
        throws -> EntityID
    {
        let order = try FinancialLookup.document(db, reference, .order, table: "orders")
        let state = try OrderState(db, order)
        if state.cancelled { throw ReplicationError(.invalidValue, "order \(reference) was cancelled") }
        guard date.description >= state.date else {
            throw ReplicationError(.invalidValue, "the delivery's date \(date) is before the order's \(state.date)")
        }
        var delivered: [DeliveredLine] = []
        if requested.isEmpty {
            for line in state.lines {
                let left = line.parsedQuantity.tenThousandths - (state.delivered[line.part] ?? 0)
                if left > 0 {
                    delivered.append(
                        DeliveredLine(part: line.part, quantity: Quantity(tenThousandths: left).description)
                    )
                }
            }
            guard !delivered.isEmpty else {
                throw ReplicationError(.invalidValue, "order \(reference) was delivered in full")
            }
        } else {
            var asked: [String: Int64] = [:]
            for line in requested {
                guard let ordered = state.lines.first(where: { $0.part == line.part }) else {
                    throw ReplicationError(.invalidValue, "part \(line.part) is not on order \(reference)")
                }
                asked[line.part, default: 0] += line.quantity.tenThousandths
                let left = ordered.parsedQuantity.tenThousandths - (state.delivered[line.part] ?? 0)
                guard asked[line.part]! <= left else {
                    throw ReplicationError(
                        .invalidValue,
                        "order \(reference) has \(Quantity(tenThousandths: max(0, left))) of \(line.part) left to deliver, not \(Quantity(tenThousandths: asked[line.part]!))"
                    )
                }
                delivered.append(DeliveredLine(part: line.part, quantity: line.quantity.description))
            }
        }
        let record = OrderDeliveryRecord(order: order.description, date: date.description, lines: delivered)
        let id = ledger.newEntityID()
        try append(.orderDelivery, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Cancels an order, with the reason; refused when this node knows it cancelled already.
    public mutating func cancelOrder(_ reference: String, reason: String, date: BusinessDate) throws -> EntityID {
        let order = try FinancialLookup.document(db, reference, .order, table: "orders")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ReplicationError(.invalidValue, "say why the order is cancelled (--reason)")
        }
        let state = try OrderState(db, order)
        if state.cancelled { throw ReplicationError(.invalidValue, "order \(reference) was cancelled already") }
        guard date.description >= state.date else {
            throw ReplicationError(.invalidValue, "the cancellation's date \(date) is before the order's \(state.date)")
        }
        let record = OrderCancellationRecord(order: order.description, date: date.description, reason: reason)
        let id = ledger.newEntityID()
        try append(.orderCancellation, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    // MARK: Invoices

    /// Issues an invoice: immutable, its lines copied. Terms: `terms`, else the customer's,
    /// else `net 30`; due date = date + the terms' days.
    public mutating func addInvoice(
        customer: EntityID,
        source: InvoiceSource,
        date: BusinessDate,
        terms: PaymentTerms?,
        salesperson: String?,
        notes: String?
    ) throws -> IssuedDocument {
        let folder = try folder(of: customer)
        let currency = try FinancialLookup.currency(db)
        var lines: [SalesLine]
        var orderID: EntityID?
        var serviceID: EntityID?
        switch source {
        case .lines(let requests):
            guard !requests.isEmpty else {
                throw ReplicationError(.invalidValue, "an invoice needs --line, --order or --service")
            }
            lines = try priced(requests, currency: currency)
        case .order(let reference):
            let order = try FinancialLookup.document(db, reference, .order, table: "orders")
            let state = try OrderState(db, order)
            guard try self.folder(of: state.customer) == folder else {
                throw ReplicationError(.invalidValue, "order \(reference) is not for customer \(folder)")
            }
            guard state.currency == currency.code else {
                throw ReplicationError(
                    .invalidValue,
                    "order \(reference) is in \(state.currency), this node in \(currency)"
                )
            }
            lines = try state.invoiceable()
            guard !lines.isEmpty else {
                throw ReplicationError(
                    .invalidValue,
                    state.cancelled && state.delivered.isEmpty
                        ? "order \(reference) was cancelled"
                        : "order \(reference) has nothing delivered left to invoice"
                )
            }
            orderID = order
        case .service(let reference):
            let (call, charged) = try invoiceableCharges(reference, folder: folder, currency: currency)
            serviceID = call
            lines = charged
        }
        let customerTerms = try String.fetchOne(
            db,
            sql: "SELECT terms FROM customers WHERE id = ?",
            arguments: [folder.description]
        )
        let terms = try terms ?? customerTerms.map { try PaymentTerms(parsing: $0) } ?? .standard
        let totals = try LineTotals(lines)
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .invoice, table: "invoices")
        let record = InvoiceRecord(
            customerId: folder.description,
            number: number,
            date: date.description,
            currency: currency.code,
            subtotal: totals.subtotal,
            tax: totals.tax,
            total: totals.total,
            lines: lines,
            dueDate: terms.dueDate(issuedOn: date).description,
            terms: terms.description,
            order: orderID?.description,
            salesperson: nonEmpty(salesperson),
            notes: nonEmpty(notes),
            service: serviceID?.description
        )
        return try issue(.invoice, record, number)
    }

    // MARK: Credit notes

    /// Issues a credit note against an invoice: a gross `amount` split into net and tax in the
    /// invoice's proportion (net = amount × subtotal ÷ total, rounded; tax = the rest), or lines
    /// priced as on the invoice. Refused when the invoice's credit notes would exceed its total.
    public mutating func addCreditNote(
        invoice reference: String,
        amount: Money?,
        lines requests: [LineRequest],
        reason: String,
        date: BusinessDate
    ) throws -> IssuedDocument {
        let invoice = try FinancialLookup.document(db, reference, .invoice, table: "invoices")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ReplicationError(.invalidValue, "say why the invoice is credited (--reason)")
        }
        let row = try Row.fetchOne(
            db,
            sql: "SELECT customer_id, date, currency, subtotal, total, lines FROM invoices WHERE id = ?",
            arguments: [invoice.description]
        )!
        let currency = try CurrencyCode(row["currency"] as String)
        guard date.description >= (row["date"] as String) else {
            throw ReplicationError(
                .invalidValue,
                "the credit note's date \(date) is before the invoice's \(row["date"] as String)"
            )
        }
        var subtotal: Int64
        var tax: Int64
        var lines: [SalesLine]?
        switch (amount, requests.isEmpty) {
        case (let amount?, true):
            guard amount.currency == currency else {
                throw ReplicationError(.invalidValue, "the invoice is in \(currency), the amount in \(amount.currency)")
            }
            guard amount.minorUnits > 0 else {
                throw ReplicationError(.invalidValue, "a credit note's amount must be above 0")
            }
            let invoiceTotal: Int64 = row["total"]
            guard invoiceTotal > 0 else {
                throw ReplicationError(.invalidValue, "invoice \(reference) has a total of 0")
            }
            subtotal = try amount.proportion(row["subtotal"], of: invoiceTotal).minorUnits
            tax = amount.minorUnits - subtotal
        case (nil, false):
            let invoiced = try JSONDecoder().decode([SalesLine].self, from: Data((row["lines"] as String).utf8))
            let credited = try requests.map { request in
                guard let line = invoiced.first(where: { $0.part == request.part }) else {
                    throw ReplicationError(.invalidValue, "invoice \(reference) has no line of part \(request.part)")
                }
                let price = try request.price.map { try Money(parsing: $0, currency: currency) }
                return try SalesLine(
                    part: line.part,
                    description: line.description,
                    quantity: request.quantity,
                    unitPrice: price ?? Money(minorUnits: line.unitPrice, currency: currency),
                    discount: request.price == nil && request.discount == .zero
                        ? line.parsedDiscount : request.discount,
                    taxRate: line.parsedTaxRate
                )
            }
            let totals = try LineTotals(credited)
            (subtotal, tax, lines) = (totals.subtotal, totals.tax, credited)
        default:
            throw ReplicationError(.invalidValue, "a credit note takes --amount or --line (one of them)")
        }
        let already =
            try Int64.fetchOne(
                db,
                sql: "SELECT sum(total) FROM credit_notes WHERE invoice_id = ?",
                arguments: [invoice.description]
            ) ?? 0
        let invoiceTotal: Int64 = row["total"]
        guard already + subtotal + tax <= invoiceTotal else {
            throw ReplicationError(
                .invalidValue,
                "invoice \(reference) totals \(Money(minorUnits: invoiceTotal, currency: currency)) and was credited \(Money(minorUnits: already, currency: currency)): at most \(Money(minorUnits: invoiceTotal - already, currency: currency)) more can be credited"
            )
        }
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .creditNote, table: "credit_notes")
        let record = CreditNoteRecord(
            customerId: row["customer_id"],
            number: number,
            date: date.description,
            currency: currency.code,
            subtotal: subtotal,
            tax: tax,
            total: subtotal + tax,
            invoice: invoice.description,
            reason: reason,
            lines: lines
        )
        return try issue(.creditNote, record, number)
    }

    // MARK: Helpers

    /// The customer whose folder a document for `customer` goes to (merges followed).
    func folder(of customer: EntityID) throws -> EntityID {
        try requireEntity(.customer, customer)
        return try CustomerMerges.final(db, customer)
    }

    /// Lines priced from the price list: the item's description and tax rate, its price unless
    /// the line gives one.
    func priced(_ requests: [LineRequest], currency: CurrencyCode) throws -> [SalesLine] {
        guard requests.count <= RecordList.maximumCount else {
            throw ReplicationError(.invalidValue, "a document holds at most \(RecordList.maximumCount) lines")
        }
        return try requests.map { request in
            let item = try FinancialLookup.item(db, part: request.part)
            let part: String = item["part"]
            let priceText = request.price ?? (item["price"] as String? ?? "0")
            let price: Money
            do { price = try Money(parsing: priceText, currency: currency) } catch let error as ModelError {
                throw ReplicationError(.invalidValue, "the price of \(part): \(error.message)")
            }
            let tax = try Percentage(parsing: item["tax"] as String? ?? "0")
            do {
                return try SalesLine(
                    part: part,
                    description: item["description"] as String? ?? "",
                    quantity: request.quantity,
                    unitPrice: price,
                    discount: request.discount,
                    taxRate: tax
                )
            } catch let error as ModelError {
                throw ReplicationError(.invalidValue, "the line of \(part): \(error.message)")
            }
        }
    }

    mutating func issue(_ kind: EntityKind, _ record: some Encodable, _ number: String) throws -> IssuedDocument {
        let id = ledger.newEntityID()
        try append(kind, id, "", .record, try RecordJSON.encode(record), [])
        return IssuedDocument(id: id, number: number)
    }

    func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

/// An order as this node knows it: its lines, what was delivered and invoiced of each part,
/// whether it was cancelled.
struct OrderState {
    let customer: EntityID
    let date: String
    let currency: String
    let lines: [SalesLine]
    let cancelled: Bool
    /// Delivered quantity per part, in ten-thousandths.
    let delivered: [String: Int64]
    /// Invoiced quantity per part, in ten-thousandths.
    let invoiced: [String: Int64]

    init(_ db: Database, _ order: EntityID) throws {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT customer_id, date, currency, lines FROM orders WHERE id = ?",
            arguments: [order.description]
        )!
        customer = EntityID(row["customer_id"] as String)!
        date = row["date"]
        currency = row["currency"]
        lines = try JSONDecoder().decode([SalesLine].self, from: Data((row["lines"] as String).utf8))
        cancelled =
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM order_cancellations WHERE order_id = ?)",
                arguments: [order.description]
            ) ?? false
        func sums(_ sql: String) throws -> [String: Int64] {
            var sums: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: [order.description]) {
                sums[row["part"], default: 0] +=
                    (try? Quantity(parsing: row["quantity"] as String))?.tenThousandths ?? 0
            }
            return sums
        }
        delivered = try sums(
            "SELECT l.part, l.quantity FROM delivered_lines l JOIN order_deliveries d ON d.id = l.delivery_id WHERE d.order_id = ?"
        )
        invoiced = try sums(
            "SELECT l.part, l.quantity FROM sales_lines l JOIN invoices i ON i.id = l.document_id WHERE i.order_id = ?"
        )
    }

    /// The lines an invoice of this order carries now: per part, what was delivered (all that
    /// was ordered, when nothing was delivered and the order stands) less what was invoiced,
    /// at the order's price, discount and tax rate.
    func invoiceable() throws -> [SalesLine] {
        let currency = try CurrencyCode(currency)
        return try lines.compactMap { line in
            let basis =
                delivered.isEmpty ? (cancelled ? 0 : line.parsedQuantity.tenThousandths) : (delivered[line.part] ?? 0)
            let left = basis - (invoiced[line.part] ?? 0)
            guard left > 0 else { return nil }
            return try SalesLine(
                part: line.part,
                description: line.description,
                quantity: Quantity(tenThousandths: left),
                unitPrice: Money(minorUnits: line.unitPrice, currency: currency),
                discount: line.parsedDiscount,
                taxRate: line.parsedTaxRate
            )
        }
    }
}
