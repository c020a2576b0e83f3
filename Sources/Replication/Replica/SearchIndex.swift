import GRDB
import Model

/// The customer search index: derived from the plain tables, never replicated, kept true by
/// SQLite itself.
///
/// `customer_search` holds one row per customer: the folded text of its name, e-mail, address
/// and notes and of its contacts' names, e-mails, addresses and notes (`words`), and the digits
/// of its phone and its contacts' phones (`digits`, one digit string per number). Two FTS5
/// tables index it as external content: `customer_search_words` (`unicode61 remove_diacritics
/// 2`, words and digit strings, for word-prefix queries) and `customer_search_digits`
/// (`trigram`, for digit substrings of phone numbers).
///
/// Guarantees: triggers on `customers`, `contacts`, `contact_phones` and `contact_emails`
/// recompute a customer's row in the statement that changes what it is made of, and triggers on
/// `customer_search` update both FTS5 tables, so the index is never behind the plain tables,
/// whichever path wrote them (a local write, a peer's batch, a held change applied later). The
/// migration that creates it fills it from the rows a replica already has. Folding and digit
/// extraction are SQL functions of this process (``addFunctions(to:)``): a connection without
/// them cannot write the customer tables at all (it fails; it never leaves the index stale).
enum SearchIndex {
    /// Adds the functions the index's triggers call. Every connection of the replica has them.
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

    /// The statement that recomputes the `customer_search` row of the customers `condition`
    /// selects (an SQL condition on `c`, the `customers` row).
    private static func refresh(where condition: String) -> String {
        """
        INSERT INTO customer_search (customer_id, words, digits)
            SELECT c.id,
                search_words(c.name, c.email, c.address, c.notes,
                    (SELECT group_concat(search_words(k.name, k.address, k.notes), char(10))
                        FROM contacts k WHERE k.customer_id = c.id),
                    (SELECT group_concat(e.email, char(10))
                        FROM contacts k JOIN contact_emails e ON e.contact_id = k.id WHERE k.customer_id = c.id)),
                search_digits(c.phone,
                    (SELECT group_concat(p.number, char(10))
                        FROM contacts k JOIN contact_phones p ON p.contact_id = k.id WHERE k.customer_id = c.id))
            FROM customers c WHERE \(condition)
            ON CONFLICT (customer_id) DO UPDATE SET words = excluded.words, digits = excluded.digits;
        """
    }

    /// Triggers on a contact's element table (`contact_phones`, `contact_emails`): its owner's
    /// customer is recomputed.
    private static func elementTriggers(_ table: String) -> String {
        let owner = { (row: String) in "c.id = (SELECT customer_id FROM contacts WHERE id = \(row).contact_id)" }
        return """
            CREATE TRIGGER \(table)_search_insert AFTER INSERT ON \(table) BEGIN
                \(refresh(where: owner("new")))
            END;
            CREATE TRIGGER \(table)_search_delete AFTER DELETE ON \(table) BEGIN
                \(refresh(where: owner("old")))
            END;
            CREATE TRIGGER \(table)_search_update AFTER UPDATE ON \(table) BEGIN
                \(refresh(where: owner("new")))
                \(refresh(where: owner("old") + " AND old.contact_id IS NOT new.contact_id"))
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

        CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
            \(refresh(where: "c.id = new.id"))
        END;
        CREATE TRIGGER customers_search_update AFTER UPDATE OF id, name, email, address, notes, phone ON customers BEGIN
            DELETE FROM customer_search WHERE customer_id = old.id AND old.id IS NOT new.id;
            \(refresh(where: "c.id = new.id"))
        END;
        CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
            DELETE FROM customer_search WHERE customer_id = old.id;
        END;

        CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
            \(refresh(where: "c.id = new.customer_id"))
        END;
        CREATE TRIGGER contacts_search_update AFTER UPDATE OF id, customer_id, name, address, notes ON contacts BEGIN
            \(refresh(where: "c.id = new.customer_id"))
            \(refresh(where: "c.id = old.customer_id AND old.customer_id IS NOT new.customer_id"))
        END;
        CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
            \(refresh(where: "c.id = old.customer_id"))
        END;

        \(elementTriggers("contact_phones"))
        \(elementTriggers("contact_emails"))

        \(refresh(where: "true"))
        """
}
