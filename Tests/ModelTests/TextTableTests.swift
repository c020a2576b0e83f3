import Model
import Testing

/// Tables aligned by display width and fitted to a width, ids never cut.
@Suite("Text tables")
struct TextTableTests {
    @Test func columnsLineUpByDisplayWidth() {
        let table = TextTable(
            ["NAME", "CITY"],
            [["Acme", "Springfield"], ["株式会社", "東京"], ["😀 smile", "Zürich"], ["e\u{301}clair", "Paris"]]
        )
        let lines = table.lines(width: 80)
        let cityColumns = lines.dropFirst().map { line in
            DisplayWidth.of(line.prefix(while: { !["S", "東", "Z", "P"].contains($0) }))
        }
        #expect(Set(cityColumns) == [10], "\(lines)")
        #expect(lines[0] == "NAME      CITY")
    }

    @Test func wideTablesAreCutToTheWidthButWholeColumnsStay() {
        let id = "01a2379b-51d1-7000-824d-31054e8b1893"
        let note = String(repeating: "long note ", count: 12_000)
        let lines = TextTable(["ID", "KIND", "NOTES"], [[id, "call", note], [id, "note", "short"]], whole: [0])
            .lines(width: 80)
        for line in lines { #expect(DisplayWidth.of(line) <= 80) }
        #expect(lines[1].hasPrefix(id + "  call  long note"))
        #expect(lines[1].hasSuffix("…"))
        #expect(lines[2].hasSuffix("short"))
    }

    @Test func cuttableColumnsKeepAMinimum() {
        let lines = TextTable(["A", "B"], [[String(repeating: "a", count: 100), String(repeating: "b", count: 100)]])
            .lines(width: 10)
        #expect(lines[1] == "aaaaaaa…  bbbbbbb…")
    }

    @Test func noLineEndsInSpaces() {
        let lines = TextTable(["NAME", "PHONE"], [["Acme", ""], ["株式会社", "555"]]).lines(width: 80)
        #expect(lines == ["NAME      PHONE", "Acme", "株式会社  555"])
    }

    @Test func cellsAreEscapedAndOnOneLine() {
        let lines = TextTable(["NAME"], [["evil\u{1B}[2J\u{202E}txt\nnext"]]).lines(width: 80)
        #expect(lines == ["NAME", "evil\\e[2J\\u{202E}txt / next"])
    }
}
