import GRDB
import Model

/// Document numbers without a server: every node issues its own series per kind,
/// `{PREFIX}-{KIND}-{6 digits}` (`HQ-INV-000042`), gapless and never reused.
///
/// The number is allocated in the transaction that writes the document, from the node's own
/// counter (`number_series`, local, never replicated): a refused write rolls the counter back
/// with it, so no number is skipped. Two nodes never collide while their prefixes differ — the
/// default prefix is the first group of the node id, which no other node shares unless two
/// certificates' digests agree in their first 35 bits. A number already in the replica (a
/// restored node hearing of what it issued before the backup was made) is stepped over, never
/// issued twice by one replica. Two nodes that an admin gave one prefix can still issue one
/// number: both documents are kept and the `duplicate-number` exception lists them.
public enum NumberSeries {
    static let migration = "v9: number series"
    static let sql = """
        ALTER TABLE node ADD COLUMN series_prefix TEXT;
        CREATE TABLE number_series (
            prefix TEXT NOT NULL,
            kind TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (prefix, kind)
        ) STRICT;
        """

    /// The kinds that are numbered, with the tag in their numbers.
    public static let tags: [EntityKind: String] = [
        .quote: "Q", .order: "SO", .invoice: "INV", .creditNote: "CN", .payment: "PAY", .serviceCall: "SC",
    ]

    /// The prefix a node uses when none was set: the first group of its id (`MFZWI3D`).
    public static func defaultPrefix(of node: NodeID) -> String {
        String(node.description.prefix { $0 != "-" })
    }

    /// Checks a prefix an admin sets: 1–12 letters, digits or inner dashes, stored upper-case
    /// (`HQ` and `hq-` are both `HQ`, numbering `HQ-INV-000001`).
    public static func validated(prefix: String) throws -> String {
        var text = prefix.trimmingCharacters(in: .whitespaces).uppercased()
        if text.hasSuffix("-") { text.removeLast() }
        guard (1...12).contains(text.count), text.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
            text.first != "-", text.last != "-"
        else {
            throw ReplicationError(
                .invalidValue,
                "'\(prefix)' is not a series prefix: 1 to 12 letters or digits (A-Z, 0-9), dashes only inside"
            )
        }
        return text
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte)
    }

    /// The prefix this node issues with now.
    static func prefix(_ db: Database, node: NodeID) throws -> String {
        try String.fetchOne(db, sql: "SELECT series_prefix FROM node WHERE id = 1") ?? defaultPrefix(of: node)
    }

    /// The number for a new document of `kind` (stored in `table`), allocated in this
    /// transaction.
    static func allocate(_ db: Database, node: NodeID, kind: EntityKind, table: String) throws -> String {
        guard let tag = tags[kind] else { preconditionFailure("\(kind) is not numbered") }
        let prefix = try prefix(db, node: node)
        let head = "\(prefix)-\(tag)-"
        var last =
            try Int64.fetchOne(
                db,
                sql: "SELECT last FROM number_series WHERE prefix = ? AND kind = ?",
                arguments: [prefix, tag]
            ) ?? highest(db, table: table, head: head)
        var number: String
        repeat {
            last += 1
            number = format(head, last)
        } while try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE number = ?)"),
            arguments: [number]
        ) == true
        try db.execute(
            sql: """
                INSERT INTO number_series (prefix, kind, last) VALUES (?, ?, ?)
                ON CONFLICT (prefix, kind) DO UPDATE SET last = excluded.last
                """,
            arguments: [prefix, tag, last]
        )
        return number
    }

    /// `HQ-INV-` and 42: `HQ-INV-000042` (more digits past 999,999).
    static func format(_ head: String, _ value: Int64) -> String {
        let digits = String(value)
        return head + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The highest number of this series the replica holds (0 when none): where a series a
    /// node has not used yet, or a prefix set again, goes on from.
    private static func highest(_ db: Database, table: String, head: String) throws -> Int64 {
        // Numbers of one head sort by length, then text; the index on `number` serves the range.
        let numbers = try String.fetchAll(
            db,
            sql:
                "SELECT number FROM \(table) WHERE number >= ? AND number < ? ORDER BY length(number) DESC, number DESC LIMIT 1",
            arguments: [head, head.dropLast() + "."]
        )
        return numbers.first.flatMap { Int64($0.dropFirst(head.count)) } ?? 0
    }
}
