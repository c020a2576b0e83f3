import Model
import Testing

/// Columns as a terminal draws them: CJK and emoji take two, marks and format characters none.
@Suite("Display width")
struct DisplayWidthTests {
    @Test(
        "one grapheme cluster",
        arguments: [
            ("a", 1), ("é", 1), ("e\u{301}", 1), ("ß", 1), ("Ω", 1), ("ж", 1), ("א", 1), ("م", 1),
            ("漢", 2), ("字", 2), ("あ", 2), ("カ", 2), ("한", 2), ("Ａ", 2), ("。", 2), ("ｶ", 1),
            ("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇩🇪", 2), ("❤️", 2), ("❤", 1), ("1️⃣", 2), ("⌚", 2),
            ("\u{200B}", 0), ("\u{301}", 0), ("\u{200D}", 0), ("\u{FE0F}", 0),
            ("\u{1B}", 0), ("\u{7F}", 0), ("\u{9B}", 0), ("\r\n", 0),
        ] as [(Character, Int)]
    )
    func cluster(_ character: Character, _ width: Int) {
        #expect(DisplayWidth.of(character) == width, "\(character.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringsAddTheirClusters() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("Acme Ltd") == 8)
        #expect(DisplayWidth.of("株式会社 Acme") == 13)
        #expect(DisplayWidth.of("Cafe\u{301} 😀") == 7)
        #expect(DisplayWidth.of("한국어") == 6)
        // Hangul written as conjoining jamo: one syllable, two columns.
        #expect(DisplayWidth.of("\u{1112}\u{1161}\u{11AB}") == 2)
        #expect(DisplayWidth.of("Acme Ltd".prefix(4)) == 4)
    }
}
