/// Formats a person's name as Nextsoft shows it.
///
/// A name typed all upper or all lower case is re-cased: `JOHN SMITH` → `John Smith`,
/// `mary-kate o'neill` → `Mary-Kate O'Neill`, `ronald mcdonald` → `Ronald McDonald`,
/// `ludwig van beethoven` → `Ludwig van Beethoven` (particles such as `van`, `der`, `de`, `la`,
/// `di`, `du` stay lower case between other words and are capitalised when they start the
/// name), `j. r. r. tolkien` → `J. R. R. Tolkien`. Suffixes at the end are written one way:
/// `Jr.`, `Sr.`, `II`, `III`, `IV`, `PhD`, `MD`, `Esq.`. A name typed in mixed case
/// (`DeShawn`, `McKenzie`, `da Silva`) keeps its letters' case: only spacing and suffixes are
/// formatted. Names in scripts without case (`山田 太郎`) keep their letters as typed.
///
/// Guarantees: ``FormattedText/raw`` is the input. The formatted form differs from the input
/// only in letter case, whitespace (trimmed, runs collapsed to one space) and the dots of
/// recognised suffixes. A text is not recognised, and kept as typed, when it is empty, has no
/// letter, holds a digit, an emoji or another symbol that is not part of a name, or is longer
/// than 500 characters.
public enum PersonNameFormatter {
    /// Formats `text` as a person's name.
    public static func format(_ text: String) -> FormattedText {
        guard NameText.isShortEnough(text), let formatted = formatted(words: NameText.words(text)[...]) else {
            return .unrecognised(text)
        }
        return FormattedText(raw: text, formatted: formatted, isRecognised: true)
    }

    /// Marks that may appear in a name besides letters and whitespace.
    static let punctuation: Set<Character> = [
        ".", ",", "-", "\u{2010}", "\u{2011}", "\u{2013}", "'", "\u{2019}", "\u{2018}", "`", "(", ")", "\"",
        "\u{201C}", "\u{201D}", "&",
    ]

    /// The formatted form of the name made of `words` (none empty, none holding whitespace),
    /// or nil when they are not a name.
    static func formatted(words: ArraySlice<Substring>) -> String? {
        guard !words.isEmpty,
            words.allSatisfy({ $0.allSatisfy { ($0.isLetter || punctuation.contains($0)) && !NameText.isEmoji($0) } }),
            words.contains(where: { $0.contains(where: \.isLetter) })
        else { return nil }

        var nameEnd = words.endIndex
        var suffixes: [String] = []
        while nameEnd - 1 > words.startIndex, let suffix = NameTables.suffix(words[nameEnd - 1]) {
            suffixes.insert(suffix, at: 0)
            nameEnd -= 1
        }
        let nameWords = words[..<nameEnd]
        guard NameText.typedCase(of: nameWords).isSingleCase else {
            return (nameWords.map(String.init) + suffixes).joined(separator: " ")
        }
        let recased = nameWords.indices.map { index in
            let word = nameWords[index]
            let isInner = index > nameWords.startIndex && index < nameWords.endIndex - 1
            let lower = word.lowercased()
            if isInner && (NameTables.particles.contains(lower) || NameTables.connectors.contains(lower)) {
                return lower
            }
            return NameWord.recased(word)
        }
        return (recased + suffixes).joined(separator: " ")
    }
}
