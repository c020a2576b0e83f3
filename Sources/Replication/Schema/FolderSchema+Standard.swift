extension FolderSchema {
    /// The release this build is.
    public static let currentRelease = "0.2.0"

    /// The folder of release 0.2.0: customers, contacts, the journal, documents and their
    /// withdrawals, customer merges, the decisions on held changes, nodes' incarnations and revocations.
    public static let standard = FolderSchema(
        release: currentRelease,
        declarations: [
            customer, contact, journal, document, heldDecision, incarnation, revocation, documentWithdrawal,
            customerMerge,
        ] + financial + credit + service + marketing + [assignment]
    )

    static let customer = KindDeclaration(
        .customer,
        table: "customers",
        shape: .fields(
            registers: [
                .init("name", required: true),
                .init("notes"),
                .init("phone"),
                .init("email", rule: .email),
                .init("address"),
                .init("website"),
                .init("archived", rule: .flag),
                .init("terms", rule: .terms),
                .init("credit-limit", column: "credit_limit", rule: .amount),
                .init("industry"),
                .init("source"),
                .init("size"),
            ],
            sets: [
                .init(
                    "categories",
                    table: "customer_categories",
                    ownerColumn: "customer_id",
                    shape: .plain(column: "category")
                )
            ]
        ),
        migrations: [
            .init("kind customer: archived", sql: "ALTER TABLE customers ADD COLUMN archived TEXT"),
            SearchIndex.migration,
            .init("kind customer: terms", sql: "ALTER TABLE customers ADD COLUMN terms TEXT"),
            .init("kind customer: credit limit", sql: "ALTER TABLE customers ADD COLUMN credit_limit TEXT"),
            .init(
                "kind customer: demographics",
                sql: """
                    ALTER TABLE customers ADD COLUMN industry TEXT;
                    ALTER TABLE customers ADD COLUMN source TEXT;
                    ALTER TABLE customers ADD COLUMN size TEXT;
                    """
            ),
        ]
    )

    static let contact = KindDeclaration(
        .contact,
        table: "contacts",
        shape: .fields(
            registers: [
                .init("customer", column: "customer_id", required: true, rule: .entity(.customer)),
                .init("name", required: true),
                .init("salutation"),
                .init("title"),
                .init("address"),
                .init("notes"),
                .init(Removal.field, rule: .flag),
            ],
            sets: [
                .init(
                    "phones",
                    table: "contact_phones",
                    ownerColumn: "contact_id",
                    shape: .labelled(labelColumn: "label", valueColumn: "number", rule: .text)
                ),
                .init(
                    "emails",
                    table: "contact_emails",
                    ownerColumn: "contact_id",
                    shape: .labelled(labelColumn: "label", valueColumn: "email", rule: .email)
                ),
            ]
        ),
        migrations: [
            .init(
                "kind contact: removal",
                sql: """
                    ALTER TABLE contacts ADD COLUMN removed TEXT;
                    CREATE VIEW folder_contacts AS
                        SELECT * FROM contacts
                        WHERE removed IS NULL OR id IN (SELECT entity_id FROM removal_conflicts);
                    -- A removed contact leaves the search index, and comes back in a conflict.
                    CREATE TRIGGER contacts_search_removal AFTER UPDATE ON contacts
                    WHEN new.removed IS NOT NULL OR old.removed IS NOT NULL BEGIN
                        INSERT OR IGNORE INTO customer_search_pending (customer_id)
                            SELECT new.customer_id WHERE new.customer_id IS NOT NULL;
                    END;
                    """
            )
        ]
    )

    static let journal = KindDeclaration(
        .journal,
        table: "journal_entries",
        shape: .record([
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("at", column: "at"),
            .init("kind", column: "kind"),
            .init("parties", column: "parties"),
            .init("notes", column: "notes"),
            .init("author", column: "author"),
            .init("corrects", column: "corrects", .entity(.journal), optional: true),
            .init("contact", column: "contact_id", .entity(.contact), optional: true),
        ]),
        migrations: [
            .init("kind journal: contact", sql: "ALTER TABLE journal_entries ADD COLUMN contact_id TEXT")
        ]
    )

    static let document = KindDeclaration(
        .document,
        table: "documents",
        shape: .record([
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("title", column: "title"),
            .init("fileName", column: "file_name"),
            .init("mediaType", column: "media_type"),
            .init("size", column: "size", .integer(minimum: 0)),
            .init("digest", column: "digest", .digest),
            .init("addedAt", column: "added_at"),
            .init("addedBy", column: "added_by"),
        ])
    )

    static let heldDecision = KindDeclaration(
        .heldDecision,
        table: "held_decisions",
        shape: .record([
            .init("origin", column: "origin"),
            .init("seq", column: "seq", .integer(minimum: 1)),
            .init("decision", column: "decision", .decision),
            .init("reason", column: "reason"),
            .init("decidedAt", column: "decided_at"),
            .init("decidedBy", column: "decided_by"),
        ]),
        migrations: [
            .init(
                "kind held-decision: table",
                sql: """
                    CREATE TABLE held_decisions (
                        id TEXT PRIMARY KEY,
                        origin TEXT NOT NULL,
                        seq INTEGER NOT NULL CHECK (seq > 0),
                        decision TEXT NOT NULL CHECK (decision IN ('accept', 'drop')),
                        reason TEXT NOT NULL,
                        decided_at TEXT NOT NULL,
                        decided_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX held_decisions_by_change ON held_decisions(origin, seq);
                    """
            )
        ]
    )

    static let incarnation = KindDeclaration(
        .incarnation,
        table: "incarnations",
        shape: .record([
            .init("node", column: "node_id"),
            .init("origin", column: "origin"),
            .init("previousOrigin", column: "previous_origin"),
            .init("reason", column: "reason"),
            .init("startedAt", column: "started_at"),
        ]),
        migrations: [
            .init(
                "kind incarnation: table",
                sql: """
                    CREATE TABLE incarnations (
                        id TEXT PRIMARY KEY,
                        node_id TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        previous_origin TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        started_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX incarnations_by_node ON incarnations(node_id, started_at);
                    """
            )
        ]
    )

    static let revocation = KindDeclaration(
        .revocation,
        table: "revocations",
        shape: .record([
            .init("node", column: "node_id"),
            .init("reason", column: "reason"),
            .init("revokedAt", column: "revoked_at"),
            .init("revokedBy", column: "revoked_by"),
            .init("seen", column: "seen"),
            .init("certificate", column: "certificate"),
            .init("signature", column: "signature"),
        ]),
        migrations: [
            .init(
                "kind revocation: table",
                sql: """
                    CREATE TABLE revocations (
                        id TEXT PRIMARY KEY,
                        node_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        revoked_at TEXT NOT NULL,
                        revoked_by TEXT NOT NULL,
                        seen TEXT NOT NULL,
                        certificate TEXT NOT NULL,
                        signature TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX revocations_by_node ON revocations(node_id);
                    """
            )
        ]
    )

    /// A withdrawal points at its document; the document's row shows the earliest withdrawal
    /// (by time, then id) in `withdrawn_at`, `withdrawn_by`, `withdrawn_reason`, kept by
    /// triggers in the transaction that writes or takes back a withdrawal.
    static let documentWithdrawal = KindDeclaration(
        .documentWithdrawal,
        table: "document_withdrawals",
        shape: .record([
            .init("document", column: "document_id", .entity(.document)),
            .init("reason", column: "reason"),
            .init("withdrawnAt", column: "withdrawn_at"),
            .init("withdrawnBy", column: "withdrawn_by"),
        ]),
        migrations: [
            .init(
                "kind document-withdrawal: table",
                sql: """
                    CREATE TABLE document_withdrawals (
                        id TEXT PRIMARY KEY,
                        document_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        withdrawn_at TEXT NOT NULL,
                        withdrawn_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX document_withdrawals_by_document ON document_withdrawals(document_id, withdrawn_at, id);
                    ALTER TABLE documents ADD COLUMN withdrawn_at TEXT;
                    ALTER TABLE documents ADD COLUMN withdrawn_by TEXT;
                    ALTER TABLE documents ADD COLUMN withdrawn_reason TEXT;
                    CREATE TRIGGER document_withdrawals_insert AFTER INSERT ON document_withdrawals BEGIN
                        UPDATE documents SET
                            withdrawn_at = w.withdrawn_at, withdrawn_by = w.withdrawn_by, withdrawn_reason = w.reason
                        FROM (SELECT * FROM document_withdrawals WHERE document_id = new.document_id
                              ORDER BY withdrawn_at, id LIMIT 1) AS w
                        WHERE documents.id = new.document_id;
                    END;
                    CREATE TRIGGER document_withdrawals_delete AFTER DELETE ON document_withdrawals BEGIN
                        UPDATE documents SET withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_reason = NULL
                        WHERE id = old.document_id;
                        UPDATE documents SET
                            withdrawn_at = w.withdrawn_at, withdrawn_by = w.withdrawn_by, withdrawn_reason = w.reason
                        FROM (SELECT * FROM document_withdrawals WHERE document_id = old.document_id
                              ORDER BY withdrawn_at, id LIMIT 1) AS w
                        WHERE documents.id = old.document_id;
                    END;
                    """
            )
        ]
    )

    /// A customer entered twice: the duplicate merged into the customer kept. Each customer's
    /// `merged_into` names where its folder shows now (``CustomerMerges``).
    static let customerMerge = KindDeclaration(
        .customerMerge,
        table: "customer_merges",
        shape: .record([
            .init("keep", column: "keep_id", .entity(.customer)),
            .init("duplicate", column: "duplicate_id", .entity(.customer)),
            .init("mergedAt", column: "merged_at"),
            .init("mergedBy", column: "merged_by"),
        ]),
        migrations: [
            .init(
                "kind customer-merge: table",
                sql: """
                    CREATE TABLE customer_merges (
                        id TEXT PRIMARY KEY,
                        keep_id TEXT NOT NULL,
                        duplicate_id TEXT NOT NULL,
                        merged_at TEXT NOT NULL,
                        merged_by TEXT NOT NULL
                    ) STRICT;
                    ALTER TABLE customers ADD COLUMN merged_into TEXT;
                    CREATE INDEX customers_by_merged_into ON customers(merged_into) WHERE merged_into IS NOT NULL;
                    CREATE TRIGGER customers_search_merge AFTER UPDATE OF merged_into ON customers BEGIN
                        INSERT OR IGNORE INTO customer_search_pending (customer_id)
                            SELECT x FROM (SELECT new.id AS x UNION SELECT new.merged_into UNION SELECT old.merged_into)
                            WHERE x IS NOT NULL;
                    END;
                    """
            )
        ]
    )
}
