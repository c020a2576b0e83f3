/// Checks the quoting of CSV bytes before the parser reads them, and finds where each record
/// begins.
///
/// CSV.swift reads an unterminated quote as a field running to the end of the file, and a
/// quote followed by other text as part of the field; neither is what a spreadsheet meant.
/// This value-type state machine follows RFC 4180 as CSV.swift does (a quote opens a quoted
/// field only at the start of a field; elsewhere it is text) and refuses both, naming the line
/// where the record begins. Feed it the bytes after any byte-order mark with ``scan(_:)``, in any chunks, then
/// ``finish()``.
///
/// Lines are counted as an editor counts them: CR LF, LF and a lone CR each end one.
struct CSVQuoteScanner {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private(set) var state = State.fieldStart
    /// The line being read (1-based).
    private(set) var line = 1
    /// The line where the current record begins.
    private(set) var recordLine = 1
    private var lastWasCR = false
    private var atRecordStart = true

    /// The problem found, if any; once set, scanning stops.
    private(set) var problem: String?

    mutating func scan(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            guard problem == nil else { return }
            step(byte)
        }
    }

    /// The problem with the whole file, if any (an unterminated quote).
    mutating func finish() -> String? {
        if problem == nil, state == .quoted {
            problem = "line \(recordLine): a quoted field is never closed (a quote is missing)"
        }
        return problem
    }

    private mutating func step(_ byte: UInt8) {
        let isCR = byte == 0x0D
        let isLF = byte == 0x0A
        let isBreak = isCR || (isLF && !lastWasCR)
        defer { lastWasCR = isCR }
        if isLF && lastWasCR && state != .quoted {
            return  // the LF of a CR LF that ended a record
        }
        if atRecordStart && !(isLF && lastWasCR) {
            recordLine = line
            atRecordStart = false
        }
        if isBreak { line += 1 }
        switch state {
        case .fieldStart, .unquoted:
            if byte == 0x22 && state == .fieldStart {
                state = .quoted
            } else if byte == 0x2C {
                state = .fieldStart
            } else if isCR || isLF {
                state = .fieldStart
                atRecordStart = true
            } else {
                state = .unquoted
            }
        case .quoted:
            if byte == 0x22 { state = .quoteInQuoted }
        case .quoteInQuoted:
            if byte == 0x22 {
                state = .quoted
            } else if byte == 0x2C {
                state = .fieldStart
            } else if isCR || isLF {
                state = .fieldStart
                atRecordStart = true
            } else {
                problem =
                    "line \(recordLine): a quoted field is followed by other text (a quote inside a quoted field must be doubled)"
            }
        }
    }
}
