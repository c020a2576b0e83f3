/// Text a peer or a user wrote, made safe to print on a terminal and fitted to its columns.
///
/// Human output passes every piece of stored text through ``escaped(_:)`` (or a function here
/// that calls it), so that a name or a note cannot move the cursor, clear the screen, change
/// colours or reorder the line. JSON output never uses these: it stays exact.
public enum TerminalText {
    /// `text` with every character a terminal would act on instead of draw shown as visible
    /// text: `\n`, `\r`, `\t`, `\e` (ESC), and `\u{HEX}` for any other C0 control, DEL, C1
    /// control (CSI U+009B among them), line and paragraph separator, and bidirectional
    /// embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
    ///
    /// Everything else is kept, backslashes included, so escaping is idempotent: escaped text
    /// contains nothing that would be escaped again.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let visible: String
            switch scalar.value {
            case 0x0A: visible = "\\n"
            case 0x0D: visible = "\\r"
            case 0x09: visible = "\\t"
            case 0x1B: visible = "\\e"
            default: visible = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: visible.unicodeScalars)
        }
        return String(out)
    }

    /// Whether ``escaped(_:)`` rewrites the scalar.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: true
        case 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` on one line, for a table cell: line breaks (`\n`, `\r\n`, `\r`) become ` / `, then
    /// everything else is ``escaped(_:)``.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        let joined = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .joined(separator: " / ")
        return escaped(joined)
    }

    /// `text` cut to at most `width` columns, ending in `…` when anything was cut. Reads only
    /// as much of `text` as it keeps, so a note of megabytes costs no more than a short one.
    public static func truncated(_ text: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        var used = 0
        var end = text.startIndex
        var fitsWithEllipsis = text.startIndex
        for index in text.indices {
            let columns = DisplayWidth.of(text[index])
            if used + columns > width { return String(text[..<fitsWithEllipsis]) + "…" }
            used += columns
            end = text.index(after: index)
            if used <= width - 1 { fitsWithEllipsis = end }
        }
        return String(text[..<end])
    }

    /// `text` followed by spaces up to `width` columns (unchanged when it is wider).
    public static func padded(_ text: String, toWidth width: Int) -> String {
        let columns = DisplayWidth.of(text)
        return columns >= width ? text : text + String(repeating: " ", count: width - columns)
    }

    /// `text` as lines of at most `width` columns (at least 1): each line break of the text
    /// starts a new line, empty lines are kept, lines break between words, a word wider than
    /// `width` is split, and every line is ``escaped(_:)``.
    public static func wrapped(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lines += wrappedParagraph(escaped(String(paragraph)), width: width)
        }
        return lines
    }

    private static func wrappedParagraph(_ paragraph: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            var wordWidth = DisplayWidth.of(word)
            if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 { lines.append(line) }
            while wordWidth > width {
                let (head, rest) = split(word, atWidth: width)
                lines.append(String(head))
                word = rest
                wordWidth = DisplayWidth.of(word)
            }
            line = String(word)
            lineWidth = wordWidth
        }
        lines.append(line)
        return lines
    }

    /// The longest prefix of `word` that fits `width` columns (at least one character), and
    /// the rest.
    private static func split(_ word: Substring, atWidth width: Int) -> (Substring, Substring) {
        var used = 0
        var end = word.startIndex
        for index in word.indices {
            let columns = DisplayWidth.of(word[index])
            if used + columns > width, end > word.startIndex { break }
            used += columns
            end = word.index(after: index)
        }
        return (word[..<end], word[end...])
    }
}
