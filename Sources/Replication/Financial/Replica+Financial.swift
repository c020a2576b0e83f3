import Foundation
import GRDB
import Model

/// An item of the price list.
public struct PriceListItem: Sendable, Hashable {
    public let id: EntityID
    public let part: String
    public let description: String
    /// The price as written (a decimal in the node's currency).
    public let price: String
    /// The tax rate in percent, without its sign: `8.25`.
    public let tax: String
    public let unit: String?
}

/// An invoice with its figures as of a date.
public struct InvoiceSummary: Sendable, Hashable {
    public let id: EntityID
    public let number: String
    /// The customer whose folder shows it.
    public let customerID: EntityID
    public let date: BusinessDate
    public let dueDate: BusinessDate
    public let terms: String
    public let subtotal: Money
    public let tax: Money
    public let total: Money
    public let credited: Money
    public let paid: Money
    public let discount: Money
    public let open: Money
    /// `open`, `partial`, `paid`, `overpaid` or `credited` (``FinancialSQL/invoiceState``).
    public let status: String
    /// As-of date − due date (negative before it is due).
    public let daysPastDue: Int
}

/// One row of accounts receivable by age; amounts in minor units of the node's currency.
public struct AgeingRow: Sendable, Hashable {
    /// The folder's customer; `nil` for the totals row.
    public let customerID: EntityID?
    public let name: String?
    /// `current`, `d1_30`, … `d121_plus`, by ``AgeingBucket``.
    public let buckets: [AgeingBucket: Money]
    /// Credit on account, positive.
    public let unapplied: Money
    public let balance: Money
}

/// A customer's statement: every invoice, credit note, payment, discount and reversal in date
/// order with a running balance.
public struct Statement: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public let date: BusinessDate
        /// `invoice`, `credit-note`, `payment`, `discount`, `reversal`.
        public let kind: String
        public let number: String
        public let id: EntityID
        /// Positive for invoices and reversals, negative for the rest.
        public let amount: Money
        public let balance: Money
    }

    public let customerID: EntityID
    public let from: BusinessDate?
    public let to: BusinessDate
    public let opening: Money
    public let lines: [Line]
    public let closing: Money
}

extension Replica {
    /// The price list, by part.
    public func items() throws -> [PriceListItem] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, part, description, price, tax, unit FROM items WHERE part IS NOT NULL ORDER BY part COLLATE NOCASE, id"
            ).map(Self.item)
        }
    }

    /// The item of `part` (``LocalWriter/item(part:)``).
    public func item(part: String) throws -> PriceListItem {
        try pool.read { db in Self.item(try FinancialLookup.item(db, part: part)) }
    }

    private static func item(_ row: Row) -> PriceListItem {
        PriceListItem(
            id: EntityID(row["id"] as String)!,
            part: row["part"] ?? "",
            description: row["description"] ?? "",
            price: row["price"] ?? "0",
            tax: row["tax"] ?? "0",
            unit: row["unit"]
        )
    }

    /// Invoices with their open amounts and statuses as of `asOf`: of one folder, or all.
    public func invoices(customer: EntityID?, asOf: BusinessDate) throws -> [InvoiceSummary] {
        try pool.read { db in
            let folder = try customer.map { try Self.requireCustomer(db, $0) }
            return try Row.fetchAll(
                db,
                sql: """
                    WITH \(FinancialSQL.invoiceState(folder == nil ? .all : .folder))
                    SELECT * FROM invoice_state WHERE :folder IS NULL OR folder = :folder ORDER BY date, number, id
                    """,
                arguments: ["asOf": asOf.description, "folder": folder?.description]
            ).map(Self.invoiceSummary)
        }
    }

    /// One invoice as of `asOf`, named by id or number.
    public func invoice(_ reference: String, asOf: BusinessDate) throws -> InvoiceSummary {
        try pool.read { db in
            let id = try FinancialLookup.document(db, reference, .invoice, table: "invoices")
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "WITH \(FinancialSQL.invoiceState(.invoice)) SELECT * FROM invoice_state WHERE id = :id",
                    arguments: ["asOf": asOf.description, "id": id.description]
                )
            else { throw ReplicationError(.invalidValue, "invoice \(reference) is dated after \(asOf)") }
            return try Self.invoiceSummary(row)
        }
    }

    private static func invoiceSummary(_ row: Row) throws -> InvoiceSummary {
        let currency = try CurrencyCode(row["currency"] as String)
        func money(_ column: String) -> Money { Money(minorUnits: row[column], currency: currency) }
        return InvoiceSummary(
            id: EntityID(row["id"] as String)!,
            number: row["number"],
            customerID: EntityID(row["folder"] as String)!,
            date: try BusinessDate(parsing: row["date"]),
            dueDate: try BusinessDate(parsing: row["due_date"]),
            terms: row["terms"],
            subtotal: money("subtotal"),
            tax: money("tax"),
            total: money("total"),
            credited: money("credited"),
            paid: money("paid"),
            discount: money("discount"),
            open: money("open"),
            status: row["status"],
            daysPastDue: row["days_past_due"]
        )
    }

    /// Accounts receivable by age as of `asOf`, one row per folder that owes or has credit,
    /// then the totals row (`customerID` nil). One query over the plain tables.
    public func ageing(asOf: BusinessDate, customer: EntityID?) throws -> [AgeingRow] {
        try pool.read { db in
            let folder = try customer.map { try Self.requireCustomer(db, $0) }
            let currency = try FinancialLookup.currency(db)
            let rows = try Row.fetchAll(
                db,
                sql: folder == nil ? FinancialSQL.ageing : FinancialSQL.folderAgeing,
                arguments: folder.map { ["asOf": asOf.description, "folder": $0.description] }
                    ?? ["asOf": asOf.description, "customer": nil]
            )
            var totals = [Int64](repeating: 0, count: AgeingBucket.allCases.count + 2)
            var result: [AgeingRow] = rows.map { row in
                let values =
                    AgeingBucket.allCases.map { row[Self.column($0)] as Int64 } + [row["unapplied"], row["balance"]]
                for index in values.indices { totals[index] += values[index] }
                return Self.ageingRow(EntityID(row["folder"] as String), row["name"], values, currency)
            }
            if let folder, result.isEmpty {
                result.append(Self.ageingRow(folder, try Self.name(db, folder), totals, currency))
            }
            result.append(Self.ageingRow(nil, nil, totals, currency))
            return result
        }
    }

    private static func column(_ bucket: AgeingBucket) -> String {
        bucket == .days121Plus ? "d121_plus" : bucket.rawValue
    }

    private static func ageingRow(_ id: EntityID?, _ name: String?, _ values: [Int64], _ currency: CurrencyCode)
        -> AgeingRow
    {
        let buckets = Dictionary(
            uniqueKeysWithValues: AgeingBucket.allCases.enumerated().map {
                ($1, Money(minorUnits: values[$0], currency: currency))
            }
        )
        let count = AgeingBucket.allCases.count
        return AgeingRow(
            customerID: id,
            name: name,
            buckets: buckets,
            unapplied: Money(minorUnits: values[count], currency: currency),
            balance: Money(minorUnits: values[count + 1], currency: currency)
        )
    }

    /// A folder's balance as of `asOf`: Σ open amounts − credit on account.
    public func balance(customer: EntityID, asOf: BusinessDate) throws -> Money {
        try ageing(asOf: asOf, customer: customer).first!.balance
    }

    /// A folder's statement from `from` (nil: from the first document) to `to`.
    public func statement(customer: EntityID, from: BusinessDate?, to: BusinessDate) throws -> Statement {
        try pool.read { db in
            let folder = try Self.requireCustomer(db, customer)
            let currency = try FinancialLookup.currency(db)
            let rows = try Row.fetchAll(
                db,
                sql: FinancialSQL.statementLines,
                arguments: ["asOf": to.description, "customer": folder.description]
            )
            var opening: Int64 = 0
            var balance: Int64 = 0
            var lines: [Statement.Line] = []
            for row in rows {
                let date = try BusinessDate(parsing: row["date"])
                let amount: Int64 = row["amount"]
                balance += amount
                if let from, date < from {
                    opening = balance
                    continue
                }
                lines.append(
                    Statement.Line(
                        date: date,
                        kind: row["kind"],
                        number: row["number"],
                        id: EntityID(row["id"] as String)!,
                        amount: Money(minorUnits: amount, currency: currency),
                        balance: Money(minorUnits: balance, currency: currency)
                    )
                )
            }
            return Statement(
                customerID: folder,
                from: from,
                to: to,
                opening: Money(minorUnits: opening, currency: currency),
                lines: lines,
                closing: Money(minorUnits: balance, currency: currency)
            )
        }
    }

    /// This node's series prefix and the next number of each numbered kind.
    public func series() throws -> (prefix: String, next: [(kind: String, number: String)]) {
        try pool.read { db in
            let prefix = try NumberSeries.prefix(db, node: nodeID)
            let next = try NumberSeries.tags.sorted(by: { $0.key < $1.key }).map { kind, tag in
                let last =
                    try Int64.fetchOne(
                        db,
                        sql: "SELECT last FROM number_series WHERE prefix = ? AND kind = ?",
                        arguments: [prefix, tag]
                    ) ?? 0
                return (kind.name, NumberSeries.format("\(prefix)-\(tag)-", last + 1))
            }
            return (prefix, next)
        }
    }

    static func requireCustomer(_ db: Database, _ id: EntityID) throws -> EntityID {
        guard
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?)",
                arguments: [id.description]
            )
                == true
        else { throw ReplicationError(.unknownID, "no customer with id \(id)") }
        return try CustomerMerges.final(db, id)
    }

    private static func name(_ db: Database, _ id: EntityID) throws -> String? {
        try String.fetchOne(db, sql: "SELECT name FROM customers WHERE id = ?", arguments: [id.description])
    }
}

/// The Financial tab of a folder: balance and ageing as of a date, and the latest documents.
public struct FinancialTab: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// `quote`, `order`, `invoice`, `credit-note`, `payment`.
        public let kind: String
        public let id: EntityID
        public let number: String
        public let date: BusinessDate
        public let amount: Money
        /// An invoice's status as of the date; a quote's or order's state; a payment `reversed` or
        /// empty.
        public let status: String
        /// An invoice's open amount.
        public let open: Money?
    }

    public let asOf: BusinessDate
    public let ageing: AgeingRow
    /// The latest documents, newest first.
    public let recent: [Entry]
    /// How many documents the folder has in all.
    public let documentCount: Int
}

extension Replica {
    /// The Financial tab of `customer`'s folder as of `asOf`: its ageing row (balance, credit on
    /// account) and its `limit` latest documents.
    public func financialTab(customer: EntityID, asOf: BusinessDate, limit: Int = 10) throws -> FinancialTab {
        let ageing = try self.ageing(asOf: asOf, customer: customer)[0]
        let invoices = Dictionary(
            uniqueKeysWithValues: try invoices(customer: customer, asOf: asOf).map {
                ($0.id, $0)
            }
        )
        return try pool.read { db in
            let folder = try Self.requireCustomer(db, customer)
            let currency = try FinancialLookup.currency(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH members AS (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder),
                    documents AS (
                        SELECT 'quote' AS kind, id, number, date, total AS amount, currency FROM quotes WHERE customer_id IN members
                        UNION ALL SELECT 'order', id, number, date, total, currency FROM orders WHERE customer_id IN members
                        UNION ALL SELECT 'invoice', id, number, date, total, currency FROM invoices WHERE customer_id IN members
                        UNION ALL SELECT 'credit-note', id, number, date, total, currency FROM credit_notes WHERE customer_id IN members
                        UNION ALL SELECT 'payment', id, number, date, amount, currency FROM payments WHERE customer_id IN members
                    )
                    SELECT *, (SELECT count(*) FROM documents) AS count FROM documents
                    ORDER BY date DESC, number DESC LIMIT :limit
                    """,
                arguments: ["folder": folder.description, "limit": limit]
            )
            let recent = try rows.map { row -> FinancialTab.Entry in
                let id = EntityID(row["id"] as String)!
                let kind: String = row["kind"]
                let documentCurrency = (try? CurrencyCode(row["currency"] as String)) ?? currency
                var status = ""
                switch kind {
                case "invoice":
                    status = invoices[id]?.status ?? ""
                case "quote":
                    status =
                        try FinancialLookup.quoteDecision(db, id) ?? "open"
                case "order":
                    let cancelled = try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM order_cancellations WHERE order_id = ?)",
                        arguments: [id.description]
                    )
                    status = cancelled == true ? "cancelled" : ""
                case "payment":
                    let reversed = try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM payment_reversals WHERE payment_id = ?)",
                        arguments: [id.description]
                    )
                    status = reversed == true ? "reversed" : ""
                default:
                    break
                }
                return FinancialTab.Entry(
                    kind: kind,
                    id: id,
                    number: row["number"],
                    date: try BusinessDate(parsing: row["date"]),
                    amount: Money(minorUnits: row["amount"], currency: documentCurrency),
                    status: status,
                    open: kind == "invoice" ? invoices[id]?.open : nil
                )
            }
            return FinancialTab(
                asOf: asOf,
                ageing: ageing,
                recent: recent,
                documentCount: rows.first?["count"] ?? 0
            )
        }
    }
}
