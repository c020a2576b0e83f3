/// The SQL of the Financial tab's derived figures: open amounts, statuses, balances, ageing and
/// statements, computed from the plain tables as of a date — never stored.
///
/// Every query takes the date `:asOf` (`YYYY-MM-DD`); only documents dated on or before it
/// count. A payment reversed on or before it counts as never made (its applications and
/// discounts included). A document shows in the folder of the customer its customer was merged
/// into (`customers.merged_into`).
public enum FinancialSQL {
    /// Which invoices and payments a query reads: the whole book (grouped scans, for reports
    /// over everything), or one folder (`:folder`, read through the indexes by customer and by
    /// invoice, in proportion to that folder). Both give the same figures for a folder.
    public enum Scope: Sendable {
        case book
        case folder
    }

    /// The customers whose documents show in folder `:folder`: itself and those merged into it.
    static let members = "members AS (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder)"

    /// The payments in force as of `:asOf`: dated on or before it and not reversed by then.
    static func livePayments(_ scope: Scope) -> String {
        """
        live_payments AS (
            SELECT p.* FROM payments p
            WHERE p.date <= :asOf \(scope == .folder ? "AND p.customer_id IN members" : "")
              AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id AND r.date <= :asOf)
        )
        """
    }

    /// Every invoice dated on or before `:asOf` with its figures: `folder` (the customer whose
    /// folder shows it), `credited`, `paid`, `discount`, `open`, `status` and `days_past_due`.
    /// The folder scope begins with the `members` and `live_payments` of `:folder`.
    public static func invoiceState(_ scope: Scope) -> String {
        let invoices =
            scope == .folder
            ? "SELECT * FROM invoices WHERE customer_id IN members AND date <= :asOf"
            : "SELECT * FROM invoices WHERE date <= :asOf"
        let applied =
            scope == .folder
            ? """
            applied AS (
                SELECT a.invoice_id, sum(a.amount) AS paid, sum(a.discount) AS discount
                FROM payment_applications a JOIN payments p ON p.id = a.payment_id
                WHERE a.invoice_id IN (SELECT id FROM scoped_invoices) AND p.date <= :asOf
                  AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id AND r.date <= :asOf)
                GROUP BY a.invoice_id
            ),
            credited AS (
                SELECT invoice_id, sum(total) AS credited FROM credit_notes
                WHERE invoice_id IN (SELECT id FROM scoped_invoices) AND date <= :asOf GROUP BY invoice_id
            )
            """
            : """
            applied AS (
                SELECT a.invoice_id, sum(a.amount) AS paid, sum(a.discount) AS discount
                FROM payment_applications a JOIN live_payments p ON p.id = a.payment_id
                GROUP BY a.invoice_id
            ),
            credited AS (
                SELECT invoice_id, sum(total) AS credited FROM credit_notes WHERE date <= :asOf GROUP BY invoice_id
            )
            """
        return """
            \(scope == .folder ? members + ",\n" : "")\(livePayments(scope)),
            scoped_invoices AS MATERIALIZED (\(invoices)),
            \(applied),
            invoice_figures AS (
                SELECT i.id, i.customer_id, coalesce(c.merged_into, i.customer_id) AS folder, i.number, i.date,
                    i.due_date, i.terms, i.currency, i.subtotal, i.tax, i.total,
                    coalesce(cr.credited, 0) AS credited, coalesce(ap.paid, 0) AS paid,
                    coalesce(ap.discount, 0) AS discount,
                    i.total - coalesce(cr.credited, 0) - coalesce(ap.paid, 0) - coalesce(ap.discount, 0) AS open
                FROM scoped_invoices i
                LEFT JOIN customers c ON c.id = i.customer_id
                LEFT JOIN credited cr ON cr.invoice_id = i.id
                LEFT JOIN applied ap ON ap.invoice_id = i.id
            ),
            invoice_state AS (
                SELECT *,
                    CASE
                        WHEN open < 0 AND paid + discount > 0 THEN 'overpaid'
                        WHEN open <= 0 AND total - credited <= 0 THEN 'credited'
                        WHEN open = 0 THEN 'paid'
                        WHEN open = total THEN 'open'
                        ELSE 'partial'
                    END AS status,
                    CAST(julianday(:asOf) - julianday(due_date) AS INTEGER) AS days_past_due
                FROM invoice_figures
            )
            """
    }

    /// What each payment in force left unapplied (credit on account), by folder.
    static let unapplied = """
        unapplied AS (
            SELECT coalesce(c.merged_into, p.customer_id) AS folder,
                p.amount - coalesce((SELECT sum(a.amount) FROM payment_applications a WHERE a.payment_id = p.id), 0)
                    AS amount
            FROM live_payments p LEFT JOIN customers c ON c.id = p.customer_id
        )
        """

    /// Accounts receivable by age, one row per folder with anything owed or on account:
    /// `folder`, `name`, `current`, `d1_30` … `d121_plus`, `unapplied` (credit on account,
    /// positive: unapplied payments and the excess of overpaid invoices), `balance`. The folder
    /// scope reads `:folder` alone.
    public static func ageing(_ scope: Scope) -> String {
        """
        WITH \(invoiceState(scope)), \(unapplied),
        owed AS (
            SELECT folder,
                CASE WHEN open > 0 AND days_past_due <= 0 THEN open ELSE 0 END AS current,
                CASE WHEN open > 0 AND days_past_due BETWEEN 1 AND 30 THEN open ELSE 0 END AS d1_30,
                CASE WHEN open > 0 AND days_past_due BETWEEN 31 AND 60 THEN open ELSE 0 END AS d31_60,
                CASE WHEN open > 0 AND days_past_due BETWEEN 61 AND 90 THEN open ELSE 0 END AS d61_90,
                CASE WHEN open > 0 AND days_past_due BETWEEN 91 AND 120 THEN open ELSE 0 END AS d91_120,
                CASE WHEN open > 0 AND days_past_due > 120 THEN open ELSE 0 END AS d121_plus,
                CASE WHEN open < 0 THEN -open ELSE 0 END AS on_account
            FROM invoice_state
            UNION ALL
            SELECT folder, 0, 0, 0, 0, 0, 0, amount FROM unapplied
        )
        SELECT o.folder, c.name,
            sum(current) AS current, sum(d1_30) AS d1_30, sum(d31_60) AS d31_60, sum(d61_90) AS d61_90,
            sum(d91_120) AS d91_120, sum(d121_plus) AS d121_plus, sum(on_account) AS unapplied,
            sum(current) + sum(d1_30) + sum(d31_60) + sum(d61_90) + sum(d91_120) + sum(d121_plus) - sum(on_account)
                AS balance
        FROM owed o LEFT JOIN customers c ON c.id = o.folder
        GROUP BY o.folder
        HAVING sum(current) + sum(d1_30) + sum(d31_60) + sum(d61_90) + sum(d91_120) + sum(d121_plus) + sum(on_account) <> 0
        ORDER BY c.name COLLATE NOCASE, o.folder
        """
    }

    /// A folder's statement lines dated up to `:asOf`: `date`, `kind` (`invoice`, `credit-note`,
    /// `payment`, `discount`, `reversal`), `number`, signed `amount`, in date order, then
    /// number, then kind. `:customer` is the folder. A reversed payment is undone once however
    /// many reversals name it (two nodes reversing one bounced check while apart): by the
    /// earliest, as the figures above count it.
    public static let statementLines = """
        WITH members AS (SELECT id FROM customers WHERE id = :customer OR merged_into = :customer),
        discounts AS (
            SELECT payment_id, sum(discount) AS discount FROM payment_applications GROUP BY payment_id
        ),
        lines AS (
            SELECT date, 'invoice' AS kind, 1 AS rank, number, id, total AS amount
            FROM invoices WHERE customer_id IN members
            UNION ALL
            SELECT date, 'credit-note', 2, number, id, -total FROM credit_notes WHERE customer_id IN members
            UNION ALL
            SELECT date, 'payment', 3, number, id, -amount FROM payments WHERE customer_id IN members
            UNION ALL
            SELECT p.date, 'discount', 4, p.number, p.id, -d.discount
            FROM payments p JOIN discounts d ON d.payment_id = p.id
            WHERE p.customer_id IN members AND d.discount > 0
            UNION ALL
            SELECT r.date, 'reversal', 5, p.number, r.id, p.amount + coalesce(d.discount, 0)
            FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
            LEFT JOIN discounts d ON d.payment_id = p.id
            WHERE p.customer_id IN members
              AND r.id = (SELECT id FROM payment_reversals WHERE payment_id = p.id ORDER BY date, id LIMIT 1)
        )
        SELECT date, kind, number, id, amount FROM lines WHERE date <= :asOf ORDER BY date, number, rank, id
        """
}
