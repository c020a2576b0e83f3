import Model

/// How each kind of thing is laid out: which fields are editable registers, which are sets,
/// and where each lands in the plain SQL tables.
///
/// The merge engine is generic over (entity, field); this catalog is the one place that knows
/// the folder's shape, so that a user's `customer set ID FIELD=VALUE` and a peer's change are
/// checked against the same list.
public enum FieldCatalog {
    /// An editable field, merged as a multi-value register (last writer wins, conflicts kept).
    public struct Register: Sendable, Hashable {
        public let field: String
        public let column: String
        /// Refuses an empty value (the name of a customer or contact).
        public let required: Bool
        public let rule: Rule
    }

    /// What a value must satisfy before it is written locally.
    public enum Rule: Sendable, Hashable {
        case text
        case email
        case entity(EntityKind)
    }

    /// A set field, merged add-wins per element, materialised in its own table.
    public struct SetField: Sendable, Hashable {
        public let field: String
        public let table: String
        public let ownerColumn: String
        /// Columns of the element table and how an element's text is split into them.
        public let shape: ElementShape
    }

    public enum ElementShape: Sendable, Hashable {
        /// One column holding the element text.
        case plain(column: String)
        /// `label: value` split into a label column and a value column.
        case labelled(labelColumn: String, valueColumn: String, rule: Rule)
    }

    public static func table(_ kind: EntityKind) -> String {
        switch kind {
        case .customer: "customers"
        case .contact: "contacts"
        case .journal: "journal_entries"
        case .document: "documents"
        }
    }

    public static func registers(_ kind: EntityKind) -> [Register] {
        switch kind {
        case .customer:
            [
                Register(field: "name", column: "name", required: true, rule: .text),
                Register(field: "notes", column: "notes", required: false, rule: .text),
                Register(field: "phone", column: "phone", required: false, rule: .text),
                Register(field: "email", column: "email", required: false, rule: .email),
                Register(field: "address", column: "address", required: false, rule: .text),
                Register(field: "website", column: "website", required: false, rule: .text),
            ]
        case .contact:
            [
                Register(field: "customer", column: "customer_id", required: true, rule: .entity(.customer)),
                Register(field: "name", column: "name", required: true, rule: .text),
                Register(field: "salutation", column: "salutation", required: false, rule: .text),
                Register(field: "title", column: "title", required: false, rule: .text),
                Register(field: "address", column: "address", required: false, rule: .text),
                Register(field: "notes", column: "notes", required: false, rule: .text),
            ]
        case .journal, .document:
            []
        }
    }

    public static func sets(_ kind: EntityKind) -> [SetField] {
        switch kind {
        case .customer:
            [
                SetField(
                    field: "categories",
                    table: "customer_categories",
                    ownerColumn: "customer_id",
                    shape: .plain(column: "category")
                )
            ]
        case .contact:
            [
                SetField(
                    field: "phones",
                    table: "contact_phones",
                    ownerColumn: "contact_id",
                    shape: .labelled(labelColumn: "label", valueColumn: "number", rule: .text)
                ),
                SetField(
                    field: "emails",
                    table: "contact_emails",
                    ownerColumn: "contact_id",
                    shape: .labelled(labelColumn: "label", valueColumn: "email", rule: .email)
                ),
            ]
        case .journal, .document:
            []
        }
    }

    public static func register(_ kind: EntityKind, _ field: String) -> Register? {
        registers(kind).first { $0.field == field }
    }

    public static func set(_ kind: EntityKind, _ field: String) -> SetField? {
        sets(kind).first { $0.field == field }
    }

    /// Whether the kind is made of immutable records (merged by union) rather than fields.
    public static func isRecord(_ kind: EntityKind) -> Bool {
        kind == .journal || kind == .document
    }

    /// The longest value of one field, in UTF-8 bytes: what a change batch may carry.
    public static let maximumValueBytes = 256 * 1024

    /// Checks a value a local user wants to write and returns the form to store: e-mail
    /// addresses normalised, everything else exactly as typed.
    static func validate(_ value: String?, rule: Rule, required: Bool, field: String) throws(ReplicationError)
        -> String?
    {
        if required, (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ReplicationError(.invalidValue, "\(field) must not be empty")
        }
        guard let value, !value.isEmpty else { return value }
        guard value.utf8.count <= maximumValueBytes else {
            throw ReplicationError(
                .invalidValue,
                "\(field) is \(value.utf8.count) bytes; a field holds at most \(maximumValueBytes) (file long texts as documents)"
            )
        }
        switch rule {
        case .text, .entity:
            return value
        case .email:
            do {
                return try EmailAddress(parsing: value).value
            } catch {
                throw ReplicationError(.invalidValue, error.message)
            }
        }
    }
}
