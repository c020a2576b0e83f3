import GRDB

/// The replica's tables, as numbered migrations. docs/SCHEMA.md describes every table.
///
/// Two layers live side by side: the plain tables an office reads with any SQLite tool
/// (`customers`, `contacts`, `journal_entries`, ...), and the replication metadata that
/// makes them mergeable (`changes`, `field_heads`, `set_elements`, `origins`). The plain tables
/// are always derived from the metadata inside the same transaction.
///
/// Migrations never change once released: "v1: replica" is release 0.1.0's file; "v2: held
/// changes" turns it into release 0.2.0's in place (nothing lost: the log is copied row for
/// row); "v3: id clock and incarnation" adds columns to `node`; "v4: roles and revocation" adds
/// the node's and its peers' roles and the held reasons of revocation; "v5: removals" adds the
/// views that tell a removal from a removal conflict (``Removal``). Then each kind's own migrations run, in the schema's order, as its declaration lists
/// them: a release that adds a kind adds its table that way. Then "v6: persons and the change
/// feed", "v7: acknowledgements" (``Reclamation``), "v8: currency" (the node's
/// currency, `init --currency`), "v9: number series" (``NumberSeries``), "v10: rating history" (``RatingHistory``), "v11: search demographics" (``SearchIndex``) "v12: dated payment applications" (``DatedApplications``) and "v13: scoped laptops" (``Elision``), registered last, so that a file of the
/// schema before each holds exactly the migrations registered before it.
enum Schema {
    static func migrator(for folder: FolderSchema) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: replica") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: held changes") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3: id clock and incarnation") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4: roles and revocation") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: removals") { db in
            try db.execute(sql: Removal.views)
        }
        for declaration in folder.declarations {
            for migration in declaration.migrations {
                migrator.registerMigration(migration.identifier) { db in
                    try db.execute(sql: migration.sql)
                }
            }
        }
        migrator.registerMigration(personsMigration) { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration(Reclamation.migration) { db in
            try db.execute(sql: Reclamation.sql)
        }
        migrator.registerMigration("v8: currency") { db in
            try db.execute(sql: "ALTER TABLE node ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD'")
        }
        migrator.registerMigration(NumberSeries.migration) { db in
            try db.execute(sql: NumberSeries.sql)
        }
        migrator.registerMigration(RatingHistory.migration) { db in
            try db.execute(sql: RatingHistory.sql)
        }
        migrator.registerMigration(SearchIndex.demographicsMigration.identifier) { db in
            try db.execute(sql: SearchIndex.demographicsMigration.sql)
        }
        migrator.registerMigration(DatedApplications.migration) { db in
            try db.execute(sql: DatedApplications.sql)
        }
        migrator.registerMigration(Elision.migration) { db in
            try db.execute(sql: Elision.sql)
        }
        return migrator
    }

    /// The migration that adds persons and the change feed's index: a replica of the schema
    /// before it holds every migration registered before it.
    static let personsMigration = "v6: persons and the change feed"

    /// Who wrote each change (`person`, NULL when not known: a change logged before this
    /// migration, or relayed through a node of an earlier release; shown as its node's name),
    /// also for changes held aside; whether each peer reads persons (its hello's `persons`
    /// feature, for bundles made `--for` it); and the log by time, for `nodectl changes`.
    /// Old rows are kept as they are.
    private static let v6 = """
        ALTER TABLE changes ADD COLUMN person TEXT
            CHECK (person IS NULL OR length(CAST(person AS BLOB)) BETWEEN 1 AND 200);
        ALTER TABLE held_changes ADD COLUMN person TEXT
            CHECK (person IS NULL OR length(CAST(person AS BLOB)) BETWEEN 1 AND 200);
        ALTER TABLE peers ADD COLUMN reads_persons INTEGER CHECK (reads_persons IN (0, 1));
        CREATE INDEX changes_by_time ON changes(hlc);
        """

    /// Release 0.2.0: the log takes kinds and operations of any release (`kind-N`, `op-N` for
    /// those this build does not know), each entity's kind is fixed by its first applied
    /// change, held changes are kept beside the log, and peers' releases are recorded.
    /// The entity-id clock, apart from the hybrid clock: the hybrid clock is pulled back when
    /// it ran beyond the drift bound, entity ids must never repeat. Every id given out so far
    /// is at most the hybrid clock's last reading, where the id clock starts. And the node's
    /// incarnation: the origin its writes carry (NULL: its node id), the identity of the file
    /// it was last opened as, when it was last restored.
    private static let v3 = """
        ALTER TABLE node ADD COLUMN id_clock INTEGER NOT NULL DEFAULT 0;
        UPDATE node SET id_clock = clock;
        ALTER TABLE node ADD COLUMN origin TEXT;
        ALTER TABLE node ADD COLUMN file_identity TEXT;
        ALTER TABLE node ADD COLUMN restored_at TEXT;
        """

    /// Rollbacks a peer's hello showed: this node's (a new incarnation at the next open) and
    /// each peer's. Roles: the node's own (`init --role`) and the one each peer is trusted as; held changes
    /// take the reasons of revocation (`revoked`, `unverified`, `forged`). SQLite cannot change
    /// a CHECK in place, so `held_changes` is copied row for row into its new form.
    private static let v4 = """
        ALTER TABLE node ADD COLUMN role TEXT NOT NULL DEFAULT 'office' CHECK (role IN ('office', 'laptop'));
        ALTER TABLE peers ADD COLUMN role TEXT NOT NULL DEFAULT 'office' CHECK (role IN ('office', 'laptop'));
        ALTER TABLE node ADD COLUMN rolled_back_at TEXT;
        ALTER TABLE peers ADD COLUMN rolled_back_at TEXT;
        CREATE TABLE held_changes_v4 (
            id TEXT PRIMARY KEY,
            change INTEGER UNIQUE REFERENCES changes(local_order),
            origin TEXT NOT NULL,
            seq INTEGER,
            hlc INTEGER,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            op TEXT NOT NULL,
            value TEXT,
            predecessors TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL CHECK (reason IN (
                'unknown-kind', 'unknown-field', 'unknown-operation', 'rule', 'missing-predecessor',
                'own-origin', 'out-of-order', 'malformed', 'clone', 'revoked', 'unverified', 'forged')),
            detail TEXT NOT NULL,
            held_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO held_changes_v4 SELECT id, change, origin, seq, hlc, entity, entity_id, field, op, value,
            predecessors, reason, detail, held_at FROM held_changes;
        DROP INDEX held_changes_by_origin;
        DROP TABLE held_changes;
        ALTER TABLE held_changes_v4 RENAME TO held_changes;
        CREATE INDEX held_changes_by_origin ON held_changes(origin, seq);
        """

    private static let v2 = """
        CREATE TABLE changes_v2 (
            local_order INTEGER PRIMARY KEY,
            origin INTEGER NOT NULL REFERENCES origins(id),
            seq INTEGER NOT NULL CHECK (seq > 0),
            hlc INTEGER NOT NULL CHECK (hlc >= 0),
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            op TEXT NOT NULL,
            value TEXT,
            predecessors TEXT NOT NULL DEFAULT '',
            UNIQUE (origin, seq)
        ) STRICT;
        INSERT INTO changes_v2 (local_order, origin, seq, hlc, entity, entity_id, field, op, value, predecessors)
            SELECT local_order, origin, seq, hlc, entity, entity_id, field, op, value, predecessors FROM changes;
        DROP INDEX changes_by_entity;
        DROP TABLE changes;
        ALTER TABLE changes_v2 RENAME TO changes;
        CREATE INDEX changes_by_entity ON changes(entity_id, field);

        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO entities (id, kind)
            SELECT entity_id, entity FROM changes c
            WHERE local_order = (SELECT min(local_order) FROM changes d WHERE d.entity_id = c.entity_id);

        CREATE TABLE held_changes (
            id TEXT PRIMARY KEY,
            change INTEGER UNIQUE REFERENCES changes(local_order),
            origin TEXT NOT NULL,
            seq INTEGER,
            hlc INTEGER,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            op TEXT NOT NULL,
            value TEXT,
            predecessors TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL CHECK (reason IN (
                'unknown-kind', 'unknown-field', 'unknown-operation', 'rule', 'missing-predecessor',
                'own-origin', 'out-of-order', 'malformed', 'clone')),
            detail TEXT NOT NULL,
            held_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX held_changes_by_origin ON held_changes(origin, seq);

        ALTER TABLE peers ADD COLUMN peer_version TEXT;
        """

    private static let v1 = """
        CREATE TABLE node (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            node_id TEXT NOT NULL,
            name TEXT NOT NULL,
            clock INTEGER NOT NULL DEFAULT 0,
            max_drift_ms INTEGER NOT NULL DEFAULT 600000,
            default_country TEXT NOT NULL DEFAULT 'US',
            created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE origins (
            id INTEGER PRIMARY KEY,
            node_id TEXT NOT NULL UNIQUE,
            max_seq INTEGER NOT NULL DEFAULT 0 CHECK (max_seq >= 0)
        ) STRICT;

        CREATE TABLE changes (
            local_order INTEGER PRIMARY KEY,
            origin INTEGER NOT NULL REFERENCES origins(id),
            seq INTEGER NOT NULL CHECK (seq > 0),
            hlc INTEGER NOT NULL,
            entity TEXT NOT NULL CHECK (entity IN ('customer', 'contact', 'journal', 'document')),
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('assign', 'add', 'remove', 'record')),
            value TEXT,
            predecessors TEXT NOT NULL DEFAULT '',
            UNIQUE (origin, seq)
        ) STRICT;
        CREATE INDEX changes_by_entity ON changes(entity_id, field);

        CREATE TABLE field_heads (
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            change INTEGER NOT NULL REFERENCES changes(local_order),
            PRIMARY KEY (entity_id, field, change)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE set_elements (
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            element TEXT NOT NULL,
            change INTEGER NOT NULL REFERENCES changes(local_order),
            removed_by INTEGER REFERENCES changes(local_order),
            PRIMARY KEY (entity_id, field, element, change)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX set_elements_by_add ON set_elements(change);

        CREATE TABLE peers (
            node_id TEXT PRIMARY KEY,
            name TEXT,
            address TEXT,
            trusted_at TEXT NOT NULL,
            known_vector TEXT NOT NULL DEFAULT '{}',
            last_sync TEXT,
            last_error TEXT,
            last_error_at TEXT
        ) STRICT;

        CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            name TEXT,
            notes TEXT,
            phone TEXT,
            email TEXT,
            address TEXT,
            website TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        ) STRICT;
        CREATE INDEX customers_by_name ON customers(name COLLATE NOCASE);

        CREATE TABLE customer_categories (
            customer_id TEXT NOT NULL,
            category TEXT NOT NULL,
            PRIMARY KEY (customer_id, category)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX customer_categories_by_category ON customer_categories(category);

        CREATE TABLE contacts (
            id TEXT PRIMARY KEY,
            customer_id TEXT,
            name TEXT,
            salutation TEXT,
            title TEXT,
            address TEXT,
            notes TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        ) STRICT;
        CREATE INDEX contacts_by_customer ON contacts(customer_id);

        CREATE TABLE contact_phones (
            contact_id TEXT NOT NULL,
            label TEXT NOT NULL,
            number TEXT NOT NULL,
            PRIMARY KEY (contact_id, label, number)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE contact_emails (
            contact_id TEXT NOT NULL,
            label TEXT NOT NULL,
            email TEXT NOT NULL,
            PRIMARY KEY (contact_id, label, email)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE journal_entries (
            id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            parties TEXT NOT NULL,
            notes TEXT NOT NULL,
            author TEXT NOT NULL,
            corrects TEXT
        ) STRICT;
        CREATE INDEX journal_entries_by_customer ON journal_entries(customer_id, at);

        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            title TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            digest TEXT NOT NULL CHECK (length(digest) = 64),
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        ) STRICT;
        CREATE INDEX documents_by_customer ON documents(customer_id);

        CREATE VIEW open_conflicts AS
            SELECT h.entity_id, h.field, count(*) AS candidates
            FROM field_heads h
            GROUP BY h.entity_id, h.field
            HAVING count(*) > 1;
        """
}
