import Model
import Testing

/// Stored text made safe for a terminal: escaped, cut and wrapped by display width.
@Suite("Terminal text")
struct TerminalTextTests {
    @Test(
        "controls, escapes and bidi overrides are shown, not obeyed",
        arguments: [
            ("plain", "plain"), ("a\u{1B}[2Jb", "a\\e[2Jb"), ("line\nnext", "line\\nnext"), ("a\rb\tc", "a\\rb\\tc"),
            ("\u{0}\u{7}\u{7F}", "\\u{0}\\u{7}\\u{7F}"), ("\u{9B}31m", "\\u{9B}31m"), ("\u{85}", "\\u{85}"),
            ("abc\u{202E}txt.exe", "abc\\u{202E}txt.exe"), ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            ("\u{202A}\u{202B}\u{202C}\u{202D}", "\\u{202A}\\u{202B}\\u{202C}\\u{202D}"),
            ("\u{2067}\u{2068}", "\\u{2067}\\u{2068}"), ("\u{2028}\u{2029}", "\\u{2028}\\u{2029}"),
            ("C:\\path", "C:\\path"), ("漢字 😀 é", "漢字 😀 é"), ("\u{200F}שלום", "\u{200F}שלום"),
        ]
    )
    func escaping(_ text: String, _ shown: String) {
        #expect(TerminalText.escaped(text) == shown)
        #expect(TerminalText.escaped(shown) == shown, "escaping twice changes nothing")
        #expect(!TerminalText.escaped(text).unicodeScalars.contains(where: TerminalText.needsEscape))
    }

    @Test func everyControlIsEscaped() {
        for value in Array(0..<0x20) + Array(0x7F...0x9F) + [0x2028, 0x2029] + Array(0x202A...0x202E)
            + Array(0x2066...0x2069)
        {
            let text = String(Character(Unicode.Scalar(UInt32(value))!))
            #expect(TerminalText.escaped(text).hasPrefix("\\"), "U+\(String(value, radix: 16))")
        }
    }

    @Test func oneLineJoinsLineBreaks() {
        #expect(TerminalText.oneLine("123 Main St\nSpringfield") == "123 Main St / Springfield")
        #expect(TerminalText.oneLine("a\r\nb\rc") == "a / b / c")
        #expect(TerminalText.oneLine("a\u{1B}b") == "a\\eb")
    }

    @Test func truncationCountsColumnsAndEndsInAnEllipsis() {
        #expect(TerminalText.truncated("Acme Ltd", toWidth: 8) == "Acme Ltd")
        #expect(TerminalText.truncated("Acme Ltd", toWidth: 5) == "Acme…")
        #expect(TerminalText.truncated("漢字漢字", toWidth: 5) == "漢字…")
        #expect(TerminalText.truncated("漢字漢字", toWidth: 4) == "漢…")
        #expect(TerminalText.truncated("😀😀😀", toWidth: 4) == "😀…")
        #expect(TerminalText.truncated("abc", toWidth: 1) == "…")
        #expect(TerminalText.truncated("abc", toWidth: 0) == "")
        let long = String(repeating: "x", count: 120 * 1024)
        #expect(TerminalText.truncated(long, toWidth: 50).count == 50)
        for width in 1...12 {
            let cut = TerminalText.truncated("株式会社 Acme 😀 Ltd", toWidth: width)
            #expect(DisplayWidth.of(cut) <= width, "\(width): \(cut)")
        }
    }

    @Test func paddingReachesTheWidth() {
        #expect(TerminalText.padded("漢字", toWidth: 6) == "漢字  ")
        #expect(TerminalText.padded("abc", toWidth: 2) == "abc")
    }

    @Test func wrappingKeepsLinesAndWordsWithinTheWidth() {
        let text = "Dear Anna,\n\nthe quote for 1,200 units is attached; delivery in March.\n\u{1B}[2J"
        let lines = TerminalText.wrapped(text, width: 20)
        #expect(
            lines == [
                "Dear Anna,", "", "the quote for 1,200", "units is attached;", "delivery in March.", "\\e[2J",
            ]
        )
        #expect(TerminalText.wrapped("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TerminalText.wrapped("漢字漢字漢", width: 4) == ["漢字", "漢字", "漢"])
        #expect(TerminalText.wrapped("", width: 10) == [""])
        for line in TerminalText.wrapped(String(repeating: "word 語 😀 ", count: 500), width: 33) {
            #expect(DisplayWidth.of(line) <= 33)
        }
    }
}
