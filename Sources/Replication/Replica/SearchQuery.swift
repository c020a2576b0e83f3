import Model

/// What `customer list --search TEXT` looks for, as FTS5 queries that no text can break.
///
/// The text is folded as the index is (``SearchFolding``) and split at white space; each piece
/// with a letter or digit becomes one FTS5 string, quoted (a `"` inside doubled) and matched
/// as a prefix: every piece must begin a word of the customer's folder, in any order. Pieces
/// with neither (`*`, `-`, `"`) are dropped. FTS5 syntax in the text (`AND`, `NEAR(`, `col:`,
/// `^`) is only ever text inside a quoted string: it cannot make a query fail.
///
/// A text that looks like a phone number also matches by digits: each of
/// ``PhoneDigits/queryForms(_:)`` as a substring of a stored number's digits.
///
/// ```swift
/// SearchQuery("MÜLLER gmb").words   // "\"muller\"* \"gmb\"*"
/// SearchQuery("555 123").digits     // ["\"555123\""]
/// ```
struct SearchQuery: Equatable {
    /// The FTS5 query over `customer_search_words`; `nil` when the text has no word.
    let words: String?
    /// The FTS5 queries over `customer_search_digits`, one per digit form (any may match).
    let digits: [String]

    init(_ text: String) {
        let pieces = SearchFolding.fold(text).split(whereSeparator: \.isWhitespace)
            .filter { $0.contains { $0.isLetter || $0.isNumber } }
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }
        words = pieces.isEmpty ? nil : pieces.joined(separator: " ")
        digits = PhoneDigits.queryForms(text).map { "\"\($0)\"" }
    }

    /// Whether nothing can match: the text held no word and no phone number.
    var matchesNothing: Bool { words == nil && digits.isEmpty }
}
