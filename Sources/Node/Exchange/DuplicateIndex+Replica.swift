import GRDB
import Model

extension DuplicateIndex {
    /// The index of every customer in the replica, archived ones too, read from the plain
    /// tables (docs/SCHEMA.md).
    static func load(_ db: Database) throws -> DuplicateIndex {
        var customers: [String: Identity] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, phone, email FROM customers") {
            let id: String = row["id"]
            let phone: String = row["phone"] ?? ""
            let email: String = row["email"] ?? ""
            customers[id] = Identity(
                name: foldName(row["name"] ?? ""),
                digits: Set([PhoneDigits.of(phone)].filter { !$0.isEmpty }),
                // Stored addresses are normalised already (``FieldRule/email``): only case is folded.
                emails: Set([email].filter { !$0.isEmpty }.map { $0.lowercased() }),
                label: "customer \(id)"
            )
        }
        let phones = try Row.fetchAll(
            db,
            sql: "SELECT c.customer_id, p.number FROM contact_phones p JOIN folder_contacts c ON c.id = p.contact_id"
        )
        for row in phones {
            let digits = PhoneDigits.of(row["number"] ?? "")
            if !digits.isEmpty { customers[row["customer_id"] as String]?.digits.insert(digits) }
        }
        let emails = try Row.fetchAll(
            db,
            sql: "SELECT c.customer_id, e.email FROM contact_emails e JOIN folder_contacts c ON c.id = e.contact_id"
        )
        for row in emails {
            customers[row["customer_id"] as String]?.emails.insert((row["email"] as String? ?? "").lowercased())
        }
        var index = DuplicateIndex()
        for identity in customers.values.sorted(by: { $0.label < $1.label }) { index.insert(identity) }
        return index
    }
}
