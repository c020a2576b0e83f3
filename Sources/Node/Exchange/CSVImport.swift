import CSV
import Foundation
import Model

/// Reads an import file in the CSV form (``ExchangeColumn``) into customers, each row with
/// the line where its record begins.
///
/// Guarantees: quotes, embedded line breaks, CR LF and a UTF-8 byte-order mark are read as
/// RFC 4180 and spreadsheets write them (CSV.swift, after ``CSVQuoteScanner`` has checked the
/// quoting); the header is line 1; a record that spans several lines is reported at the line
/// where it begins. Rows whose `customer_id` is the same are one customer (its customer
/// columns must be equal on each); a row without one is a customer of its own. Blank rows are
/// ignored. File-level faults throw ``ExchangeError``; bad rows go to
/// ``ImportSource/problems``.
public enum CSVImport {
    public static func read(_ url: URL) throws -> ImportSource {
        var scanner = CSVQuoteScanner()
        try ImportFile.forEachChunk(url) { scanner.scan($0) }
        if let problem = scanner.finish() {
            throw ExchangeError(.malformed, "\(url.path) is not valid CSV: \(problem)")
        }
        guard let stream = InputStream(url: url) else {
            throw ExchangeError(.fileUnreadable, "cannot read \(url.path)")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream)
        } catch {
            throw ExchangeError(.fileUnreadable, "cannot read \(url.path)")
        }
        var builder: CSVRowGrouper?
        var line = 1
        while let fields = reader.next() {
            let start = line
            line += 1 + fields.reduce(0) { $0 + lineBreaks(in: $1) }
            if builder == nil {
                builder = try CSVRowGrouper(header: fields)
            } else {
                builder?.add(fields, line: start)
            }
        }
        switch reader.error {
        case CSVError.unicodeDecoding?:
            throw ExchangeError(.fileUnreadable, "\(url.path) is not UTF-8 text (line \(line))")
        case CSVError.streamErrorHasOccurred(let error)?:
            throw ExchangeError(.fileUnreadable, FileProblem.sentence(error, .read, url.path))
        default:
            // On Linux a file stream has "bytes available" at its end, and CSV.swift reports
            // the empty read that follows as `cannotReadFile`: the end of the file, not a fault.
            break
        }
        guard let builder else {
            throw ExchangeError(.malformed, "\(url.path) is empty: a CSV import starts with a header row")
        }
        return builder.source
    }

    /// The line breaks inside a field: CR LF, LF and a lone CR each count once.
    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var lastWasCR = false
        for byte in field.utf8 {
            if byte == 0x0D || (byte == 0x0A && !lastWasCR) { count += 1 }
            lastWasCR = byte == 0x0D
        }
        return count
    }
}
