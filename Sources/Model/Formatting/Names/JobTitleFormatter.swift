/// Formats a job title as Nextsoft shows it.
///
/// Words are capitalised, acronyms kept in upper case and small words in lower case:
/// `vp of sales` → `VP of Sales`, `head of it` → `Head of IT`, `ceo` → `CEO`,
/// `SENIOR ACCOUNTS PAYABLE CLERK` → `Senior Accounts Payable Clerk`, `r&d manager` →
/// `R&D Manager`. In a title typed in mixed case, words typed all upper case or with inner
/// capitals (`SAP`, `iOS`, `McKinsey`) are kept as typed; the other words follow the rules.
///
/// Guarantees: ``FormattedText/raw`` is the input. The formatted form differs from the input
/// only in letter case and whitespace (trimmed, runs collapsed to one space). A text is not
/// recognised, and kept as typed, when it is empty, has no letter, holds an emoji or a symbol
/// that is not part of a title, or is longer than 500 characters.
public enum JobTitleFormatter {
    /// Formats `text` as a job title.
    public static func format(_ text: String) -> FormattedText {
        guard NameText.isShortEnough(text),
            text.allSatisfy({
                ($0.isLetter || $0.isNumber || $0.isWhitespace || punctuation.contains($0)) && !NameText.isEmoji($0)
            }),
            text.contains(where: \.isLetter)
        else { return .unrecognised(text) }
        let words = NameText.words(text)
        let recaseAll = NameText.typedCase(of: words).isSingleCase
        let formatted = words.indices.map { index in
            JobTitleWords.formatted(words[index], isFirst: index == 0, recaseAll: recaseAll)
        }
        return FormattedText(raw: text, formatted: formatted.joined(separator: " "), isRecognised: true)
    }

    /// Marks that may appear in a title besides letters, digits and whitespace.
    private static let punctuation: Set<Character> = [
        ".", ",", "-", "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}", "/", "&", "(", ")", "'", "\u{2019}",
        "\u{2018}", "+", "#", ":", ";", "\"", "\u{201C}", "\u{201D}", "|",
    ]
}
