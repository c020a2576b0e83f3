import GRDB
import Model

/// What a merge between nodes that were apart broke of a rule no node alone could enforce,
/// shown the same on every node and never silently "fixed": computed from the plain tables,
/// never stored.
///
/// - `duplicate-number`: two documents of one kind carry one number (two nodes given one
///   series prefix). Both are kept; each stays reachable by its id.
/// - `overpaid`: payments applied while apart took an invoice below zero; the excess is credit
///   on account.
public struct BusinessException: Sendable, Hashable {
    /// Stable on every node: `duplicate-number:KIND:NUMBER`, `overpaid:INVOICE_ID`.
    public let id: String
    public let kind: String
    public let customerID: EntityID?
    /// The documents involved, by id.
    public let documents: [EntityID]
    public let detail: String
}

extension Replica {
    /// Every business exception the replica shows now, by kind then id.
    public func businessExceptions() throws -> [BusinessException] {
        try pool.read { db in
            let currency = try FinancialLookup.currency(db)
            var found: [BusinessException] = []
            let duplicates = try Row.fetchAll(
                db,
                sql: """
                    WITH numbered AS (
                        SELECT 'quote' AS kind, id, number, customer_id FROM quotes
                        UNION ALL SELECT 'order', id, number, customer_id FROM orders
                        UNION ALL SELECT 'invoice', id, number, customer_id FROM invoices
                        UNION ALL SELECT 'credit-note', id, number, customer_id FROM credit_notes
                        UNION ALL SELECT 'payment', id, number, customer_id FROM payments
                    ),
                    twice AS (SELECT kind, number FROM numbered GROUP BY kind, number HAVING count(*) > 1)
                    SELECT t.kind, t.number, group_concat(n.id, ' ') AS ids,
                        min(coalesce(c.merged_into, n.customer_id)) AS folder
                    FROM twice t JOIN numbered n ON n.kind = t.kind AND n.number = t.number
                    LEFT JOIN customers c ON c.id = n.customer_id
                    GROUP BY t.kind, t.number ORDER BY t.kind, t.number
                    """
            )
            for row in duplicates {
                let ids = (row["ids"] as String).split(separator: " ").compactMap { EntityID(String($0)) }.sorted()
                let kind: String = row["kind"]
                let number: String = row["number"]
                found.append(
                    BusinessException(
                        id: "duplicate-number:\(kind):\(number)",
                        kind: "duplicate-number",
                        customerID: (row["folder"] as String?).flatMap(EntityID.init),
                        documents: ids,
                        detail:
                            "\(ids.count) \(kind)s carry number \(number): two nodes issue one series (give each its own prefix: nodectl series set); both are kept"
                    )
                )
            }
            let overpaid = try Row.fetchAll(
                db,
                sql: """
                    WITH \(FinancialSQL.invoiceState(.all))
                    SELECT s.id, s.number, s.folder, s.open, s.currency,
                        (SELECT group_concat(a.payment_id, ' ') FROM payment_applications a
                         JOIN live_payments p ON p.id = a.payment_id WHERE a.invoice_id = s.id) AS payments
                    FROM invoice_state s WHERE s.status = 'overpaid' ORDER BY s.id
                    """,
                arguments: ["asOf": "9999-12-31"]
            )
            for row in overpaid {
                let id = EntityID(row["id"] as String)!
                let payments = (row["payments"] as String? ?? "").split(separator: " ").compactMap {
                    EntityID(String($0))
                }
                let excess = Money(
                    minorUnits: -(row["open"] as Int64),
                    currency: (try? CurrencyCode(row["currency"] as String)) ?? currency
                )
                found.append(
                    BusinessException(
                        id: "overpaid:\(id)",
                        kind: "overpaid",
                        customerID: (row["folder"] as String?).flatMap(EntityID.init),
                        documents: [id] + payments.sorted(),
                        detail:
                            "invoice \(row["number"] as String) is overpaid by \(excess) \(excess.currency) (payments applied while apart); the excess is credit on account"
                    )
                )
            }
            return found
        }
    }
}
