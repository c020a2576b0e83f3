import Foundation
import Model

/// The shape of a list carried in a record (a JSON array of objects), checked member by member
/// before anything of the record is applied: the triggers that spread a list into its table
/// never meet a value they cannot store.
public enum RecordList: Sendable, Hashable {
    /// Document lines: `{"part", "description", "quantity", "unitPrice", "discount", "taxRate",
    /// "net", "tax"}` — quantity, discount and tax rate as canonical decimal strings, amounts as
    /// integers of minor units.
    case salesLines
    /// Delivered quantities: `{"part", "quantity"}`.
    case deliveredLines
    /// A payment's applications: `{"invoice", "amount", "discount"}`.
    case applications
    /// Ids of records (a release's holds it answers): strings, each an id in canonical form.
    case references
    /// A version vector (what a hold's writer had seen): `{"node", "seq"}` — a node id in
    /// canonical form and a sequence number of at least 1.
    case versions

    /// The most elements one list holds.
    public static let maximumCount = 1_000

    /// Why `member` is not a list of this shape, or `nil`.
    func violation(_ member: RecordMember) -> String? {
        guard let array = member.array else { return "is not a list" }
        guard array.count <= Self.maximumCount else { return "has more than \(Self.maximumCount) elements" }
        if self == .references {
            for (index, element) in array.enumerated() {
                guard let text = element.text, EntityID(text)?.description == text else {
                    return "element \(index + 1) is not an id in canonical form"
                }
            }
            return nil
        }
        for (index, element) in array.enumerated() {
            guard let object = element.object else { return "element \(index + 1) is not an object" }
            if let problem = violation(object) { return "element \(index + 1): \(problem)" }
        }
        return nil
    }

    private func violation(_ object: RecordObject) -> String? {
        switch self {
        case .salesLines:
            guard let part = object["part"]?.text, !part.isEmpty else { return "no part" }
            guard object["description"]?.text != nil else { return "no description" }
            guard let quantity = Self.quantity(object["quantity"]), quantity.tenThousandths > 0 else {
                return "the quantity is not a positive decimal in canonical form"
            }
            guard let price = Self.amount(object["unitPrice"]) else { return "the unit price is not an amount" }
            guard let discount = Self.percentage(object["discount"]), discount < .whole else {
                return "the discount is not a percentage below 100 in canonical form"
            }
            guard let taxRate = Self.percentage(object["taxRate"]) else {
                return "the tax rate is not a percentage in canonical form"
            }
            guard let net = object["net"]?.integer, let tax = object["tax"]?.integer
            else { return "no net or tax amount" }
            // The contract's rounding, checked exactly (the currency does not change minor units).
            guard
                let expected = try? LineAmounts(
                    quantity: quantity,
                    unitPrice: Money(minorUnits: price, currency: .usd),
                    discount: discount,
                    taxRate: taxRate
                ), expected.net.minorUnits == net, expected.tax.minorUnits == tax
            else { return "its net and tax do not follow the rounding rule" }
            return nil
        case .deliveredLines:
            guard let part = object["part"]?.text, !part.isEmpty else { return "no part" }
            guard let quantity = Self.quantity(object["quantity"]), quantity.tenThousandths > 0 else {
                return "the quantity is not a positive decimal in canonical form"
            }
            return nil
        case .applications:
            guard let invoice = object["invoice"]?.text, EntityID(invoice)?.description == invoice else {
                return "the invoice is not an id in canonical form"
            }
            guard let amount = Self.amount(object["amount"]), let discount = Self.amount(object["discount"]) else {
                return "the amount or discount is not an amount"
            }
            guard amount > 0 || discount > 0 else { return "applies nothing" }
            return nil
        case .references:
            return nil
        case .versions:
            guard let node = object["node"]?.text, NodeID(node)?.description == node else {
                return "the node is not a node id in canonical form"
            }
            guard let seq = object["seq"]?.integer, seq >= 1 else { return "the sequence number is not positive" }
            return nil
        }
    }

    /// Amounts stay below 10^15 minor units (10^13 dollars): sums of a thousand stay exact in
    /// 64 bits and in a JSON number.
    static let amountLimit: Int64 = 1_000_000_000_000_000

    /// A non-negative integer of minor units below ``amountLimit``.
    static func amount(_ member: RecordMember?) -> Int64? {
        guard let value = member?.integer, (0..<amountLimit).contains(value) else {
            return nil
        }
        return value
    }

    static func quantity(_ member: RecordMember?) -> Quantity? {
        guard let text = member?.text, let value = try? Quantity(parsing: text), value.description == text,
            value.tenThousandths < 10_000_000_000_000
        else { return nil }
        return value
    }

    /// A percentage written without its sign, canonically: `10`, `8.25`, `0`.
    static func percentage(_ member: RecordMember?) -> Percentage? {
        guard let text = member?.text, let value = try? Percentage(parsing: text),
            RecordList.text(value) == text
        else { return nil }
        return value
    }

    /// A percentage as lists and tables store it: `8.25`, `10`, `0`.
    public static func text(_ percentage: Percentage) -> String { String(percentage.description.dropLast()) }
}

/// Rules over a whole record (``KindDeclaration/RecordRule``), checked by the gate after each
/// member fits its declaration.
enum RecordRules {
    static func violation(_ object: RecordObject, _ rule: KindDeclaration.RecordRule) -> String? {
        switch rule {
        case .documentTotals:
            guard let subtotal = RecordList.amount(object["subtotal"]), let tax = RecordList.amount(object["tax"]),
                let total = RecordList.amount(object["total"])
            else { return "the record's subtotal, tax or total is not an amount" }
            guard subtotal + tax == total else { return "the record's total is not its subtotal plus its tax" }
            guard let lines = object["lines"]?.array else { return nil }
            let nets = lines.reduce(Int64(0)) { $0 + ($1.object?["net"]?.integer ?? 0) }
            let taxes = lines.reduce(Int64(0)) { $0 + ($1.object?["tax"]?.integer ?? 0) }
            guard nets == subtotal, taxes == tax else {
                return "the record's subtotal and tax are not the sums of its lines"
            }
            return nil
        case .paymentApplications:
            guard let amount = RecordList.amount(object["amount"]) else {
                return "the payment's amount is not an amount"
            }
            let applications = (object["applied"]?.array ?? []).compactMap(\.object)
            let applied = applications.reduce(Int64(0)) { $0 + ($1["amount"]?.integer ?? 0) }
            guard applied <= amount else { return "the payment applies more than its amount" }
            let invoices = applications.compactMap { $0["invoice"]?.text }
            guard Set(invoices).count == invoices.count else { return "the payment applies to one invoice twice" }
            return nil
        }
    }
}
