import GRDB
import Model

extension Replica {
    /// Customers by name (then id): those in any of `categories` (case ignored; all when
    /// empty), matching `search` (see below; all when `nil` or blank), archived ones only as
    /// `archive` says.
    ///
    /// `search` matches customer and contact names, e-mails, addresses and notes by word
    /// prefixes, ignoring case and accents in any script, and phone numbers (the customer's
    /// and its contacts') by their digits in any format (``SearchQuery``). It reads the search
    /// index (``SearchIndex``), never every row; any text is safe to pass: one that holds no
    /// word and no phone number finds nothing.
    public func customers(
        categories: [String] = [],
        search: String? = nil,
        archive: ArchiveFilter = .current
    ) throws -> [Customer] {
        let query = search.flatMap { $0.contains { !$0.isWhitespace } ? SearchQuery($0) : nil }
        if let query, query.matchesNothing { return [] }
        return try pool.read { db in
            // A customer merged into another shows as that one.
            var clauses: [String] = ["c.merged_into IS NULL"]
            var arguments: StatementArguments = []
            switch archive {
            case .current: clauses.append("c.archived IS NULL")
            case .archived: clauses.append("c.archived IS NOT NULL")
            case .all: break
            }
            if !categories.isEmpty {
                let spellings = try Replica.spellings(db, of: categories)
                guard !spellings.isEmpty else { return [] }
                clauses.append(
                    "c.id IN (SELECT customer_id FROM customer_categories WHERE category IN \(Replica.placeholders(spellings.count)))"
                )
                _ = arguments.append(contentsOf: StatementArguments(spellings))
            }
            if let query {
                var matches: [String] = []
                if let words = query.words {
                    matches.append(
                        """
                        SELECT s.customer_id FROM customer_search_words w JOIN customer_search s ON s.doc = w.rowid
                        WHERE customer_search_words MATCH ?
                        """
                    )
                    _ = arguments.append(contentsOf: [words])
                }
                for digits in query.digits {
                    matches.append(
                        """
                        SELECT s.customer_id FROM customer_search_digits d JOIN customer_search s ON s.doc = d.rowid
                        WHERE customer_search_digits MATCH ?
                        """
                    )
                    _ = arguments.append(contentsOf: [digits])
                }
                clauses.append("c.id IN (" + matches.joined(separator: " UNION ") + ")")
            }
            var sql = "SELECT * FROM customers c"
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY c.name COLLATE NOCASE, c.id"
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let categories = try Replica.categories(db, of: rows)
            return try rows.map { try Replica.customer($0, categories: categories[$0["id"] as String] ?? []) }
        }
    }

    /// The categories of the customers of `rows`, by customer id: read one by one for a short
    /// list (a search's answer), all at once for a long one.
    static func categories(_ db: Database, of rows: [Row]) throws -> [String: [String]] {
        guard rows.count <= 1_000 else { return try categoriesByCustomer(db) }
        let statement = try db.cachedStatement(
            sql: "SELECT category FROM customer_categories WHERE customer_id = ? ORDER BY category"
        )
        var result: [String: [String]] = [:]
        for row in rows {
            let id: String = row["id"]
            result[id] = try String.fetchAll(statement, arguments: [id])
        }
        return result
    }

    /// Every spelling in use of the given categories, case ignored (Unicode case folding).
    static func spellings(_ db: Database, of categories: [String]) throws -> [String] {
        let wanted = Set(categories.map(SearchFolding.foldCase))
        return try String.fetchAll(db, sql: "SELECT DISTINCT category FROM customer_categories")
            .filter { wanted.contains(SearchFolding.foldCase($0)) }
    }

    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
