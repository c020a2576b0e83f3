import ArgumentParser
import Foundation
import Model
import Node

/// What every report takes: `--format table|csv|json` (`--json` is `--format json`) and
/// `--output FILE`.
struct ReportOptions: ParsableArguments {
    enum Format: String, CaseIterable {
        case table, csv, json, svg
    }

    @Option(help: "table, csv or json; svg for report sales and report top (default: table).") var format: String?
    @Flag(name: .customLong("json"), help: "The same as --format json.") var json = false
    @Option(help: "Write the report to this file instead of standard output.") var output: String?

    /// The format asked for; one clear line for an unknown one or a contradiction.
    func resolvedFormat() throws -> Format {
        guard let format else { return json ? .json : .table }
        guard let known = Format(rawValue: format.lowercased()) else {
            throw UsageError("--format is table, csv, json or svg, not '\(format)'")
        }
        if json, known != .json { throw UsageError("--json and --format \(format) disagree") }
        return known
    }

    /// Writes the report: `table` as the terminal shows it (its width when writing to a file:
    /// unlimited), `csv` with a header row (RFC 4180), `json` as `json`, `svg` as `chart` draws
    /// it (refused for a report without one).
    func emit(header: [String], right: Set<Int> = [], rows: [[String]], json: JSONValue, chart: BarChart? = nil) throws
    {
        let text: String
        switch try resolvedFormat() {
        case .svg:
            guard let chart else { throw UsageError("--format svg draws report sales and report top only") }
            text = chart.svg()
        case .json: text = json.serialized() + "\n"
        case .csv: text = ([header] + rows).map(CSVText.record).joined()
        case .table:
            let width = output == nil ? Terminal.width : Int.max / 4
            let lines = TextTable(header, rows, right: right).lines(width: width)
            text =
                output == nil
                ? lines.map(TerminalText.escaped).joined(separator: "\n") + "\n" : lines.joined(separator: "\n") + "\n"
        }
        try Output.write(text, to: output)
    }
}
