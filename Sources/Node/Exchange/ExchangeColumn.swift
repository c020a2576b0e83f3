/// The columns of the CSV form, in the order an export writes them.
///
/// Each row is one contact with its customer's columns repeated; a customer without contacts
/// is one row whose contact columns are empty. `categories`, `contact_phones` and
/// `contact_emails` hold several elements (``ListField``). An import reads a header that
/// names any of these columns in any order (`name` at least); it refuses any other.
public enum ExchangeColumn: String, Sendable, CaseIterable {
    case customerID = "customer_id"
    case name
    case categories
    case phone
    case email
    case address
    case website
    case notes
    case archived
    case industry
    case source
    case size
    case contactID = "contact_id"
    case contactName = "contact_name"
    case salutation
    case title
    case contactPhones = "contact_phones"
    case contactEmails = "contact_emails"
    case contactAddress = "contact_address"
    case contactNotes = "contact_notes"

    /// The columns that describe the contact of a row (all empty: the row has none).
    public static let contactColumns: [ExchangeColumn] = [
        .contactName, .salutation, .title, .contactPhones, .contactEmails, .contactAddress, .contactNotes,
    ]

    /// The columns that describe the customer: equal on every row of one customer.
    public static let customerColumns: [ExchangeColumn] = [
        .name, .categories, .phone, .email, .address, .website, .notes, .archived, .industry, .source, .size,
    ]
}
