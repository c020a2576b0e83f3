import Foundation

/// A customer: the folder's front page. Contacts, journal entries and documents point at it.
///
/// `categories` is a set (add-wins when replicas merge); the other fields are editable
/// registers. Text fields hold what the user typed; their formatted forms are derived.
public struct Customer: Identifiable, Sendable, Codable, Equatable {
    public var id: EntityID
    public var name: String
    public var categories: [String]
    public var notes: String
    public var phone: String
    public var email: String
    public var address: String
    public var website: String
    /// Hidden from lists (`customer archive`); the folder stays whole.
    public var archived: Bool
    /// The payment terms its invoices take unless one names others (`2/10 net 30`); empty:
    /// `net 30`.
    public var terms: String
    /// Demographics for marketing: the customer's industry, how it found the business (`source`),
    /// and its size, as typed.
    public var industry: String
    public var source: String
    public var size: String

    public init(
        id: EntityID,
        name: String,
        categories: [String] = [],
        notes: String = "",
        phone: String = "",
        email: String = "",
        address: String = "",
        website: String = "",
        archived: Bool = false,
        terms: String = "",
        industry: String = "",
        source: String = "",
        size: String = ""
    ) {
        self.id = id
        self.name = name
        self.categories = categories
        self.notes = notes
        self.phone = phone
        self.email = email
        self.address = address
        self.website = website
        self.archived = archived
        self.terms = terms
        self.industry = industry
        self.source = source
        self.size = size
    }
}
