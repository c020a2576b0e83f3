import Model

/// The Financial tab's kinds: the price list (editable, shared by every node) and the
/// documents, each an immutable record. Amounts are integers of minor units of the document's
/// `currency`; dates are `YYYY-MM-DD`; quantities and percentages are canonical decimal text.
/// A document's lines and a payment's applications are spread by triggers into `sales_lines`,
/// `delivered_lines` and `payment_applications`, in the transaction that writes the record
/// (and removed with it, should a retraction take the record back).
extension FolderSchema {
    static let financial: [KindDeclaration] = [
        item, quote, quoteDecision, order, orderDelivery, orderCancellation, invoice, creditNote, payment,
        paymentReversal,
    ]

    static let item = KindDeclaration(
        .item,
        table: "items",
        shape: .fields(
            registers: [
                .init("part", required: true),
                .init("description"),
                .init("price", required: true, rule: .amount),
                .init("tax", rule: .percentage),
                .init("unit"),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "kind item: table",
                sql: """
                    CREATE TABLE items (
                        id TEXT PRIMARY KEY,
                        part TEXT,
                        description TEXT,
                        price TEXT,
                        tax TEXT,
                        unit TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX items_by_part ON items(part COLLATE NOCASE);
                    """
            )
        ]
    )

    /// The members every issued sales document carries.
    private static func issued(_ extra: [KindDeclaration.RecordField]) -> [KindDeclaration.RecordField] {
        [
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("number", column: "number"),
            .init("date", column: "date", .date),
            .init("currency", column: "currency", .currency),
            .init("subtotal", column: "subtotal", .integer(minimum: 0)),
            .init("tax", column: "tax", .integer(minimum: 0)),
            .init("total", column: "total", .integer(minimum: 0)),
        ] + extra
    }

    /// The lines of a document: one row per line, made by the trigger of `table`'s inserts.
    static func lineTriggers(_ table: String) -> String {
        """
        CREATE TRIGGER \(table)_lines_insert AFTER INSERT ON \(table) WHEN new.lines IS NOT NULL BEGIN
            INSERT INTO sales_lines
                (document_id, position, part, description, quantity, unit_price, discount, tax_rate, net, tax)
            SELECT new.id, CAST(key AS INTEGER) + 1, value ->> 'part', value ->> 'description', value ->> 'quantity',
                value ->> 'unitPrice', value ->> 'discount', value ->> 'taxRate', value ->> 'net', value ->> 'tax'
            FROM json_each(new.lines);
        END;
        CREATE TRIGGER \(table)_lines_delete AFTER DELETE ON \(table) BEGIN
            DELETE FROM sales_lines WHERE document_id = old.id;
        END;
        """
    }

    static let quote = KindDeclaration(
        .quote,
        table: "quotes",
        shape: .record(
            issued([
                .init("lines", column: "lines", .list(.salesLines)),
                .init("validUntil", column: "valid_until", .date, optional: true),
                .init("notes", column: "notes", optional: true),
            ]),
            rule: .documentTotals
        ),
        migrations: [
            .init(
                "kind quote: table",
                sql: """
                    CREATE TABLE sales_lines (
                        document_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        part TEXT NOT NULL,
                        description TEXT NOT NULL,
                        quantity TEXT NOT NULL,
                        unit_price INTEGER NOT NULL,
                        discount TEXT NOT NULL,
                        tax_rate TEXT NOT NULL,
                        net INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        PRIMARY KEY (document_id, position)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TABLE quotes (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        subtotal INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        lines TEXT NOT NULL,
                        valid_until TEXT,
                        notes TEXT
                    ) STRICT;
                    CREATE INDEX quotes_by_customer ON quotes(customer_id, date);
                    CREATE INDEX quotes_by_number ON quotes(number);
                    \(lineTriggers("quotes"))
                    """
            )
        ]
    )

    static let quoteDecision = KindDeclaration(
        .quoteDecision,
        table: "quote_decisions",
        shape: .record([
            .init("quote", column: "quote_id", .entity(.quote)),
            .init("decision", column: "decision", .choice(["accepted", "declined"])),
            .init("date", column: "date", .date),
        ]),
        migrations: [
            .init(
                "kind quote-decision: table",
                sql: """
                    CREATE TABLE quote_decisions (
                        id TEXT PRIMARY KEY,
                        quote_id TEXT NOT NULL,
                        decision TEXT NOT NULL,
                        date TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX quote_decisions_by_quote ON quote_decisions(quote_id);
                    """
            )
        ]
    )

    static let order = KindDeclaration(
        .order,
        table: "orders",
        shape: .record(
            issued([
                .init("lines", column: "lines", .list(.salesLines)),
                .init("quote", column: "quote_id", .entity(.quote), optional: true),
                .init("deliverBy", column: "deliver_by", .date, optional: true),
                .init("creditOverride", column: "credit_override", optional: true),
                .init("holdsSeen", column: "holds_seen", .list(.references), optional: true),
                .init("notes", column: "notes", optional: true),
            ]),
            rule: .documentTotals
        ),
        migrations: [
            .init(
                "kind order: table",
                sql: """
                    CREATE TABLE orders (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        subtotal INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        lines TEXT NOT NULL,
                        quote_id TEXT,
                        deliver_by TEXT,
                        credit_override TEXT,
                        notes TEXT
                    ) STRICT;
                    CREATE INDEX orders_by_customer ON orders(customer_id, date);
                    CREATE INDEX orders_by_number ON orders(number);
                    CREATE INDEX orders_by_quote ON orders(quote_id) WHERE quote_id IS NOT NULL;
                    \(lineTriggers("orders"))
                    """
            ),
            .init("kind order: holds seen", sql: "ALTER TABLE orders ADD COLUMN holds_seen TEXT"),
        ]
    )

    static let orderDelivery = KindDeclaration(
        .orderDelivery,
        table: "order_deliveries",
        shape: .record([
            .init("order", column: "order_id", .entity(.order)),
            .init("date", column: "date", .date),
            .init("lines", column: "lines", .list(.deliveredLines)),
        ]),
        migrations: [
            .init(
                "kind order-delivery: table",
                sql: """
                    CREATE TABLE order_deliveries (
                        id TEXT PRIMARY KEY,
                        order_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        lines TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX order_deliveries_by_order ON order_deliveries(order_id);
                    CREATE TABLE delivered_lines (
                        delivery_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        part TEXT NOT NULL,
                        quantity TEXT NOT NULL,
                        PRIMARY KEY (delivery_id, position)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TRIGGER order_deliveries_lines_insert AFTER INSERT ON order_deliveries BEGIN
                        INSERT INTO delivered_lines (delivery_id, position, part, quantity)
                        SELECT new.id, CAST(key AS INTEGER) + 1, value ->> 'part', value ->> 'quantity'
                        FROM json_each(new.lines);
                    END;
                    CREATE TRIGGER order_deliveries_lines_delete AFTER DELETE ON order_deliveries BEGIN
                        DELETE FROM delivered_lines WHERE delivery_id = old.id;
                    END;
                    """
            )
        ]
    )

    static let orderCancellation = KindDeclaration(
        .orderCancellation,
        table: "order_cancellations",
        shape: .record([
            .init("order", column: "order_id", .entity(.order)),
            .init("date", column: "date", .date),
            .init("reason", column: "reason"),
        ]),
        migrations: [
            .init(
                "kind order-cancellation: table",
                sql: """
                    CREATE TABLE order_cancellations (
                        id TEXT PRIMARY KEY,
                        order_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        reason TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX order_cancellations_by_order ON order_cancellations(order_id);
                    """
            )
        ]
    )

    static let invoice = KindDeclaration(
        .invoice,
        table: "invoices",
        shape: .record(
            issued([
                .init("lines", column: "lines", .list(.salesLines)),
                .init("dueDate", column: "due_date", .date),
                .init("terms", column: "terms", .terms),
                .init("order", column: "order_id", .entity(.order), optional: true),
                .init("salesperson", column: "salesperson", optional: true),
                .init("notes", column: "notes", optional: true),
                .init("service", column: "service_id", .entity(.serviceCall), optional: true),
            ]),
            rule: .documentTotals
        ),
        migrations: [
            .init(
                "kind invoice: table",
                sql: """
                    CREATE TABLE invoices (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        subtotal INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        lines TEXT NOT NULL,
                        due_date TEXT NOT NULL,
                        terms TEXT NOT NULL,
                        order_id TEXT,
                        salesperson TEXT,
                        notes TEXT
                    ) STRICT;
                    CREATE INDEX invoices_by_customer ON invoices(customer_id, date);
                    CREATE INDEX invoices_by_number ON invoices(number);
                    CREATE INDEX invoices_by_date ON invoices(date);
                    CREATE INDEX invoices_by_order ON invoices(order_id) WHERE order_id IS NOT NULL;
                    \(lineTriggers("invoices"))
                    """
            ),
            .init(
                "kind invoice: service call",
                sql: """
                    ALTER TABLE invoices ADD COLUMN service_id TEXT;
                    CREATE INDEX invoices_by_service ON invoices(service_id) WHERE service_id IS NOT NULL;
                    """
            ),
            // What the sales reports read of every invoice of a period, without the row and its
            // lines' JSON: `report sales --by month` over the whole book reads this index alone.
            .init(
                "kind invoice: sales index",
                sql: "CREATE INDEX invoices_for_sales ON invoices(date, customer_id, salesperson, subtotal, id)"
            ),
        ]
    )

    static let creditNote = KindDeclaration(
        .creditNote,
        table: "credit_notes",
        shape: .record(
            issued([
                .init("invoice", column: "invoice_id", .entity(.invoice)),
                .init("reason", column: "reason"),
                .init("lines", column: "lines", .list(.salesLines), optional: true),
            ]),
            rule: .documentTotals
        ),
        migrations: [
            .init(
                "kind credit-note: table",
                sql: """
                    CREATE TABLE credit_notes (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        subtotal INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        invoice_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        lines TEXT
                    ) STRICT;
                    CREATE INDEX credit_notes_by_invoice ON credit_notes(invoice_id, date);
                    CREATE INDEX credit_notes_by_customer ON credit_notes(customer_id, date);
                    CREATE INDEX credit_notes_by_number ON credit_notes(number);
                    \(lineTriggers("credit_notes"))
                    """
            )
        ]
    )

    /// The methods a payment is made by.
    public static let paymentMethods = ["check", "card", "ach", "wire", "cash"]

    static let payment = KindDeclaration(
        .payment,
        table: "payments",
        shape: .record(
            [
                .init("customerId", column: "customer_id", .entity(.customer)),
                .init("number", column: "number"),
                .init("date", column: "date", .date),
                .init("currency", column: "currency", .currency),
                .init("amount", column: "amount", .integer(minimum: 0)),
                .init("method", column: "method", .choice(paymentMethods)),
                .init("reference", column: "reference", optional: true),
                .init("applied", column: "applied", .list(.applications)),
            ],
            rule: .paymentApplications
        ),
        migrations: [
            .init(
                "kind payment: table",
                sql: """
                    CREATE TABLE payments (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        method TEXT NOT NULL,
                        reference TEXT,
                        applied TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX payments_by_customer ON payments(customer_id, date);
                    CREATE INDEX payments_by_number ON payments(number);
                    CREATE TABLE payment_applications (
                        payment_id TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        invoice_id TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        discount INTEGER NOT NULL,
                        PRIMARY KEY (payment_id, position)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX payment_applications_by_invoice ON payment_applications(invoice_id);
                    CREATE TRIGGER payments_applications_insert AFTER INSERT ON payments BEGIN
                        INSERT INTO payment_applications (payment_id, position, invoice_id, amount, discount)
                        SELECT new.id, CAST(key AS INTEGER) + 1, value ->> 'invoice', value ->> 'amount', value ->> 'discount'
                        FROM json_each(new.applied);
                    END;
                    CREATE TRIGGER payments_applications_delete AFTER DELETE ON payments BEGIN
                        DELETE FROM payment_applications WHERE payment_id = old.id;
                    END;
                    """
            )
        ]
    )

    static let paymentReversal = KindDeclaration(
        .paymentReversal,
        table: "payment_reversals",
        shape: .record([
            .init("payment", column: "payment_id", .entity(.payment)),
            .init("date", column: "date", .date),
            .init("reason", column: "reason"),
        ]),
        migrations: [
            .init(
                "kind payment-reversal: table",
                sql: """
                    CREATE TABLE payment_reversals (
                        id TEXT PRIMARY KEY,
                        payment_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        reason TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX payment_reversals_by_payment ON payment_reversals(payment_id, date);
                    """
            )
        ]
    )
}
