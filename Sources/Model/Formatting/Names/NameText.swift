/// Text handling shared by the name, salutation and job-title rules: splitting into words,
/// telling which case a text was typed in, and re-casing runs of letters.
///
/// Guarantees: every function here changes letter case only; none adds, drops or reorders a
/// letter, digit or punctuation mark.
enum NameText {
    /// Texts longer than this many characters are not a name, salutation or title: they are
    /// kept as typed and flagged as not recognised.
    static let maximumLength = 500

    /// The case a text was typed in, judged on its cased letters only.
    enum TypedCase: Equatable {
        /// Every cased letter is lower case (`john smith`).
        case lower
        /// Every cased letter is upper case (`JOHN SMITH`).
        case upper
        /// Both cases occur (`John smith`, `McKenzie`, `da Silva`).
        case mixed
        /// No letter has a case (`山田 太郎`, or no letter at all).
        case caseless

        /// Whether the text was typed in one case only, so that the rules may re-case it.
        var isSingleCase: Bool { self == .lower || self == .upper }
    }

    /// The words of `text`: split on any run of whitespace (spaces, tabs, new lines, no-break
    /// spaces); none is empty.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    /// Whether `text` is short enough to be formatted (see ``maximumLength``); cheap on long input.
    static func isShortEnough(_ text: String) -> Bool {
        text.utf8.count <= maximumLength || text.count <= maximumLength
    }

    /// Whether `character` is, or is made into, an emoji (`🚀`, `1️⃣`, `👍🏽`): such text is not a
    /// name or title even where its first scalar is a digit or letter.
    static func isEmoji(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            scalar.properties.isEmojiPresentation || scalar.value == 0xFE0F || scalar.value == 0x20E3
                || (0x1F3FB...0x1F3FF).contains(scalar.value)
        }
    }

    /// The case the given words were typed in.
    static func typedCase(of words: some Sequence<Substring>) -> TypedCase {
        var hasUpper = false
        var hasLower = false
        for word in words {
            for character in word where character.isCased {
                if character.isUppercase { hasUpper = true } else if character.isLowercase { hasLower = true }
                if hasUpper && hasLower { return .mixed }
            }
        }
        if hasUpper { return .upper }
        if hasLower { return .lower }
        return .caseless
    }

    /// The case one run of text was typed in.
    static func typedCase(of text: Substring) -> TypedCase {
        typedCase(of: CollectionOfOne(text))
    }

    /// Whether `text` is written as a capitalised word: its first cased letter upper case, all
    /// others lower case (`Sales`, `It`, `B2b`).
    static func isCapitalised(_ text: Substring) -> Bool {
        guard let first = text.firstIndex(where: { $0.isCased }), text[first].isUppercase else { return false }
        let rest = typedCase(of: text[text.index(after: first)...])
        return rest == .lower || rest == .caseless
    }

    /// `run` with its first character in title case and the rest in lower case
    /// (`MCDONALD` → `Mcdonald`, `ΣΟΦΊΑ` → `Σοφία`).
    static func capitalised(_ run: Substring) -> String {
        guard let first = run.first else { return "" }
        return titlecased(first) + lowercased(run.dropFirst())
    }

    /// `run` in lower case; a Greek capital sigma that ends the run becomes the final form `ς`.
    static func lowercased(_ run: Substring) -> String {
        let lower = run.lowercased()
        guard run.count > 1, run.last == "Σ", lower.last == "σ" else { return lower }
        return String(lower.dropLast()) + "ς"
    }

    /// One character in title case. A character whose title case would be more than one letter
    /// (`ß` → `Ss`) is kept as it is, so that no letter is ever added.
    static func titlecased(_ character: Character) -> String {
        var scalars = String(character).unicodeScalars[...]
        guard let head = scalars.popFirst() else { return String(character) }
        let title = head.properties.titlecaseMapping
        guard title.unicodeScalars.count == 1 else { return String(character) }
        return title + String(String.UnicodeScalarView(scalars))
    }
}
