/// The SQL of the Credit & Collections tab: payment statistics, promises, holds and exposure,
/// derived from the plain tables as of a date (`:asOf`) for one folder (`:folder`) — never
/// stored. The definitions are `../shared/contract/business.md`'s; docs/CREDIT.md explains them.
public enum CreditSQL {
    /// The folder's members: the customer and every customer merged into it.
    static let members = "folder_members AS (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder)"

    /// One row per invoice of the folder dated on or before `:asOf`: `id`, `date`, `due_date`,
    /// `total`, `settled_on` (the first date by which its credit notes, payments and discounts
    /// add up to its total — its own date for a total of zero —, or NULL while something is
    /// open), `by_payment` (1 when a payment's
    /// application counted on or before that date: settled by payments, not by credit notes
    /// alone). Payments count when in force as of `:asOf` (not reversed by then).
    static let settlements = """
        \(members),
        folder_invoices AS (
            SELECT id, date, due_date, total FROM invoices
            WHERE customer_id IN folder_members AND date <= :asOf
        ),
        \(FinancialSQL.livePayments),
        moves AS (
            SELECT a.invoice_id, p.date AS day, a.amount + a.discount AS amount, 1 AS by_payment
            FROM payment_applications a JOIN live_payments p ON p.id = a.payment_id
            WHERE a.invoice_id IN (SELECT id FROM folder_invoices)
            UNION ALL
            SELECT invoice_id, date, total, 0 FROM credit_notes
            WHERE date <= :asOf AND invoice_id IN (SELECT id FROM folder_invoices)
        ),
        running AS (
            SELECT invoice_id, day, by_payment,
                sum(amount) OVER (PARTITION BY invoice_id ORDER BY day ROWS UNBOUNDED PRECEDING) AS covered
            FROM moves
        ),
        settled AS (
            SELECT r.invoice_id, min(r.day) AS settled_on
            FROM running r JOIN folder_invoices i ON i.id = r.invoice_id
            WHERE r.covered >= i.total
            GROUP BY r.invoice_id
        ),
        invoice_settlements AS (
            SELECT i.id, i.date, i.due_date, i.total,
                CASE WHEN i.total <= 0 THEN i.date ELSE s.settled_on END AS settled_on,
                CASE WHEN i.total <= 0 THEN 0 ELSE coalesce((
                    SELECT max(m.by_payment) FROM moves m WHERE m.invoice_id = i.id AND m.day <= s.settled_on
                ), 0) END AS by_payment
            FROM folder_invoices i LEFT JOIN settled s ON s.invoice_id = i.id
        )
        """

    /// The folder's payment statistics: `invoices_paid`, `min_days`, `max_days`, `sum_days`,
    /// `sum_days_late`, `times_late`, `times_delinquent`, and `invoices_due` (dated and due on or
    /// before `:asOf`: the rating's denominator). Days are whole calendar days.
    public static let stats = """
        WITH \(settlements),
        paid AS (
            SELECT CAST(julianday(settled_on) - julianday(date) AS INTEGER) AS days,
                max(0, CAST(julianday(settled_on) - julianday(due_date) AS INTEGER)) AS late
            FROM invoice_settlements WHERE settled_on IS NOT NULL AND by_payment = 1
        )
        SELECT
            (SELECT count(*) FROM paid) AS invoices_paid,
            (SELECT min(days) FROM paid) AS min_days,
            (SELECT max(days) FROM paid) AS max_days,
            (SELECT coalesce(sum(days), 0) FROM paid) AS sum_days,
            (SELECT coalesce(sum(late), 0) FROM paid) AS sum_days_late,
            (SELECT count(*) FROM paid WHERE late > 0) AS times_late,
            (
                SELECT count(*) FROM invoice_settlements
                WHERE julianday(coalesce(settled_on, :asOf)) - julianday(due_date) > 30
            ) AS times_delinquent,
            (SELECT count(*) FROM invoice_settlements WHERE due_date <= :asOf) AS invoices_due
        """

    /// The folder's promises made on or before `:asOf`, oldest first: `id`, `date`, `by_date`,
    /// `amount`, `currency`, `contact_id`, `invoice_id`, `notes`, `made_by`, `paid` (what the
    /// folder's payments in force dated from the promise's date to its `by` date add up to).
    public static let promises = """
        WITH \(members),
        \(FinancialSQL.livePayments)
        SELECT p.id, p.date, p.by_date, p.amount, p.currency, p.contact_id, p.invoice_id, p.notes, p.made_by,
            coalesce((
                SELECT sum(lp.amount) FROM live_payments lp
                WHERE lp.customer_id IN folder_members AND lp.date BETWEEN p.date AND p.by_date
            ), 0) AS paid
        FROM promises p
        WHERE p.customer_id IN folder_members AND p.date <= :asOf
        ORDER BY p.date, p.id
        """

    /// The folder's holds that no release answers, earliest first: `id`, `reason`, `placed_at`,
    /// `placed_by`, `node`.
    public static let holdsInForce = """
        WITH \(members)
        SELECT h.id, h.reason, h.placed_at, h.placed_by, h.node FROM credit_holds h
        WHERE h.customer_id IN folder_members
          AND NOT EXISTS (SELECT 1 FROM credit_hold_answers a WHERE a.hold_id = h.id)
        ORDER BY h.placed_at, h.id
        """

    /// What the folder's open orders dated on or before `:asOf` have not yet invoiced: each
    /// order that is not cancelled (by then) counts its total less the totals of the invoices
    /// made from it (by then), never below zero. `remainder`.
    public static let uninvoicedOrders = """
        WITH \(members)
        SELECT coalesce(sum(max(0, o.total - coalesce((
            SELECT sum(i.total) FROM invoices i WHERE i.order_id = o.id AND i.date <= :asOf
        ), 0))), 0) AS remainder
        FROM orders o
        WHERE o.customer_id IN folder_members AND o.date <= :asOf
          AND NOT EXISTS (SELECT 1 FROM order_cancellations c WHERE c.order_id = o.id AND c.date <= :asOf)
        """

    /// The folder's invoiced total over the 365 days up to `:asOf` (`invoiced`) and what of
    /// its open amount is more than 60 days past due (`over_60`): the overdue factor of the
    /// rating.
    public static let overdueFactor = """
        WITH \(FinancialSQL.invoiceState(.folder))
        SELECT
            coalesce(sum(CASE WHEN julianday(:asOf) - julianday(date) < 365 THEN total ELSE 0 END), 0) AS invoiced,
            coalesce(sum(CASE WHEN open > 0 AND days_past_due > 60 THEN open ELSE 0 END), 0) AS over_60
        FROM invoice_state
        """

    /// The folder's latest collection calls made on or before `:asOf` (up to 5, newest first):
    /// `id`, `at`, `contact_id`, `contact_name`, `notes`, `author`.
    public static let collectionNotes = """
        WITH \(members)
        SELECT j.id, j.at, j.contact_id, c.name AS contact_name, j.notes, j.author
        FROM journal_entries j LEFT JOIN contacts c ON c.id = j.contact_id
        WHERE j.customer_id IN folder_members AND j.kind = 'collection' AND substr(j.at, 1, 10) <= :asOf
        ORDER BY j.at DESC, j.id DESC LIMIT 5
        """

    /// The Credit & Collections figures of every folder as of `:asOf`, one row per folder with
    /// invoices, promises, collection calls or holds: `folder`, `invoices_due`, `delinquent`,
    /// `invoiced` (the 365 days to `:asOf`), `open_promises`, `broken_promises`,
    /// `last_call_at`, `last_call_contact`, `last_call_notes`, `hold_since`, `hold_by`,
    /// `hold_reason` (the earliest hold in force). One pass over the invoices: each one's
    /// applications and credit notes up to 30 days past its due date summed from the indexes
    /// (`report collections`).
    public static let everyFolder = """
        WITH \(FinancialSQL.livePayments),
        -- An invoice is delinquent exactly when, more than 30 days past due, what covered it by
        -- 30 days after its due date is less than its total (movements are never negative, so
        -- "settled more than 30 days after the due date, or still open more than 30 days past
        -- due" is "not covered 30 days after it"): the applications of the payments in force
        -- dated by then — one range of `payment_applications_by_invoice`, each application
        -- carrying its payment's date — and its credit notes dated by then. No running sum.
        invoice_figures AS (
            SELECT coalesce(c.merged_into, f.customer_id) AS folder, sum(f.invoices_due) AS invoices_due,
                sum(f.delinquent) AS delinquent, sum(f.invoiced) AS invoiced
            FROM (
                SELECT i.customer_id,
                    sum(i.due_date <= :asOf) AS invoices_due,
                    sum(CASE WHEN i.total > 0 AND julianday(:asOf) - julianday(i.due_date) > 30 THEN (
                        SELECT coalesce(sum(a.amount + a.discount), 0) FROM payment_applications a
                        WHERE a.invoice_id = i.id AND a.date <= date(i.due_date, '+30 days')
                          AND a.payment_id NOT IN (SELECT payment_id FROM payment_reversals WHERE date <= :asOf)
                    ) + (
                        SELECT coalesce(sum(n.total), 0) FROM credit_notes n
                        WHERE n.invoice_id = i.id AND n.date <= date(i.due_date, '+30 days')
                    ) < i.total ELSE 0 END) AS delinquent,
                    sum(CASE WHEN julianday(:asOf) - julianday(i.date) < 365 THEN i.total ELSE 0 END) AS invoiced
                FROM invoices i WHERE +i.date <= :asOf
                GROUP BY i.customer_id
            ) f LEFT JOIN customers c ON c.id = f.customer_id
            GROUP BY 1
        ),
        promise_states AS (
            SELECT coalesce(c.merged_into, p.customer_id) AS folder, p.amount, p.by_date,
                coalesce((
                    SELECT sum(lp.amount) FROM live_payments lp
                    WHERE lp.customer_id IN (
                        SELECT m.id FROM customers m
                        WHERE m.id = coalesce(c.merged_into, p.customer_id)
                           OR m.merged_into = coalesce(c.merged_into, p.customer_id)
                    )
                    AND lp.date BETWEEN p.date AND p.by_date
                ), 0) AS paid
            FROM promises p LEFT JOIN customers c ON c.id = p.customer_id
            WHERE p.date <= :asOf
        ),
        promise_figures AS (
            SELECT folder,
                sum(paid < amount AND by_date >= :asOf) AS open_promises,
                sum(paid < amount AND by_date < :asOf) AS broken_promises
            FROM promise_states GROUP BY folder
        ),
        calls AS (
            SELECT coalesce(c.merged_into, j.customer_id) AS folder, j.at, j.id, j.notes, k.name AS contact,
                row_number() OVER (
                    PARTITION BY coalesce(c.merged_into, j.customer_id) ORDER BY j.at DESC, j.id DESC
                ) AS rank
            FROM journal_entries j LEFT JOIN customers c ON c.id = j.customer_id
            LEFT JOIN contacts k ON k.id = j.contact_id
            WHERE j.kind = 'collection' AND substr(j.at, 1, 10) <= :asOf
        ),
        holds AS (
            SELECT coalesce(c.merged_into, h.customer_id) AS folder, h.placed_at, h.placed_by, h.reason,
                row_number() OVER (
                    PARTITION BY coalesce(c.merged_into, h.customer_id) ORDER BY h.placed_at, h.id
                ) AS rank
            FROM credit_holds h LEFT JOIN customers c ON c.id = h.customer_id
            WHERE NOT EXISTS (SELECT 1 FROM credit_hold_answers a WHERE a.hold_id = h.id)
        ),
        folders AS (
            SELECT folder FROM invoice_figures UNION SELECT folder FROM promise_figures
            UNION SELECT folder FROM calls UNION SELECT folder FROM holds
        )
        SELECT f.folder, coalesce(i.invoices_due, 0) AS invoices_due, coalesce(i.delinquent, 0) AS delinquent,
            coalesce(i.invoiced, 0) AS invoiced, coalesce(p.open_promises, 0) AS open_promises,
            coalesce(p.broken_promises, 0) AS broken_promises,
            k.at AS last_call_at, k.contact AS last_call_contact, k.notes AS last_call_notes,
            h.placed_at AS hold_since, h.placed_by AS hold_by, h.reason AS hold_reason
        FROM folders f
        LEFT JOIN invoice_figures i ON i.folder = f.folder
        LEFT JOIN promise_figures p ON p.folder = f.folder
        LEFT JOIN calls k ON k.folder = f.folder AND k.rank = 1
        LEFT JOIN holds h ON h.folder = f.folder AND h.rank = 1
        """
}
