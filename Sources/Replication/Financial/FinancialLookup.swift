import GRDB
import Model

/// Finding the price list's items and the documents a user names, by id or by number.
enum FinancialLookup {
    /// The item of `part`: the exact part, else the one part that matches ignoring case. Two
    /// items of one part (added on two nodes while apart) are both kept; the older (by id)
    /// answers.
    static func item(_ db: Database, part: String) throws -> Row {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT id, part, description, price, tax, unit FROM items WHERE part = ? COLLATE NOCASE ORDER BY id"
            ),
            arguments: [part]
        )
        if let exact = rows.first(where: { ($0["part"] as String?) == part }) { return exact }
        guard let row = rows.first else {
            throw ReplicationError(.unknownID, "no item '\(part)' in the price list (nodectl item list)")
        }
        return row
    }

    /// The document of `kind` named by `reference`: its id, or its number.
    static func document(_ db: Database, _ reference: String, _ kind: EntityKind, table: String) throws -> EntityID {
        let text = reference.trimmingCharacters(in: .whitespaces)
        if let id = EntityID(text) {
            guard
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)",
                    arguments: [id.description]
                )
                    == true
            else { throw ReplicationError(.unknownID, "no \(kind.name) with id \(id)") }
            return id
        }
        let ids = try String.fetchAll(
            db,
            sql: "SELECT id FROM \(table) WHERE number = ? ORDER BY id",
            arguments: [text.uppercased()]
        )
        guard let first = ids.first, let id = EntityID(first) else {
            throw ReplicationError(.unknownID, "no \(kind.name) numbered or with id '\(reference)'")
        }
        guard ids.count == 1 else {
            throw ReplicationError(
                .invalidValue,
                "\(ids.count) \(kind.name)s carry number \(text) (a duplicate number): name one by id (\(ids.joined(separator: ", ")))"
            )
        }
        return id
    }

    /// A quote's decision, `accepted` or `declined`: the earliest recorded (by date, then id),
    /// so every node shows the same when two were made apart; `nil` while undecided.
    static func quoteDecision(_ db: Database, _ quote: EntityID) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(
                sql: "SELECT decision FROM quote_decisions WHERE quote_id = ? ORDER BY date, id LIMIT 1"
            ),
            arguments: [quote.description]
        )
    }

    static func currency(_ db: Database) throws -> CurrencyCode {
        try CurrencyCode(try String.fetchOne(db, sql: "SELECT currency FROM node WHERE id = 1") ?? "USD")
    }
}
