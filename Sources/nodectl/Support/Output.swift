import Foundation

/// Where commands write: results to stdout, diagnostics to stderr.
enum Output {
    static func json(_ value: JSONValue) {
        print(value.serialized())
    }

    static func line(_ text: String) {
        print(text)
    }

    static func diagnostic(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints rows as a table with a header, columns padded to their widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let cells = [header] + rows.map { $0.map { $0.replacingOccurrences(of: "\n", with: " / ") } }
        var widths = Array(repeating: 0, count: header.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        for row in cells {
            let padded = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            print(padded.joined(separator: "  "))
        }
    }
}
