import Foundation
import Model
import Node

/// Where commands write: results to stdout, diagnostics to stderr.
///
/// Human output is safe whatever a peer or a user wrote: every line goes through
/// ``TerminalText/escaped(_:)``, so no stored text can reach the terminal as a control
/// character or an escape sequence, and tables and wrapped text fit ``Terminal/width``. JSON
/// output is printed exactly.
enum Output {
    static func json(_ value: JSONValue) {
        print(value.serialized())
    }

    /// One line; any control character in it (a line break included) is shown escaped.
    static func line(_ text: String) {
        print(TerminalText.escaped(text))
    }

    /// Long text (notes) wrapped to the terminal, each line after `indent`; the text's own line
    /// breaks are kept.
    static func wrapped(_ text: String, indent: String = "") {
        let width = Terminal.textWidth - DisplayWidth.of(indent)
        for line in TerminalText.wrapped(text, width: width) { print(indent + line) }
    }

    /// One line on stderr, escaped as ``line(_:)``.
    static func diagnostic(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text) + "\n").utf8))
    }

    /// Prints rows as a table with a header, laid out by ``TextTable`` within the terminal's
    /// width; the columns in `whole` (ids to copy) are never cut. `indent` starts every line
    /// (a table inside a section), within the width.
    static func table(
        _ header: [String],
        whole: Set<Int> = [],
        right: Set<Int> = [],
        indent: String = "",
        _ rows: [[String]]
    ) {
        let table = TextTable(header, rows, whole: whole, right: right)
        for line in table.lines(width: max(20, Terminal.width - indent.count)) { print(indent + line) }
    }

    /// Writes a whole text to standard output, or (`output`) to that file, replaced at once: a
    /// file that cannot be written is one line naming it and why.
    static func write(_ text: String, to output: String?) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw UsageError("cannot write \(output): \(FileProblem.reason(error, .write, path: output))")
        }
    }
}
