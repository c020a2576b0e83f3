/// One customer with its contacts, as an export writes it and an import reads it.
///
/// The JSON form is an array of these objects (an export writes the keys in alphabetical
/// order, one customer per line); keys absent on import read as empty:
///
/// ```json
/// [{"address": "1 Main St\nSpringfield", "archived": false, "categories": ["retail"],
///   "contacts": [{"address": "", "emails": [{"email": "jane@acme.example", "label": ""}],
///                 "id": "0193a5c5-…", "name": "Jane Roe", "notes": "",
///                 "phones": [{"label": "mobile", "number": "555 9876"}],
///                 "salutation": "Ms.", "title": "Buyer"}],
///   "email": "info@acme.example", "id": "0193a5c4-…", "name": "Acme Ltd", "notes": "",
///   "phone": "555 1234", "website": ""}]
/// ```
///
/// Ids are the exporting node's; an import makes new ones.
public struct ExchangeCustomer: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var categories: [String]
    public var phone: String
    public var email: String
    public var address: String
    public var website: String
    public var notes: String
    public var archived: Bool
    /// Demographics (`industry`, `source`, `size`).
    public var industry: String
    public var source: String
    public var size: String
    public var contacts: [ExchangeContact]

    public init(
        id: String = "",
        name: String,
        categories: [String] = [],
        phone: String = "",
        email: String = "",
        address: String = "",
        website: String = "",
        notes: String = "",
        archived: Bool = false,
        industry: String = "",
        source: String = "",
        size: String = "",
        contacts: [ExchangeContact] = []
    ) {
        self.id = id
        self.name = name
        self.categories = categories
        self.phone = phone
        self.email = email
        self.address = address
        self.website = website
        self.notes = notes
        self.archived = archived
        self.industry = industry
        self.source = source
        self.size = size
        self.contacts = contacts
    }

    enum CodingKeys: String, CodingKey {
        case id, name, categories, phone, email, address, website, notes, archived, industry, source, size, contacts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        phone = try c.decodeIfPresent(String.self, forKey: .phone) ?? ""
        email = try c.decodeIfPresent(String.self, forKey: .email) ?? ""
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
        website = try c.decodeIfPresent(String.self, forKey: .website) ?? ""
        notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
        archived = try c.decodeIfPresent(Bool.self, forKey: .archived) ?? false
        industry = try c.decodeIfPresent(String.self, forKey: .industry) ?? ""
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        size = try c.decodeIfPresent(String.self, forKey: .size) ?? ""
        contacts = try c.decodeIfPresent([ExchangeContact].self, forKey: .contacts) ?? []
    }
}

/// A contact of an ``ExchangeCustomer``: phones and e-mails as label and value (an empty
/// label when there is none).
public struct ExchangeContact: Sendable, Equatable, Codable {
    /// A phone: `{"label": "mobile", "number": "555 1234"}`.
    public struct Phone: Sendable, Equatable, Codable {
        public var label: String
        public var number: String
        public init(label: String = "", number: String) {
            self.label = label
            self.number = number
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            label = try c.decodeIfPresent(String.self, forKey: .label) ?? ""
            number = try c.decode(String.self, forKey: .number)
        }

        enum CodingKeys: String, CodingKey { case label, number }
    }

    /// An e-mail address: `{"label": "work", "email": "jane@acme.example"}`.
    public struct Email: Sendable, Equatable, Codable {
        public var label: String
        public var email: String
        public init(label: String = "", email: String) {
            self.label = label
            self.email = email
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            label = try c.decodeIfPresent(String.self, forKey: .label) ?? ""
            email = try c.decode(String.self, forKey: .email)
        }

        enum CodingKeys: String, CodingKey { case label, email }
    }

    public var id: String
    public var name: String
    public var salutation: String
    public var title: String
    public var phones: [Phone]
    public var emails: [Email]
    public var address: String
    public var notes: String

    public init(
        id: String = "",
        name: String,
        salutation: String = "",
        title: String = "",
        phones: [Phone] = [],
        emails: [Email] = [],
        address: String = "",
        notes: String = ""
    ) {
        self.id = id
        self.name = name
        self.salutation = salutation
        self.title = title
        self.phones = phones
        self.emails = emails
        self.address = address
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, salutation, title, phones, emails, address, notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        salutation = try c.decodeIfPresent(String.self, forKey: .salutation) ?? ""
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        phones = try c.decodeIfPresent([Phone].self, forKey: .phones) ?? []
        emails = try c.decodeIfPresent([Email].self, forKey: .emails) ?? []
        address = try c.decodeIfPresent(String.self, forKey: .address) ?? ""
        notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
    }

    /// Each phone as the text a contact's phone set holds: `label: number`, or the number.
    public var phoneTexts: [String] { phones.map { $0.label.isEmpty ? $0.number : "\($0.label): \($0.number)" } }

    /// Each e-mail as the text a contact's e-mail set holds: `label: address`, or the address.
    public var emailTexts: [String] { emails.map { $0.label.isEmpty ? $0.email : "\($0.label): \($0.email)" } }
}
