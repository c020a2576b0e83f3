import GRDB
import Model

extension LocalWriter {
    /// Adds a part or service to the price list; returns its id. Refused when this node's list
    /// has the part already (ignoring case): two nodes adding one part while apart both keep
    /// theirs, and the older answers to the part.
    public mutating func addItem(part: String, description: String, price: String, tax: String?, unit: String?) throws
        -> EntityID
    {
        let part = part.trimmingCharacters(in: .whitespaces)
        guard !part.isEmpty, !part.contains(where: { $0 == " " || $0 == "\t" || $0.isNewline }) else {
            throw ReplicationError(.invalidValue, "'\(part)' is not a part: one word, as W-100 or LAB")
        }
        if let existing = try String.fetchOne(
            db,
            sql: "SELECT part FROM items WHERE part = ? COLLATE NOCASE",
            arguments: [part]
        ) {
            throw ReplicationError(.invalidValue, "the price list has part '\(existing)' already (nodectl item set)")
        }
        let declaration = try declaration(.item)
        for (field, value) in [("price", price), ("tax", tax ?? "0")] {
            _ = try validated(value, for: declaration.register(field)!)
        }
        let id = ledger.newEntityID()
        try append(.item, id, "part", .assign, part, [])
        for (field, value) in [
            ("description", description), ("price", price), ("tax", tax ?? "0"), ("unit", unit ?? ""),
        ]
        where !value.isEmpty {
            try set(.item, id, field: field, to: value)
        }
        return id
    }

    /// The id of the item of `part` (as ``FinancialLookup/item(_:part:)`` finds it).
    public func item(part: String) throws -> EntityID {
        let row = try FinancialLookup.item(db, part: part)
        return EntityID(row["id"] as String)!
    }
}

extension LocalWriter {
    /// Changes a field of the item of `part` (`description`, `price`, `tax`, `unit`, `part`): a
    /// price change applies to documents made after it; issued ones keep their copied lines.
    public mutating func setItem(part: String, field: String, to value: String) throws {
        let id = try item(part: part)
        if field == "part" {
            let renamed = value.trimmingCharacters(in: .whitespaces)
            guard !renamed.isEmpty, !renamed.contains(where: { $0 == " " || $0 == "\t" || $0.isNewline }) else {
                throw ReplicationError(.invalidValue, "'\(value)' is not a part: one word, as W-100 or LAB")
            }
            if let other = try String.fetchOne(
                db,
                sql: "SELECT id FROM items WHERE part = ? COLLATE NOCASE AND id <> ?",
                arguments: [renamed, id.description]
            ) {
                throw ReplicationError(.invalidValue, "the price list has part '\(renamed)' already (item \(other))")
            }
            try set(.item, id, field: field, to: renamed)
            return
        }
        try set(.item, id, field: field, to: field == "tax" && value.isEmpty ? "0" : value)
    }
}
