/// What an import did, or would do with `--dry-run`.
public struct ImportReport: Sendable, Equatable {
    /// A row of the file and what became of it.
    public struct Line: Sendable, Equatable {
        /// The line where the row's record begins in the file (the CSV header is line 1; in
        /// JSON, the line where the customer's object begins).
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// Customers created.
    public var created = 0
    /// Contacts created.
    public var contacts = 0
    /// Rows skipped because their customer would duplicate one in the node or earlier in the file.
    public var skipped: [Line] = []
    /// Whether nothing was written (`--dry-run`).
    public var dryRun = false

    public init() {}
}

/// A customer read from an import file, with the lines its rows begin on.
public struct ImportItem: Sendable, Equatable {
    public var customer: ExchangeCustomer
    /// The line of each of the customer's rows (CSV) or of its object (JSON), first one first.
    public var lines: [Int]
    /// The line of each contact, in the order of `customer.contacts`.
    public var contactLines: [Int]

    public var line: Int { lines.first ?? 0 }

    public init(customer: ExchangeCustomer, lines: [Int], contactLines: [Int]) {
        self.customer = customer
        self.lines = lines
        self.contactLines = contactLines
    }
}

/// The customers of an import file and its bad rows found while reading it.
public struct ImportSource: Sendable, Equatable {
    public var items: [ImportItem] = []
    public var problems: [ImportReport.Line] = []

    public init(items: [ImportItem] = [], problems: [ImportReport.Line] = []) {
        self.items = items
        self.problems = problems
    }
}
