/// Why an import or export cannot run at all: the file, its format or its header (a bad row
/// is not an error of this kind: it is reported with its line in ``ImportReport``).
public struct ExchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case fileUnreadable
            case fileUnwritable
            case malformed
            case unknownColumns
            case badRows
        }
        fileprivate let value: Value
        /// The file cannot be read (missing, a folder, not UTF-8).
        public static let fileUnreadable = Code(value: .fileUnreadable)
        /// The output cannot be written.
        public static let fileUnwritable = Code(value: .fileUnwritable)
        /// The file is not CSV or JSON of the export's shape (an unterminated quote, no header).
        public static let malformed = Code(value: .malformed)
        /// The CSV header names columns the export does not have, or names one twice.
        public static let unknownColumns = Code(value: .unknownColumns)
        /// Some rows are bad; nothing was written (the rows are in ``ExchangeError/problems``).
        public static let badRows = Code(value: .badRows)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    /// The bad rows, by line, when the code is ``Code/badRows``.
    public let problems: [ImportReport.Line]

    public init(_ code: Code, _ message: String, problems: [ImportReport.Line] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String { message }

    public static func == (lhs: ExchangeError, rhs: ExchangeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
