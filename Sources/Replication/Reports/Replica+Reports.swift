import Foundation
import GRDB
import Model

/// One row of `report sales` or `report top`: a key (a month, a customer id, a part, a
/// category, a salesperson), its name, and the amount invoiced net of credit notes, excluding tax.
public struct SalesRow: Sendable, Hashable {
    public let key: String
    public let name: String
    public let amount: Money
}

/// What `report sales` groups by.
public enum SalesGrouping: String, Sendable, CaseIterable {
    case month, customer, item, category, salesperson
}

/// A customer of `report customers`, as stored (the Node layer formats phone and address).
public struct CustomerReportRow: Sendable {
    public let customer: Customer
    /// The customer's phone, else its first contact's first phone.
    public let mainPhone: String?
    public let balance: Money
    /// When the folder's latest journal entry was made.
    public let lastContact: String?
}

extension Replica {
    /// Sales as the contract defines them: invoices by their date, credit notes by theirs, each
    /// dated in `from`…`to`; amounts net of tax (the documents' subtotals, or their lines' nets).
    ///
    /// By `item` the lines are summed by part (named by the price list's description now, else
    /// the line's); a credit note of an amount has no lines and is one row of its own, key `""`.
    /// By `category`, a customer's sales count in each of its categories (so rows may add up to
    /// more than the total), customers without one under key `""`. By `salesperson`, a credit
    /// note counts for its invoice's salesperson; none is key `""`. Rows in key order.
    public func sales(from: BusinessDate, to: BusinessDate, by grouping: SalesGrouping) throws -> [SalesRow] {
        try pool.read { db in
            let currency = try FinancialLookup.currency(db)
            return try Row.fetchAll(
                db,
                sql: Self.salesSQL(grouping),
                arguments: ["from": from.description, "to": to.description]
            )
            .map { row in
                SalesRow(
                    key: row["key"] ?? "",
                    name: row["name"] ?? "",
                    amount: Money(minorUnits: row["amount"], currency: currency)
                )
            }
        }
    }

    /// The largest `limit` rows of ``sales(from:to:by:)`` by customer, item or salesperson,
    /// largest first (ties by key); without dates, every document.
    public func top(by grouping: SalesGrouping, from: BusinessDate?, to: BusinessDate?, limit: Int) throws -> [SalesRow]
    {
        let rows = try sales(
            from: from ?? BusinessDate(daysSinceEpoch: -719_162),
            to: to ?? BusinessDate(daysSinceEpoch: 2_932_896),
            by: grouping
        )
        return Array(
            rows.sorted { $0.amount != $1.amount ? $0.amount > $1.amount : $0.key < $1.key }.prefix(max(0, limit))
        )
    }

    /// The documents of the period, each with its folder, salesperson and net amount (credit
    /// notes negative).
    private static let periodDocuments = """
        documents AS (
            SELECT i.customer_id, i.salesperson, i.subtotal AS amount, i.date FROM invoices i
            WHERE i.date BETWEEN :from AND :to
            UNION ALL
            SELECT n.customer_id, i.salesperson, -n.subtotal, n.date FROM credit_notes n
            JOIN invoices i ON i.id = n.invoice_id
            WHERE n.date BETWEEN :from AND :to
        )
        """

    static func salesSQL(_ grouping: SalesGrouping) -> String {
        switch grouping {
        case .month:
            return """
                WITH \(periodDocuments)
                SELECT substr(date, 1, 7) AS key, substr(date, 1, 7) AS name, sum(amount) AS amount
                FROM documents GROUP BY key ORDER BY key
                """
        case .customer:
            // Summed by customer first, then by folder: the joins run once a customer, not once a document.
            return """
                WITH \(periodDocuments),
                customer_sums AS (SELECT customer_id, sum(amount) AS amount FROM documents GROUP BY customer_id)
                SELECT coalesce(c.merged_into, d.customer_id) AS key, f.name, sum(d.amount) AS amount
                FROM customer_sums d LEFT JOIN customers c ON c.id = d.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, d.customer_id)
                GROUP BY key ORDER BY key
                """
        case .salesperson:
            return """
                WITH \(periodDocuments)
                SELECT coalesce(salesperson, '') AS key, coalesce(salesperson, '(none)') AS name, sum(amount) AS amount
                FROM documents GROUP BY key ORDER BY key
                """
        case .category:
            return """
                WITH \(periodDocuments),
                customer_sums AS (SELECT customer_id, sum(amount) AS amount FROM documents GROUP BY customer_id),
                folders AS (
                    SELECT coalesce(c.merged_into, d.customer_id) AS folder, sum(d.amount) AS amount
                    FROM customer_sums d LEFT JOIN customers c ON c.id = d.customer_id GROUP BY folder
                ),
                categorised AS (
                    SELECT coalesce(lower(k.category), '') AS key, coalesce(k.category, '(no category)') AS name,
                        f.amount
                    FROM folders f LEFT JOIN customer_categories k ON k.customer_id = f.folder
                )
                SELECT key, min(name) AS name, sum(amount) AS amount FROM categorised GROUP BY key ORDER BY key
                """
        case .item:
            // The credit notes' lines are read from the credit notes (few) through the lines' key,
            // never by scanning every line for the few that belong to a credit note.
            return """
                WITH lines AS (
                    SELECT l.part, l.description, l.net AS amount FROM invoices i
                    JOIN sales_lines l ON l.document_id = i.id WHERE i.date BETWEEN :from AND :to
                    UNION ALL
                    SELECT l.part, l.description, -l.net FROM credit_notes n
                    CROSS JOIN sales_lines l ON l.document_id = n.id WHERE n.date BETWEEN :from AND :to
                    UNION ALL
                    SELECT '', '(credit notes of an amount)', -n.subtotal FROM credit_notes n
                    WHERE n.lines IS NULL AND n.date BETWEEN :from AND :to
                )
                SELECT l.part AS key,
                    coalesce((SELECT t.description FROM items t WHERE t.part = l.part ORDER BY t.id LIMIT 1),
                        min(l.description)) AS name,
                    sum(l.amount) AS amount
                FROM lines l GROUP BY l.part ORDER BY l.part
                """
        }
    }

    /// `report customers`: the customers `categories` and `search` select (as `customer list`
    /// does), each with its main phone, balance as of `asOf` and latest journal entry.
    public func customersReport(categories: [String], search: String?, asOf: BusinessDate) throws
        -> [CustomerReportRow]
    {
        let customers = try self.customers(categories: categories, search: search)
        var balances: [EntityID: Money] = [:]
        for row in try ageing(asOf: asOf, customer: nil) {
            if let id = row.customerID { balances[id] = row.balance }
        }
        return try pool.read { db in
            let currency = try FinancialLookup.currency(db)
            let phone = try db.cachedStatement(
                sql: """
                    SELECT p.number FROM folder_contacts k JOIN contact_phones p ON p.contact_id = k.id
                    WHERE k.customer_id IN \(Self.members) ORDER BY k.id, p.label, p.number LIMIT 1
                    """
            )
            let last = try db.cachedStatement(
                sql: "SELECT max(at) FROM journal_entries WHERE customer_id IN \(Self.members)"
            )
            return try customers.map { customer in
                let arguments: StatementArguments = ["folder": customer.id.description]
                return CustomerReportRow(
                    customer: customer,
                    mainPhone: customer.phone.isEmpty
                        ? try String.fetchOne(phone, arguments: arguments) : customer.phone,
                    balance: balances[customer.id] ?? Money(minorUnits: 0, currency: currency),
                    lastContact: try String.fetchOne(last, arguments: arguments)
                )
            }
        }
    }
}
