/// What a journal entry records. The text form is what `nodectl journal add --kind` takes.
public enum JournalKind: String, CaseIterable, Sendable, Codable, Hashable {
    case call
    case salesCall = "sales-call"
    case letter
    case email
    case meeting
    case visit
    case tradeShow = "trade-show"
    case collection
    case quote
    case complaint
    case commendation
    case note

    /// Parses the text form, ignoring case and surrounding spaces; `_` may stand for `-`.
    public init(parsing text: String) throws(ModelError) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        guard let kind = JournalKind(rawValue: key) else {
            let known = JournalKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ModelError(.unknownJournalKind, "unknown journal kind '\(text)' (known: \(known))")
        }
        self = kind
    }
}
