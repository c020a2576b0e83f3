/// Formats a salutation as Nextsoft shows it.
///
/// Known salutations are written one way whatever the case and dot they were typed with:
/// `mr`, `MR.`, `Mr` → `Mr.`; likewise `Mrs.`, `Ms.`, `Miss`, `Mx.`, `Dr.`, `Prof.`, `Rev.`,
/// `Sir`, `Dame`, `Hon.`, `Lord`, `Lady`, `Messrs.`, German `Herr`, `Frau`, French `M.`, `Mme`,
/// `Mlle`, Dutch `Dhr.`, `Mevr.`, Spanish `Sr.`, `Sra.`, `Srta.`, and the spelled-out
/// `Doctor`, `Professor`, `Reverend`, `Monsieur`, `Madame`, `Mademoiselle`. Academic ones may
/// follow another (`Prof. Dr.`, `Herr Dr.`); any may be joined by `and`, `&`, `und`, `et`, `en`
/// or `y` (`dr. and mrs.` → `Dr. and Mrs.`). A name
/// after them is formatted by ``PersonNameFormatter`` (`mr john smith` → `Mr. John Smith`).
///
/// Guarantees: ``FormattedText/raw`` is the input. The formatted form differs from the input
/// only in letter case, whitespace and the dots of the salutations. A text that does not start
/// with a known salutation, or whose rest is not a name, is not recognised and kept as typed.
public enum SalutationFormatter {
    /// Formats `text` as a salutation, possibly followed by a name.
    public static func format(_ text: String) -> FormattedText {
        let words = NameText.words(text)
        guard NameText.isShortEnough(text), let first = words.first, let opening = canonical(first, isFirst: true)
        else { return .unrecognised(text) }

        var parts = [opening]
        var index = 1
        while index < words.count {
            if academic.contains(bareKey(words[index])), let next = canonical(words[index], isFirst: false) {
                parts.append(next)
                index += 1
            } else if connectors.contains(words[index].lowercased()), index + 1 < words.count,
                let next = canonical(words[index + 1], isFirst: false)
            {
                parts += [words[index].lowercased(), next]
                index += 2
            } else {
                break
            }
        }
        if index < words.count {
            guard let name = PersonNameFormatter.formatted(words: words[index...]) else { return .unrecognised(text) }
            parts.append(name)
        }
        return FormattedText(raw: text, formatted: parts.joined(separator: " "), isRecognised: true)
    }

    /// Salutations that may follow another without a joining word (`Prof. Dr.`, `Herr Dr.`);
    /// other words there start the name (`Mrs. Hon` is Mrs. Hon).
    private static let academic: Set<String> = ["dr", "prof", "doctor", "professor"]

    /// Words joining two salutations (`Dr. and Mrs.`, `Herr und Frau`).
    private static let connectors: Set<String> = ["and", "&", "und", "et", "en", "y"]

    /// Salutations by their lower-case spelling without a dot.
    private static let salutations: [String: String] = [
        "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx.", "dr": "Dr.", "prof": "Prof.",
        "rev": "Rev.", "sir": "Sir", "dame": "Dame", "hon": "Hon.", "lord": "Lord", "lady": "Lady",
        "messrs": "Messrs.", "herr": "Herr", "frau": "Frau", "m": "M.", "mme": "Mme", "mlle": "Mlle",
        "dhr": "Dhr.", "mevr": "Mevr.", "sr": "Sr.", "sra": "Sra.", "srta": "Srta.", "doctor": "Doctor",
        "professor": "Professor", "reverend": "Reverend", "monsieur": "Monsieur", "madame": "Madame",
        "mademoiselle": "Mademoiselle",
    ]

    /// The canonical form of `word` as a salutation, or nil. The French `M.` counts only as the
    /// first word, since later it is more likely an initial.
    private static func canonical(_ word: Substring, isFirst: Bool) -> String? {
        let key = bareKey(word)
        guard isFirst || key != "m" else { return nil }
        return salutations[key]
    }

    /// `word` in lower case without one trailing dot.
    private static func bareKey(_ word: Substring) -> String {
        (word.hasSuffix(".") ? word.dropLast() : word).lowercased()
    }
}
