import Model

/// The Credit & Collections tab's kinds: promises to pay, credit holds and their releases —
/// each an immutable record. Whether a customer is on hold is derived from them (a hold no
/// release answers), never stored: a release answers only the holds its writer had seen, so a
/// hold placed concurrently with a release keeps the customer on hold on every node. The credit
/// limit is an editable field of the customer (`credit-limit`).
extension FolderSchema {
    static let credit: [KindDeclaration] = [promise, creditHold, creditRelease, exceptionResolution]

    static let promise = KindDeclaration(
        .promise,
        table: "promises",
        shape: .record([
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("date", column: "date", .date),
            .init("by", column: "by_date", .date),
            .init("currency", column: "currency", .currency),
            .init("amount", column: "amount", .integer(minimum: 1)),
            .init("contact", column: "contact_id", .entity(.contact), optional: true),
            .init("invoice", column: "invoice_id", .entity(.invoice), optional: true),
            .init("notes", column: "notes", optional: true),
            .init("madeBy", column: "made_by"),
        ]),
        migrations: [
            .init(
                "kind promise: table",
                sql: """
                    CREATE TABLE promises (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        by_date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        contact_id TEXT,
                        invoice_id TEXT,
                        notes TEXT,
                        made_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX promises_by_customer ON promises(customer_id, date);
                    """
            )
        ]
    )

    static let creditHold = KindDeclaration(
        .creditHold,
        table: "credit_holds",
        shape: .record([
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("reason", column: "reason"),
            .init("placedAt", column: "placed_at"),
            .init("placedBy", column: "placed_by"),
            .init("node", column: "node"),
            .init("seen", column: "seen", .list(.versions)),
        ]),
        migrations: [
            .init(
                "kind credit-hold: table",
                sql: """
                    CREATE TABLE credit_holds (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        placed_at TEXT NOT NULL,
                        placed_by TEXT NOT NULL,
                        node TEXT NOT NULL,
                        seen TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX credit_holds_by_customer ON credit_holds(customer_id, placed_at);
                    CREATE TABLE credit_hold_seen (
                        hold_id TEXT NOT NULL,
                        node_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        PRIMARY KEY (hold_id, node_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TRIGGER credit_holds_seen_insert AFTER INSERT ON credit_holds BEGIN
                        INSERT OR REPLACE INTO credit_hold_seen (hold_id, node_id, seq)
                        SELECT new.id, value ->> 'node', value ->> 'seq' FROM json_each(new.seen);
                    END;
                    CREATE TRIGGER credit_holds_seen_delete AFTER DELETE ON credit_holds BEGIN
                        DELETE FROM credit_hold_seen WHERE hold_id = old.id;
                    END;
                    """
            )
        ]
    )

    static let creditRelease = KindDeclaration(
        .creditRelease,
        table: "credit_releases",
        shape: .record([
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("holds", column: "holds", .list(.references)),
            .init("reason", column: "reason"),
            .init("releasedAt", column: "released_at"),
            .init("releasedBy", column: "released_by"),
            .init("node", column: "node"),
        ]),
        migrations: [
            .init(
                "kind credit-release: table",
                sql: """
                    CREATE TABLE credit_releases (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL,
                        holds TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        released_at TEXT NOT NULL,
                        released_by TEXT NOT NULL,
                        node TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX credit_releases_by_customer ON credit_releases(customer_id);
                    CREATE TABLE credit_hold_answers (
                        release_id TEXT NOT NULL,
                        hold_id TEXT NOT NULL,
                        PRIMARY KEY (hold_id, release_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TRIGGER credit_releases_answers_insert AFTER INSERT ON credit_releases BEGIN
                        INSERT OR IGNORE INTO credit_hold_answers (release_id, hold_id)
                        SELECT new.id, value FROM json_each(new.holds);
                    END;
                    CREATE TRIGGER credit_releases_answers_delete AFTER DELETE ON credit_releases BEGIN
                        DELETE FROM credit_hold_answers WHERE release_id = old.id;
                    END;
                    """
            )
        ]
    )

    /// The decisions `exceptions resolve` takes.
    public static let exceptionDecisions = ["accept", "cancel"]

    static let exceptionResolution = KindDeclaration(
        .exceptionResolution,
        table: "exception_resolutions",
        shape: .record([
            .init("exception", column: "exception"),
            .init("decision", column: "decision", .choice(exceptionDecisions)),
            .init("reason", column: "reason"),
            .init("resolvedAt", column: "resolved_at"),
            .init("resolvedBy", column: "resolved_by"),
            .init("node", column: "node"),
        ]),
        migrations: [
            .init(
                "kind exception-resolution: table",
                sql: """
                    CREATE TABLE exception_resolutions (
                        id TEXT PRIMARY KEY,
                        exception TEXT NOT NULL,
                        decision TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        resolved_at TEXT NOT NULL,
                        resolved_by TEXT NOT NULL,
                        node TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX exception_resolutions_by_exception ON exception_resolutions(exception, resolved_at);
                    """
            )
        ]
    )
}
