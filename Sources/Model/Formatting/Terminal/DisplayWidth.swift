/// How many terminal columns text takes: the measure by which tables are aligned and notes
/// wrapped.
///
/// Text is measured one grapheme cluster (a `Character`) at a time, as a terminal draws it:
/// - an emoji shown as an emoji (Emoji_Presentation, or any emoji followed by U+FE0F,
///   including flags and ZWJ sequences, which count once) takes 2;
/// - an East Asian Wide or Fullwidth character (CJK ideographs, kana, Hangul, fullwidth
///   forms) takes 2;
/// - a cluster that starts with a combining mark (Mn, Me), a format character (Cf) or a
///   control takes 0, and marks that follow a base never add to it;
/// - anything else takes 1.
///
/// Controls count 0 because human output never prints them raw: ``TerminalText/escaped(_:)``
/// turns them into visible text first, which is then measured.
public enum DisplayWidth {
    /// The columns `text` takes.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The columns one grapheme cluster takes: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII, scalars.count == 1 { return first.value >= 0x20 && first.value < 0x7F ? 1 : 0 }
        if isShownAsEmoji(scalars) { return 2 }
        return of(first)
    }

    /// The columns one scalar takes on its own: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator: return 0
        default: break
        }
        // Hangul vowels and final consonants join the syllable their initial starts.
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        if scalar.properties.isEmojiPresentation || isWide(value) { return 2 }
        return 1
    }

    /// Whether a cluster is drawn as an emoji (two columns).
    private static func isShownAsEmoji(_ scalars: Character.UnicodeScalarView) -> Bool {
        var sawEmoji = false
        for scalar in scalars {
            if scalar.properties.isEmojiPresentation { return true }
            if scalar.properties.isEmoji { sawEmoji = true }
            if scalar.value == 0xFE0F, sawEmoji { return true }
        }
        return false
    }

    /// East Asian Wide (W) and Fullwidth (F) code points that are not emoji, as Unicode's
    /// EastAsianWidth.txt lists them (grouped by block; the stdlib does not expose the property).
    static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        for range in wideRanges where range.contains(value) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x2329...0x232A,  // angle brackets
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed, compatibility
        0x3041...0x33FF,
        0x3400...0x4DBF,  // CJK Extension A
        0x4E00...0x9FFF,  // CJK Unified Ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul Jamo Extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth forms
        0xFFE0...0xFFE6,  // fullwidth signs
        0x16FE0...0x16FE4,  // ideographic symbols
        0x17000...0x18CFF,  // Tangut, Khitan
        0x1AFF0...0x1B2FF,  // Kana extended, supplement, Nushu
        0x1F200...0x1F2FF,  // enclosed ideographic supplement
        0x20000...0x2FFFD,  // CJK Extensions B–F, compatibility supplement
        0x30000...0x3FFFD,  // CJK Extensions G–H
    ]
}
