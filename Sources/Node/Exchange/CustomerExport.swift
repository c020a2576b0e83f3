import Foundation
import GRDB
import Model
import Replication

/// `customer export`: every customer with its contacts, as CSV or JSON.
///
/// Guarantees: one read transaction (the file is one consistent state of the replica, also
/// while the node syncs); customers by name (case ignored), then id; contacts by name, then
/// id; phones and e-mails by label, then value; categories by name; JSON keys in alphabetical
/// order, one customer per line (the same replica exports the same bytes). Rows are read from the
/// plain tables (docs/SCHEMA.md) one customer at a time and written through ``ExchangeOutput``,
/// so memory does not grow with the replica.
public enum CustomerExport {
    /// Writes the export; returns how many customers it holds. Archived customers only when
    /// `includeArchived`.
    @discardableResult
    public static func write(
        _ replica: Replica,
        format: ExchangeFormat,
        includeArchived: Bool,
        to output: ExchangeOutput
    ) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try replica.read { db in
            var count = 0
            switch format {
            case .csv: try output.write(CSVText.record(ExchangeColumn.allCases.map(\.rawValue)))
            case .json: try output.write("[")
            }
            try forEachCustomer(db, includeArchived: includeArchived) { customer in
                switch format {
                case .csv:
                    for row in customer.rows { try output.write(CSVText.record(row)) }
                case .json:
                    try output.write(count == 0 ? "\n" : ",\n")
                    try output.write(String(decoding: try encoder.encode(customer), as: UTF8.self))
                }
                count += 1
            }
            if format == .json { try output.write("\n]\n") }
            try output.flush()
            return count
        }
    }

    /// Calls `body` with each customer in export order, read from the plain tables.
    static func forEachCustomer(
        _ db: Database,
        includeArchived: Bool,
        _ body: (ExchangeCustomer) throws -> Void
    ) throws {
        let categories = try db.cachedStatement(
            sql: "SELECT category FROM customer_categories WHERE customer_id = ? ORDER BY category"
        )
        let contacts = try db.cachedStatement(
            sql: """
                SELECT id, name, salutation, title, address, notes FROM folder_contacts
                WHERE customer_id IN (SELECT id FROM customers WHERE id = ?1 OR merged_into = ?1)
                ORDER BY name COLLATE NOCASE, id
                """
        )
        let phones = try db.cachedStatement(
            sql: "SELECT label, number FROM contact_phones WHERE contact_id = ? ORDER BY label, number"
        )
        let emails = try db.cachedStatement(
            sql: "SELECT label, email FROM contact_emails WHERE contact_id = ? ORDER BY label, email"
        )
        let customers = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, name, phone, email, address, website, notes, archived, industry, source, size FROM customers
                WHERE merged_into IS NULL \(includeArchived ? "" : "AND archived IS NULL")
                ORDER BY name COLLATE NOCASE, id
                """
        )
        while let row = try customers.next() {
            let id: String = row["id"]
            let people = try Row.fetchAll(contacts, arguments: [id]).map { contact in
                let contactID: String = contact["id"]
                return ExchangeContact(
                    id: contactID,
                    name: contact["name"] ?? "",
                    salutation: contact["salutation"] ?? "",
                    title: contact["title"] ?? "",
                    phones: try Row.fetchAll(phones, arguments: [contactID]).map {
                        ExchangeContact.Phone(label: $0["label"] ?? "", number: $0["number"] ?? "")
                    },
                    emails: try Row.fetchAll(emails, arguments: [contactID]).map {
                        ExchangeContact.Email(label: $0["label"] ?? "", email: $0["email"] ?? "")
                    },
                    address: contact["address"] ?? "",
                    notes: contact["notes"] ?? ""
                )
            }
            try body(
                ExchangeCustomer(
                    id: id,
                    name: row["name"] ?? "",
                    categories: try String.fetchAll(categories, arguments: [id]),
                    phone: row["phone"] ?? "",
                    email: row["email"] ?? "",
                    address: row["address"] ?? "",
                    website: row["website"] ?? "",
                    notes: row["notes"] ?? "",
                    archived: row["archived"] as String? == "true",
                    industry: row["industry"] ?? "",
                    source: row["source"] ?? "",
                    size: row["size"] ?? "",
                    contacts: people
                )
            )
        }
    }
}
