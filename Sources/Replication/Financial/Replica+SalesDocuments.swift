import Foundation
import GRDB
import Model

/// A quote, order, invoice or credit note as issued, with what happened to it since.
public struct SalesDocument: Sendable, Hashable {
    public let kind: EntityKind
    public let id: EntityID
    public let number: String
    /// The customer whose folder shows it.
    public let customerID: EntityID
    public let date: BusinessDate
    public let currency: CurrencyCode
    public let subtotal: Money
    public let tax: Money
    public let total: Money
    public let lines: [SalesLine]
    /// Members beyond the common ones, by their JSON keys (`validUntil`, `terms`, `dueDate`,
    /// `order`, `invoice`, `reason`, `notes`, ...), as strings; absent ones left out.
    public let details: [String: String]
    /// A quote: `open`, `accepted`, `declined`. An order: `open`, `partly-delivered`,
    /// `delivered`, `cancelled`. Invoices and credit notes: `issued` (an invoice's figures are in
    /// ``InvoiceSummary``).
    public let status: String
    /// An order's deliveries, oldest first: date and lines.
    public let deliveries: [(date: String, lines: [(part: String, quantity: String)])]

    public static func == (lhs: SalesDocument, rhs: SalesDocument) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A payment with its applications and, when reversed, the reversal.
public struct PaymentView: Sendable, Hashable {
    public struct Application: Sendable, Hashable {
        public let invoice: EntityID
        public let number: String?
        public let amount: Money
        public let discount: Money
    }

    public let id: EntityID
    public let number: String
    public let customerID: EntityID
    public let date: BusinessDate
    public let amount: Money
    public let method: String
    public let reference: String?
    public let applied: [Application]
    public let unapplied: Money
    /// The earliest reversal: its date and reason.
    public let reversed: (date: String, reason: String)?

    public static func == (lhs: PaymentView, rhs: PaymentView) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension Replica {
    static let salesTables: [EntityKind: String] = [
        .quote: "quotes", .order: "orders", .invoice: "invoices", .creditNote: "credit_notes",
    ]

    /// A quote, order, invoice or credit note named by id or number.
    public func salesDocument(_ kind: EntityKind, _ reference: String) throws -> SalesDocument {
        guard let table = Self.salesTables[kind] else { preconditionFailure("\(kind) is not a sales document") }
        return try pool.read { db in
            let id = try FinancialLookup.document(db, reference, kind, table: table)
            return try Self.salesDocument(db, kind, table, id)
        }
    }

    /// The sales documents of `kind`, of one folder or all, by date then number.
    public func salesDocuments(_ kind: EntityKind, customer: EntityID?) throws -> [SalesDocument] {
        guard let table = Self.salesTables[kind] else { preconditionFailure("\(kind) is not a sales document") }
        return try pool.read { db in
            let folder = try customer.map { try Self.requireCustomer(db, $0) }
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT d.id FROM \(table) d LEFT JOIN customers c ON c.id = d.customer_id
                    WHERE ?1 IS NULL OR coalesce(c.merged_into, d.customer_id) = ?1
                    ORDER BY d.date, d.number, d.id
                    """,
                arguments: [folder?.description]
            )
            return try ids.map { try Self.salesDocument(db, kind, table, EntityID($0)!) }
        }
    }

    private static func salesDocument(_ db: Database, _ kind: EntityKind, _ table: String, _ id: EntityID) throws
        -> SalesDocument
    {
        let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id.description])!
        let currency = try CurrencyCode(row["currency"] as String)
        func money(_ column: String) -> Money { Money(minorUnits: row[column], currency: currency) }
        let lines =
            try (row["lines"] as String?).map {
                try JSONDecoder().decode([SalesLine].self, from: Data($0.utf8))
            } ?? []
        var details: [String: String] = [:]
        let detailColumns = [
            ("valid_until", "validUntil"), ("deliver_by", "deliverBy"), ("credit_override", "creditOverride"),
            ("due_date", "dueDate"), ("terms", "terms"), ("salesperson", "salesperson"), ("reason", "reason"),
            ("notes", "notes"), ("quote_id", "quote"), ("order_id", "order"), ("invoice_id", "invoice"),
        ]
        for (column, key) in detailColumns where row.hasColumn(column) {
            if let value = row[column] as String? { details[key] = value }
        }
        // The documents it points at, by number too (`quoteNumber`, `orderNumber`, `invoiceNumber`).
        for (key, table) in [("quote", "quotes"), ("order", "orders"), ("invoice", "invoices")] {
            guard let pointed = details[key] else { continue }
            if let number = try String.fetchOne(
                db,
                sql: "SELECT number FROM \(table) WHERE id = ?",
                arguments: [pointed]
            ) {
                details[key + "Number"] = number
            }
        }
        var status = "issued"
        var deliveries: [(String, [(String, String)])] = []
        switch kind {
        case .quote:
            status =
                try FinancialLookup.quoteDecision(db, id) ?? "open"
        case .order:
            let state = try OrderState(db, id)
            let complete = state.lines.allSatisfy {
                (state.delivered[$0.part] ?? 0) >= $0.parsedQuantity.tenThousandths
            }
            status =
                state.cancelled
                ? "cancelled" : complete ? "delivered" : state.delivered.isEmpty ? "open" : "partly-delivered"
            for delivery in try Row.fetchAll(
                db,
                sql: "SELECT id, date FROM order_deliveries WHERE order_id = ? ORDER BY date, id",
                arguments: [id.description]
            ) {
                let parts = try Row.fetchAll(
                    db,
                    sql: "SELECT part, quantity FROM delivered_lines WHERE delivery_id = ? ORDER BY position",
                    arguments: [delivery["id"] as String]
                ).map { ($0["part"] as String, $0["quantity"] as String) }
                deliveries.append((delivery["date"], parts))
            }
            if let reason = try String.fetchOne(
                db,
                sql: "SELECT reason FROM order_cancellations WHERE order_id = ? ORDER BY date, id LIMIT 1",
                arguments: [id.description]
            ) {
                details["cancelled"] = reason
            }
        default:
            break
        }
        return SalesDocument(
            kind: kind,
            id: id,
            number: row["number"],
            customerID: try CustomerMerges.final(db, EntityID(row["customer_id"] as String)!),
            date: try BusinessDate(parsing: row["date"]),
            currency: currency,
            subtotal: money("subtotal"),
            tax: money("tax"),
            total: money("total"),
            lines: lines,
            details: details,
            status: status,
            deliveries: deliveries.map { (date: $0.0, lines: $0.1.map { (part: $0.0, quantity: $0.1) }) }
        )
    }

    /// A payment named by id or number.
    public func payment(_ reference: String) throws -> PaymentView {
        try pool.read { db in
            let id = try FinancialLookup.document(db, reference, .payment, table: "payments")
            return try Self.payment(db, id)
        }
    }

    /// The payments of one folder or all, by date then number.
    public func payments(customer: EntityID?) throws -> [PaymentView] {
        try pool.read { db in
            let folder = try customer.map { try Self.requireCustomer(db, $0) }
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT p.id FROM payments p LEFT JOIN customers c ON c.id = p.customer_id
                    WHERE ?1 IS NULL OR coalesce(c.merged_into, p.customer_id) = ?1
                    ORDER BY p.date, p.number, p.id
                    """,
                arguments: [folder?.description]
            )
            return try ids.map { try Self.payment(db, EntityID($0)!) }
        }
    }

    private static func payment(_ db: Database, _ id: EntityID) throws -> PaymentView {
        let row = try Row.fetchOne(db, sql: "SELECT * FROM payments WHERE id = ?", arguments: [id.description])!
        let currency = try CurrencyCode(row["currency"] as String)
        let applied = try Row.fetchAll(
            db,
            sql: """
                SELECT a.invoice_id, i.number, a.amount, a.discount FROM payment_applications a
                LEFT JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ? ORDER BY a.position
                """,
            arguments: [id.description]
        ).map {
            PaymentView.Application(
                invoice: EntityID($0["invoice_id"] as String)!,
                number: $0["number"],
                amount: Money(minorUnits: $0["amount"], currency: currency),
                discount: Money(minorUnits: $0["discount"], currency: currency)
            )
        }
        let reversal = try Row.fetchOne(
            db,
            sql: "SELECT date, reason FROM payment_reversals WHERE payment_id = ? ORDER BY date, id LIMIT 1",
            arguments: [id.description]
        )
        let amount: Int64 = row["amount"]
        return PaymentView(
            id: id,
            number: row["number"],
            customerID: try CustomerMerges.final(db, EntityID(row["customer_id"] as String)!),
            date: try BusinessDate(parsing: row["date"]),
            amount: Money(minorUnits: amount, currency: currency),
            method: row["method"],
            reference: row["reference"],
            applied: applied,
            unapplied: Money(minorUnits: amount - applied.reduce(0) { $0 + $1.amount.minorUnits }, currency: currency),
            reversed: reversal.map { (date: $0["date"] as String, reason: $0["reason"] as String) }
        )
    }
}
