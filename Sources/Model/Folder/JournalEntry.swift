import Foundation

/// One line of the folder's diary: a call, a letter, a visit, a quote, a complaint.
///
/// Journal entries are immutable once written: a correction is a new entry whose
/// ``corrects`` names the entry it replaces. Replicas merge journals by union.
public struct JournalEntry: Identifiable, Sendable, Codable, Equatable {
    public var id: EntityID
    public var customerID: EntityID
    public var at: Date
    public var kind: JournalKind
    public var parties: String
    public var notes: String
    /// The node (or person) that wrote the entry.
    public var author: String
    /// The entry this one corrects, if any.
    public var corrects: EntityID?

    public init(
        id: EntityID,
        customerID: EntityID,
        at: Date,
        kind: JournalKind,
        parties: String = "",
        notes: String,
        author: String,
        corrects: EntityID? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.at = at
        self.kind = kind
        self.parties = parties
        self.notes = notes
        self.author = author
        self.corrects = corrects
    }
}
