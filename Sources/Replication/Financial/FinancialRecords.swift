import Foundation
import Model

/// A document line as records carry it (``RecordList/salesLines``): the issued figures, copied
/// so that a later price change never alters the document.
public struct SalesLine: Codable, Hashable, Sendable {
    public var part: String
    public var description: String
    /// Canonical decimal text: `3`, `2.5`.
    public var quantity: String
    /// Minor units of the document's currency.
    public var unitPrice: Int64
    /// Percentage without its sign: `10`, `0`.
    public var discount: String
    public var taxRate: String
    public var net: Int64
    public var tax: Int64

    /// The line with its figures by the contract's rounding.
    init(
        part: String,
        description: String,
        quantity: Quantity,
        unitPrice: Money,
        discount: Percentage,
        taxRate: Percentage
    )
        throws
    {
        let amounts = try LineAmounts(quantity: quantity, unitPrice: unitPrice, discount: discount, taxRate: taxRate)
        self.part = part
        self.description = description
        self.quantity = quantity.description
        self.unitPrice = unitPrice.minorUnits
        self.discount = RecordList.text(discount)
        self.taxRate = RecordList.text(taxRate)
        self.net = amounts.net.minorUnits
        self.tax = amounts.tax.minorUnits
    }

    var parsedQuantity: Quantity { (try? Quantity(parsing: quantity)) ?? Quantity(tenThousandths: 0) }
    var parsedDiscount: Percentage { (try? Percentage(parsing: discount)) ?? .zero }
    var parsedTaxRate: Percentage { (try? Percentage(parsing: taxRate)) ?? .zero }
}

/// The totals of lines, as every sales document carries them.
struct LineTotals {
    var subtotal: Int64
    var tax: Int64
    var total: Int64 { subtotal + tax }

    init(_ lines: [SalesLine]) throws {
        var subtotal: Int64 = 0
        var tax: Int64 = 0
        for line in lines {
            let (s, o1) = subtotal.addingReportingOverflow(line.net)
            let (t, o2) = tax.addingReportingOverflow(line.tax)
            guard !o1, !o2, s < RecordList.amountLimit, t < RecordList.amountLimit, s + t < RecordList.amountLimit
            else { throw ReplicationError(.invalidValue, "the document's total is too large") }
            (subtotal, tax) = (s, t)
        }
        self.subtotal = subtotal
        self.tax = tax
    }
}

struct QuoteRecord: Codable {
    var customerId: String
    var number: String
    var date: String
    var currency: String
    var subtotal: Int64
    var tax: Int64
    var total: Int64
    var lines: [SalesLine]
    var validUntil: String?
    var notes: String?
}

struct QuoteDecisionRecord: Codable {
    var quote: String
    var decision: String
    var date: String
}

struct OrderRecord: Codable {
    var customerId: String
    var number: String
    var date: String
    var currency: String
    var subtotal: Int64
    var tax: Int64
    var total: Int64
    var lines: [SalesLine]
    var quote: String?
    var deliverBy: String?
    var creditOverride: String?
    /// The credit holds of the folder its writer knew (in force or released): a hold not among
    /// them, whose writer had not seen the order either, was placed concurrently
    /// (`order-during-hold`).
    var holdsSeen: [String]?
    var notes: String?
}

struct DeliveredLine: Codable {
    var part: String
    var quantity: String
}

struct OrderDeliveryRecord: Codable {
    var order: String
    var date: String
    var lines: [DeliveredLine]
}

struct OrderCancellationRecord: Codable {
    var order: String
    var date: String
    var reason: String
}

struct InvoiceRecord: Codable {
    var customerId: String
    var number: String
    var date: String
    var currency: String
    var subtotal: Int64
    var tax: Int64
    var total: Int64
    var lines: [SalesLine]
    var dueDate: String
    var terms: String
    var order: String?
    var salesperson: String?
    var notes: String?
    /// The service call whose charges it invoices.
    var service: String? = nil
}

struct CreditNoteRecord: Codable {
    var customerId: String
    var number: String
    var date: String
    var currency: String
    var subtotal: Int64
    var tax: Int64
    var total: Int64
    var invoice: String
    var reason: String
    var lines: [SalesLine]?
}

/// One application of a payment to an invoice, in minor units.
public struct PaymentApplication: Codable, Hashable, Sendable {
    public var invoice: String
    public var amount: Int64
    public var discount: Int64
}

struct PaymentRecord: Codable {
    var customerId: String
    var number: String
    var date: String
    var currency: String
    var amount: Int64
    var method: String
    var reference: String?
    var applied: [PaymentApplication]
}

struct PaymentReversalRecord: Codable {
    var payment: String
    var date: String
    var reason: String
}
