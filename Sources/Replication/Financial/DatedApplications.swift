/// "v12: dated payment applications": what the whole-book reports need of each payment, kept
/// beside it by its own triggers, so that no report looks a payment up per application.
///
/// Both additions are derived from the one immutable payment record that holds them — its
/// date, its amount and its `applied` list — never from a merge of several records, and both
/// are written and removed in the transaction that writes or removes the payment, like
/// `payment_applications` itself. Nothing owed is stored: whether a payment is in force as of
/// a date (dated by then, not reversed by then) is still decided by every query.
///
/// - `payment_applications.date`: the payment's date on each of its applications. An
///   invoice's applications by date are one range of `payment_applications_by_invoice`
///   (`invoice_id, date, amount, discount`), which answers "what covered this invoice by a
///   date" — the delinquency of `report collections` — without reading the payments.
/// - `payments_unapplied`: each payment whose applications do not add up to its amount, with
///   what they leave (`amount - Σ applications.amount`, which an over-applied payment makes
///   negative): credit on account. The ageing reads these few rows instead of every payment.
///
/// A replica of the schema before it has its applications rebuilt with their payments' dates
/// and the payments left with something unapplied listed, in the migration's transaction.
enum DatedApplications {
    static let migration = "v12: dated payment applications"

    /// The `payments` triggers of this schema.
    private static let triggers = """
        CREATE TRIGGER payments_applications_insert AFTER INSERT ON payments BEGIN
            INSERT INTO payment_applications (payment_id, position, invoice_id, date, amount, discount)
            SELECT new.id, CAST(key AS INTEGER) + 1, value ->> 'invoice', new.date, value ->> 'amount',
                value ->> 'discount'
            FROM json_each(new.applied);
            INSERT INTO payments_unapplied (payment_id, customer_id, date, amount)
            SELECT new.id, new.customer_id, new.date, unapplied FROM (
                SELECT new.amount - coalesce((SELECT sum(value ->> 'amount') FROM json_each(new.applied)), 0)
                    AS unapplied
            ) WHERE unapplied <> 0;
        END;
        CREATE TRIGGER payments_applications_delete AFTER DELETE ON payments BEGIN
            DELETE FROM payment_applications WHERE payment_id = old.id;
            DELETE FROM payments_unapplied WHERE payment_id = old.id;
        END;
        """

    static let sql = """
        DROP TRIGGER payments_applications_insert;
        DROP TRIGGER payments_applications_delete;
        CREATE TABLE payment_applications_dated (
            payment_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            invoice_id TEXT NOT NULL,
            date TEXT NOT NULL,
            amount INTEGER NOT NULL,
            discount INTEGER NOT NULL,
            PRIMARY KEY (payment_id, position)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO payment_applications_dated (payment_id, position, invoice_id, date, amount, discount)
        SELECT a.payment_id, a.position, a.invoice_id, p.date, a.amount, a.discount
        FROM payments p JOIN payment_applications a ON a.payment_id = p.id;
        DROP TABLE payment_applications;
        ALTER TABLE payment_applications_dated RENAME TO payment_applications;
        CREATE INDEX payment_applications_by_invoice ON payment_applications(invoice_id, date, amount, discount);
        CREATE TABLE payments_unapplied (
            payment_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL,
            amount INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX payments_unapplied_by_customer ON payments_unapplied(customer_id);
        INSERT INTO payments_unapplied (payment_id, customer_id, date, amount)
        SELECT id, customer_id, date, unapplied FROM (
            SELECT p.id, p.customer_id, p.date,
                p.amount - coalesce((SELECT sum(a.amount) FROM payment_applications a WHERE a.payment_id = p.id), 0)
                    AS unapplied
            FROM payments p
        ) WHERE unapplied <> 0;
        \(triggers)
        """
}
