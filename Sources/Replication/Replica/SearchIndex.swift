import GRDB
import Model

/// The customer search index: derived from the plain tables in the transaction that writes
/// them, never replicated.
///
/// `customer_search` holds one row per customer: the folded text of its name, e-mail, address
/// and notes and of its contacts' names, e-mails, addresses and notes (`words`), and the digits
/// of its phone and its contacts' phones (`digits`, one digit string per number). Two FTS5
/// tables index it as external content: `customer_search_words` (`unicode61 remove_diacritics
/// 2`, words and digit strings, for word-prefix queries) and `customer_search_digits`
/// (`trigram`, for digit substrings of phone numbers); triggers on `customer_search` keep both
/// in step with it.
///
/// Guarantees: triggers on `customers`, `contacts`, `contact_phones` and `contact_emails` note
/// in `customer_search_pending` every customer whose text or phones a statement changes,
/// whichever path wrote them (a local write, a peer's batch, a held change applied later);
/// ``flush(_:)``, run by the ledger at the end of every transaction that applies changes,
/// recomputes those customers' rows once each and empties the table. So at every commit the
/// index matches the plain tables (`check` verifies it). The migration that creates it fills it
/// from the rows a replica already has. Folding and digit extraction are SQL functions of this
/// process (``addFunctions(to:)``), added to every connection of the replica.
enum SearchIndex {
    /// Adds the functions that compute the index's rows. Every connection of the replica has them.
    static func addFunctions(to db: Database) {
        db.add(function: words)
        db.add(function: digits)
    }

    /// `search_words(TEXT, ...)`: each non-NULL argument folded (``SearchFolding``), joined by
    /// newlines.
    static let words = DatabaseFunction("search_words", pure: true) { values in
        values.compactMap { String.fromDatabaseValue($0) }.filter { !$0.isEmpty }.map(SearchFolding.fold)
            .joined(separator: "\n")
    }

    /// `search_digits(TEXT, ...)`: the digits of each line of each non-NULL argument (one phone
    /// number per line), those with any digit joined by spaces.
    static let digits = DatabaseFunction("search_digits", pure: true) { values in
        values.compactMap { String.fromDatabaseValue($0) }
            .flatMap { $0.split(whereSeparator: \.isNewline) }
            .map { PhoneDigits.of(String($0)) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The migration that creates the index and its triggers and fills it. Never change it:
    /// a later release that indexes more adds a migration that drops and recreates.
    static let migration = KindDeclaration.Migration("kind customer: search index", sql: sql)

    /// The contacts in the folder (removed ones left out): the table the index reads from. The
    /// migration that made the index read `contacts` (it ran before removals existed, and a
    /// replica it filled had none).
    private static let contacts = "folder_contacts"

    /// Which customers' contacts a customer's row holds, as an SQL condition on `k`: its own and
    /// those of the customers merged into it (``CustomerMerges``). The first migration: its own.
    private static func ownedBy(_ contacts: String) -> String {
        contacts == "contacts"
            ? "k.customer_id = c.id"
            : "k.customer_id IN (SELECT id FROM customers WHERE id = c.id OR merged_into = c.id)"
    }

    /// What the `words` column of customer `c` holds, as an SQL expression. Contacts and their
    /// elements in a fixed order, so that the same folder always makes the same text.
    ///
    /// `demographics`: with the customer's `industry`, `source` and `size` (the index since
    /// ``demographicsMigration``; the first migration ran before those columns existed).
    private static func wordsOfCustomer(_ contacts: String = contacts, demographics: Bool = true) -> String {
        """
        search_words(c.name, c.email, c.address, c.notes,\(demographics ? " c.industry, c.source, c.size," : "")
                (SELECT group_concat(t, char(10)) FROM (
                    SELECT search_words(k.name, k.address, k.notes) AS t
                    FROM \(contacts) k WHERE \(ownedBy(contacts)) ORDER BY k.id)),
                (SELECT group_concat(t, char(10)) FROM (
                    SELECT e.email AS t FROM \(contacts) k JOIN contact_emails e ON e.contact_id = k.id
                    WHERE \(ownedBy(contacts)) ORDER BY k.id, e.email, e.label)))
        """
    }

    /// What the `digits` column of customer `c` holds, as an SQL expression (fixed order too).
    private static func digitsOfCustomer(_ contacts: String = contacts) -> String {
        """
        search_digits(c.phone,
                (SELECT group_concat(t, char(10)) FROM (
                    SELECT p.number AS t FROM \(contacts) k JOIN contact_phones p ON p.contact_id = k.id
                    WHERE \(ownedBy(contacts)) ORDER BY k.id, p.number, p.label)))
        """
    }

    /// The statement that recomputes the `customer_search` row of the customers `condition`
    /// selects (an SQL condition on `c`, the `customers` row).
    private static func refresh(where condition: String, contacts: String = contacts, demographics: Bool = true)
        -> String
    {
        """
        INSERT INTO customer_search (customer_id, words, digits)
            SELECT c.id, \(wordsOfCustomer(contacts, demographics: demographics)), \(digitsOfCustomer(contacts))
            FROM customers c WHERE \(condition)
            ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words, digits = excluded.digits;
        """
    }

    /// Recomputes the rows of the customers `customer_search_pending` names, once each, and
    /// empties it. Run in the transaction that wrote them, before it commits.
    static func flush(_ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer_search_pending)") == true else {
            return
        }
        try db.execute(
            // A merged customer's contacts are in the row of the customer it was merged into.
            sql: """
                INSERT OR IGNORE INTO customer_search_pending (customer_id)
                    SELECT merged_into FROM customers
                    WHERE merged_into IS NOT NULL AND id IN (SELECT customer_id FROM customer_search_pending);
                """
                    + refresh(where: "c.id IN (SELECT customer_id FROM customer_search_pending)")
                        + """
                        DELETE FROM customer_search WHERE customer_id IN (SELECT customer_id FROM customer_search_pending)
                            AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = customer_search.customer_id);
                        DELETE FROM customer_search_pending;
                        """
        )
    }

    /// What `check` finds wrong with the index: customers whose row is missing or differs
    /// from what their folder makes now, and rows of no customer. Reads every customer.
    static func problems(_ db: Database) throws -> [String] {
        let stale =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM customers c LEFT JOIN customer_search s ON s.customer_id = c.id
                    WHERE s.customer_id IS NULL OR s.words IS NOT \(wordsOfCustomer())
                    OR s.digits IS NOT \(digitsOfCustomer())
                    """
            ) ?? 0
        let orphans =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM customer_search s
                    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id)
                    """
            ) ?? 0
        let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM customer_search_pending") ?? 0
        var problems: [String] = []
        if pending > 0 { problems.append("the search index has \(pending) customers left to update") }
        if stale > 0 { problems.append("the search index is out of date for \(stale) customers") }
        if orphans > 0 { problems.append("the search index holds \(orphans) customers that do not exist") }
        return problems
    }

    /// Notes customer `expression` (SQL; NULL notes nothing) as changed.
    private static func mark(_ expression: String) -> String {
        """
        INSERT OR IGNORE INTO customer_search_pending (customer_id)
                SELECT \(expression) WHERE \(expression) IS NOT NULL;
        """
    }

    /// Triggers on a contact's element table (`contact_phones`, `contact_emails`): the
    /// contact's customer changed.
    private static func elementTriggers(_ table: String) -> String {
        let owner = { (row: String) in "(SELECT customer_id FROM contacts WHERE id = \(row).contact_id)" }
        return """
            CREATE TRIGGER \(table)_search_insert AFTER INSERT ON \(table) BEGIN
                \(mark(owner("new")))
            END;
            CREATE TRIGGER \(table)_search_delete AFTER DELETE ON \(table) BEGIN
                \(mark(owner("old")))
            END;
            CREATE TRIGGER \(table)_search_update AFTER UPDATE ON \(table) BEGIN
                \(mark(owner("new")))
                \(mark(owner("old")))
            END;
            """
    }

    private static let sql = """
        CREATE TABLE customer_search (
            doc INTEGER PRIMARY KEY,
            customer_id TEXT NOT NULL UNIQUE,
            words TEXT NOT NULL,
            digits TEXT NOT NULL
        ) STRICT;
        CREATE VIRTUAL TABLE customer_search_words USING fts5(
            words, digits, content = 'customer_search', content_rowid = 'doc',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE customer_search_digits USING fts5(
            digits, content = 'customer_search', content_rowid = 'doc', tokenize = 'trigram'
        );

        CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_search BEGIN
            INSERT INTO customer_search_words (rowid, words, digits) VALUES (new.doc, new.words, new.digits);
            INSERT INTO customer_search_digits (rowid, digits) VALUES (new.doc, new.digits);
        END;
        CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_search BEGIN
            INSERT INTO customer_search_words (customer_search_words, rowid, words, digits)
                VALUES ('delete', old.doc, old.words, old.digits);
            INSERT INTO customer_search_digits (customer_search_digits, rowid, digits)
                VALUES ('delete', old.doc, old.digits);
        END;
        CREATE TRIGGER customer_search_update_words AFTER UPDATE ON customer_search
        WHEN old.words IS NOT new.words OR old.digits IS NOT new.digits OR old.doc IS NOT new.doc BEGIN
            INSERT INTO customer_search_words (customer_search_words, rowid, words, digits)
                VALUES ('delete', old.doc, old.words, old.digits);
            INSERT INTO customer_search_words (rowid, words, digits) VALUES (new.doc, new.words, new.digits);
        END;
        CREATE TRIGGER customer_search_update_digits AFTER UPDATE ON customer_search
        WHEN old.digits IS NOT new.digits OR old.doc IS NOT new.doc BEGIN
            INSERT INTO customer_search_digits (customer_search_digits, rowid, digits)
                VALUES ('delete', old.doc, old.digits);
            INSERT INTO customer_search_digits (rowid, digits) VALUES (new.doc, new.digits);
        END;

        CREATE TABLE customer_search_pending (
            customer_id TEXT PRIMARY KEY
        ) STRICT, WITHOUT ROWID;
        CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
            \(mark("new.id"))
        END;
        CREATE TRIGGER customers_search_update AFTER UPDATE OF id, name, email, address, notes, phone ON customers BEGIN
            \(mark("new.id"))
            \(mark("old.id"))
        END;
        CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
            \(mark("old.id"))
        END;

        CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
            \(mark("new.customer_id"))
        END;
        CREATE TRIGGER contacts_search_update AFTER UPDATE OF id, customer_id, name, address, notes ON contacts BEGIN
            \(mark("new.customer_id"))
            \(mark("old.customer_id"))
        END;
        CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
            \(mark("old.customer_id"))
        END;

        \(elementTriggers("contact_phones"))
        \(elementTriggers("contact_emails"))

        \(refresh(where: "true", contacts: "contacts", demographics: false))
        """

    /// The index with the customer's demographics (`industry`, `source`, `size`): their update
    /// marks the customer, and every row is recomputed once. Registered after every kind's
    /// migrations: it reads `folder_contacts`, which the contact's make.
    static let demographicsMigration = KindDeclaration.Migration(
        "v11: search demographics",
        sql: """
            DROP TRIGGER customers_search_update;
            CREATE TRIGGER customers_search_update
            AFTER UPDATE OF id, name, email, address, notes, phone, industry, source, size ON customers BEGIN
                \(mark("new.id"))
                \(mark("old.id"))
            END;
            \(refresh(where: "true"))
            """
    )
}
