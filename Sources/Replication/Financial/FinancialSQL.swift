/// The SQL of the Financial tab's derived figures: open amounts, statuses, balances, ageing and
/// statements, computed from the plain tables as of a date — never stored.
///
/// Every query takes the date `:asOf` (`YYYY-MM-DD`); only documents dated on or before it
/// count. A payment reversed on or before it counts as never made (its applications and
/// discounts included). A document shows in the folder of the customer its customer was merged
/// into (`customers.merged_into`).
public enum FinancialSQL {
    /// The payments in force as of `:asOf`: dated on or before it and not reversed by then.
    /// Never materialized: a query that names it twice would otherwise copy every payment of
    /// the replica first, also when it reads one folder's.
    static let livePayments = """
        live_payments AS NOT MATERIALIZED (
            SELECT p.* FROM payments p
            WHERE p.date <= :asOf
              AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id AND r.date <= :asOf)
        )
        """

    /// Which invoices (and payments) a query's figures are computed for. The figures of one
    /// folder or one invoice are read through the indexes from its own rows, never by going over
    /// the whole book: a payment's write reads its folder's open invoices, and a replica holds
    /// hundreds of thousands of applications (W2: 250,000).
    enum Scope {
        /// Every invoice.
        case all
        /// The invoices of folder `:folder` (a customer no other was merged into, or the one
        /// they were merged into) and of the customers merged into it.
        case folder
        /// The invoice `:id`.
        case invoice
    }

    /// Every invoice dated on or before `:asOf` with its figures: `folder` (the customer whose
    /// folder shows it), `credited`, `paid`, `discount`, `open` and `status`.
    public static let invoiceState = invoiceState(.all)

    /// ``invoiceState`` for the invoices of `scope` only (the others are left out).
    static func invoiceState(_ scope: Scope) -> String {
        let members: String
        let applications: String
        let credits: String
        let invoices: String
        // Every invoice: the payments are read in their order, each one's applications next to
        // it (3 times faster than each application's payment looked up), and the invoices by a
        // scan rather than by the date index (nearly all are dated on or before `:asOf`).
        var join = "FROM payment_applications a JOIN live_payments p ON p.id = a.payment_id"
        var dated = "i.date <= :asOf"
        switch scope {
        case .all:
            (members, applications, credits, invoices) = ("", "", "", "")
            join = "FROM live_payments p CROSS JOIN payment_applications a ON a.payment_id = p.id"
            dated = "+i.date <= :asOf"
        case .folder:
            members = """
                folder_members AS (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder),
                folder_invoices AS (SELECT id FROM invoices WHERE customer_id IN folder_members),
                """
            applications = "WHERE a.invoice_id IN folder_invoices"
            credits = "AND invoice_id IN folder_invoices"
            invoices = "AND i.customer_id IN folder_members"
        case .invoice:
            members = ""
            applications = "WHERE a.invoice_id = :id"
            credits = "AND invoice_id = :id"
            invoices = "AND i.id = :id"
        }
        return """
            \(members)
            \(livePayments),
            applied AS (
                SELECT a.invoice_id, sum(a.amount) AS paid, sum(a.discount) AS discount
                \(join)
                \(applications)
                GROUP BY a.invoice_id
            ),
            credited AS (
                SELECT invoice_id, sum(total) AS credited FROM credit_notes WHERE date <= :asOf \(credits)
                GROUP BY invoice_id
            ),
            invoice_figures AS (
                SELECT i.id, i.customer_id, coalesce(c.merged_into, i.customer_id) AS folder, i.number, i.date,
                    i.due_date, i.terms, i.currency, i.subtotal, i.tax, i.total,
                    coalesce(cr.credited, 0) AS credited, coalesce(ap.paid, 0) AS paid,
                    coalesce(ap.discount, 0) AS discount,
                    i.total - coalesce(cr.credited, 0) - coalesce(ap.paid, 0) - coalesce(ap.discount, 0) AS open
                FROM invoices i
                LEFT JOIN customers c ON c.id = i.customer_id
                LEFT JOIN credited cr ON cr.invoice_id = i.id
                LEFT JOIN applied ap ON ap.invoice_id = i.id
                WHERE \(dated) \(invoices)
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

    /// What each payment in force left unapplied (credit on account), by folder: of every
    /// payment, or (`.folder`) of the folder's members'. Read from `payments_unapplied`, which
    /// lists only the payments whose applications do not add up to their amount
    /// (``DatedApplications``).
    static func unapplied(_ scope: Scope) -> String {
        """
        unapplied AS (
            SELECT coalesce(c.merged_into, u.customer_id) AS folder, u.amount
            FROM payments_unapplied u LEFT JOIN customers c ON c.id = u.customer_id
            WHERE u.date <= :asOf
              AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = u.payment_id AND r.date <= :asOf)
              \(scope == .folder ? "AND u.customer_id IN folder_members" : "")
        )
        """
    }

    /// The columns of an ageing row from the open amounts of invoices (`owed_invoices`: `folder`,
    /// `open`, `days_past_due`) and what payments left unapplied (`unapplied`), grouped by
    /// folder and filtered by `filter`.
    private static func ageingRows(filter: String) -> String {
        """
        owed AS (
            SELECT folder,
                CASE WHEN open > 0 AND days_past_due <= 0 THEN open ELSE 0 END AS current,
                CASE WHEN open > 0 AND days_past_due BETWEEN 1 AND 30 THEN open ELSE 0 END AS d1_30,
                CASE WHEN open > 0 AND days_past_due BETWEEN 31 AND 60 THEN open ELSE 0 END AS d31_60,
                CASE WHEN open > 0 AND days_past_due BETWEEN 61 AND 90 THEN open ELSE 0 END AS d61_90,
                CASE WHEN open > 0 AND days_past_due BETWEEN 91 AND 120 THEN open ELSE 0 END AS d91_120,
                CASE WHEN open > 0 AND days_past_due > 120 THEN open ELSE 0 END AS d121_plus,
                CASE WHEN open < 0 THEN -open ELSE 0 END AS on_account
            FROM owed_invoices
            UNION ALL
            SELECT folder, 0, 0, 0, 0, 0, 0, amount FROM unapplied WHERE amount <> 0
        )
        SELECT o.folder, c.name,
            sum(current) AS current, sum(d1_30) AS d1_30, sum(d31_60) AS d31_60, sum(d61_90) AS d61_90,
            sum(d91_120) AS d91_120, sum(d121_plus) AS d121_plus, sum(on_account) AS unapplied,
            sum(current) + sum(d1_30) + sum(d31_60) + sum(d61_90) + sum(d91_120) + sum(d121_plus) - sum(on_account)
                AS balance
        FROM owed o LEFT JOIN customers c ON c.id = o.folder
        WHERE \(filter)
        GROUP BY o.folder
        HAVING sum(current) + sum(d1_30) + sum(d31_60) + sum(d61_90) + sum(d91_120) + sum(d121_plus) + sum(on_account) <> 0
        ORDER BY c.name COLLATE NOCASE, o.folder
        """
    }

    /// Accounts receivable by age, one row per folder with anything owed or on account:
    /// `folder`, `name`, `current`, `d1_30` … `d121_plus`, `unapplied` (credit on account,
    /// positive: unapplied payments and the excess of overpaid invoices), `balance`.
    /// `:customer` NULL for every folder.
    ///
    /// The figures of ``invoiceState``, reached in one pass over the book: each invoice's
    /// movements — its total, its credit notes, the applications and discounts of the payments
    /// in force — summed by invoice, and only the invoices left with something open (or
    /// overpaid) aged, in the folder of their customer. The payments in force are every
    /// application dated by `:asOf` (each carries its payment's date) less those of the few
    /// payments reversed by then, so that no application looks its payment up; credit on
    /// account is read from `payments_unapplied` (``DatedApplications``). About 6 times faster
    /// than ageing every invoice's full figures (W2, docs/PERFORMANCE.md).
    public static let ageing = """
        WITH movements AS (
            SELECT i.id AS invoice_id, i.customer_id, i.due_date, i.total AS amount
            FROM invoices i
            WHERE +i.date <= :asOf
            UNION ALL
            SELECT invoice_id, NULL, NULL, -total FROM credit_notes WHERE date <= :asOf
            UNION ALL
            SELECT invoice_id, NULL, NULL, -amount - discount FROM payment_applications WHERE +date <= :asOf
            UNION ALL
            SELECT invoice_id, NULL, NULL, amount + discount FROM payment_applications
            WHERE payment_id IN (SELECT payment_id FROM payment_reversals WHERE date <= :asOf) AND date <= :asOf
        ),
        open_invoices AS (
            SELECT max(customer_id) AS customer_id, max(due_date) AS due_date, sum(amount) AS open
            FROM movements GROUP BY invoice_id
            HAVING count(customer_id) > 0 AND sum(amount) <> 0
        ),
        owed_invoices AS (
            SELECT coalesce(c.merged_into, o.customer_id) AS folder, o.open,
                CAST(julianday(:asOf) - julianday(o.due_date) AS INTEGER) AS days_past_due
            FROM open_invoices o LEFT JOIN customers c ON c.id = o.customer_id
        ),
        \(unapplied(.all)),
        \(ageingRows(filter: ":customer IS NULL OR o.folder = :customer"))
        """

    /// ``ageing`` of the folder `:folder` alone (its one row, or none), read from its own
    /// invoices and payments.
    static let folderAgeing = """
        WITH \(invoiceState(.folder)),
        owed_invoices AS (SELECT folder, open, days_past_due FROM invoice_state),
        \(unapplied(.folder)),
        \(ageingRows(filter: "o.folder = :folder"))
        """

    /// A folder's statement lines dated up to `:asOf`: `date`, `kind` (`invoice`, `credit-note`,
    /// `payment`, `discount`, `reversal`), `number`, signed `amount`, in date order, then
    /// number, then kind. `:customer` is the folder. A reversed payment is undone once however
    /// many reversals name it (two nodes reversing one bounced check while apart): by the
    /// earliest, as the figures above count it.
    public static let statementLines = """
        WITH members AS (SELECT id FROM customers WHERE id = :customer OR merged_into = :customer),
        discounts AS (
            SELECT payment_id, sum(discount) AS discount FROM payment_applications
            WHERE payment_id IN (SELECT id FROM payments WHERE customer_id IN members)
            GROUP BY payment_id
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
