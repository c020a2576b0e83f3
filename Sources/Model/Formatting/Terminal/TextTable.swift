/// A table for a terminal: a header and rows of cells, laid out in columns measured by
/// ``DisplayWidth``, within a width.
///
/// Guarantees of ``lines(width:)``:
/// - every cell is on one line and safe to print (``TerminalText/oneLine(_:)``);
/// - every cell but a row's last is padded, so that columns line up by display width; no line
///   ends in spaces;
/// - when the natural layout is wider than `width`, the widest cells of columns not marked
///   `whole` are cut with `…` until the table fits, never below ``minimumColumnWidth`` (or the
///   column's header); columns marked `whole` (ids a user copies) are never cut, so a table of
///   long ids alone may still be wider than `width`.
///
/// ```swift
/// let table = TextTable(["ID", "NAME"], [[id, name]], whole: [0])
/// for line in table.lines(width: 80) { print(line) }
/// ```
public struct TextTable: Sendable {
    /// Columns are separated by this many spaces.
    public static let gap = 2
    /// A column that is cut keeps at least this many columns.
    public static let minimumColumnWidth = 8

    public let header: [String]
    public let rows: [[String]]
    /// Indexes of the columns that are never cut.
    public let whole: Set<Int>
    /// Indexes of the columns aligned to the right (amounts), never cut.
    public let right: Set<Int>

    public init(_ header: [String], _ rows: [[String]], whole: Set<Int> = [], right: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.whole = whole.union(right)
        self.right = right
    }

    /// The table's lines, header first, within `width` columns where the `whole` columns allow.
    public func lines(width: Int) -> [String] {
        let count = header.count
        let cells = ([header] + rows).map { row in
            (0..<count).map { index in index < row.count ? TerminalText.oneLine(row[index]) : "" }
        }
        let widths = columnWidths(cells, limit: width)
        return cells.map { row in
            row.enumerated().map { index, cell in
                let fitted = TerminalText.truncated(cell, toWidth: widths[index])
                if right.contains(index) {
                    return String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(fitted))) + fitted
                }
                return index == count - 1 ? fitted : TerminalText.padded(fitted, toWidth: widths[index])
            }
            .joined(separator: String(repeating: " ", count: Self.gap))
        }
        .map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    /// Each column's width: its widest cell, then the widest cuttable columns narrowed one
    /// column at a time until the whole fits `limit`.
    func columnWidths(_ cells: [[String]], limit: Int) -> [Int] {
        var widths = Array(repeating: 0, count: header.count)
        for row in cells {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        let floors = header.indices.map { index in
            whole.contains(index)
                ? widths[index] : min(widths[index], max(Self.minimumColumnWidth, DisplayWidth.of(header[index])))
        }
        var total = widths.reduce(0, +) + Self.gap * max(0, header.count - 1)
        while total > limit {
            let candidates = header.indices.filter { widths[$0] > floors[$0] }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            let secondWidest = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? floors[widest]
            let step = max(1, min(total - limit, widths[widest] - max(secondWidest, floors[widest])))
            widths[widest] -= step
            total -= step
        }
        return widths
    }
}
