import Foundation

/// How search compares text: case, accents and width folded away, in every script.
///
/// Both sides of a search go through the same folding — the text indexed and the text a user
/// types — so `MÜLLER`, `muller` and `Müller` are one word, as are `ΑΘΗΝΑ` and `Αθήνα`, or
/// `ЁЛКИН` and `Елкин`.
///
/// ```swift
/// SearchFolding.fold("MÜLLER")  // "muller"
/// SearchFolding.fold("Αθήνα")   // "αθηνα"
/// ```
///
/// Guarantees: the result depends on the text alone (no locale); folding twice gives the
/// same text as folding once.
public enum SearchFolding {
    /// The text with case, diacritics and character width folded (Unicode folding, not ASCII).
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// Case folded only (accents kept): how category names are compared.
    public static func foldCase(_ text: String) -> String {
        text.folding(options: [.caseInsensitive], locale: nil)
    }
}
