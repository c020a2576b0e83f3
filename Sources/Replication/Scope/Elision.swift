import Foundation
import GRDB
import Model

/// What a laptop was told it will not receive: ranges of an origin's changes that belong to
/// folders not assigned to it (docs/PROTOCOL.md, "Laptops hold only their customers").
///
/// An office streaming to a laptop sends, in place of each run of an origin's changes outside
/// the laptop's scope, one *elision*: a change of the reserved kind ``kind`` (code 255, never
/// a kind of the schema) whose `seq` is the run's last and whose value is the run's length.
/// The laptop's log stays contiguous per origin — its version vector moves past the run — and
/// it records the run in `elided_changes`. Guarantees:
///
/// - A node never sends a change it elided: streaming to any peer, each origin stops before its
///   first elided number the peer lacks (``Replica/nextBatch(after:maxChanges:maxBytes:scope:)``).
///   So a laptop's vector, which counts elided numbers as held, never makes another node skip
///   changes it lacks: those come from the offices, which hold everything.
/// - An elided change that arrives later (its folder was assigned: the office sends the
///   folder's history below the laptop's vector) fills its place in the log; nothing else
///   below the vector is taken.
/// - Only a laptop takes elisions; an office ignores them (its log would claim changes it does
///   not hold), and the changes after one wait as out of order until they fit.
enum Elision {
    /// The reserved kind of an elision; not a kind of any schema.
    static let kind = EntityKind(code: 255, name: "elision")
    /// The id every elision names.
    static let entityID = EntityID(high: 0, low: 0)
    /// The longest run one elision covers.
    static let maximumRun: UInt64 = 1 << 40

    /// An elision of `count` changes of `origin` ending at `last`.
    static func change(origin: NodeID, last: UInt64, count: UInt64) -> Change {
        Change(
            origin: origin,
            seq: last,
            time: HybridTime(packed: 0),
            entity: kind,
            entityID: entityID,
            field: "",
            operation: .record,
            value: String(count),
            predecessors: []
        )
    }

    /// The run an elision covers, `first...last`; `nil` when it is not a well-formed elision.
    static func run(of change: Change) -> ClosedRange<UInt64>? {
        guard change.entity == kind, change.entityID == entityID, change.field.isEmpty, change.predecessors.isEmpty,
            let text = change.value, let count = UInt64(text), String(count) == text, count >= 1,
            count <= maximumRun, count <= change.seq
        else { return nil }
        return (change.seq - count + 1)...change.seq
    }

    /// The migration that adds the scope's bookkeeping.
    static let migration = "v13: scoped laptops"
    static let sql = """
        CREATE TABLE elided_changes (
            origin INTEGER NOT NULL REFERENCES origins(id),
            first_seq INTEGER NOT NULL CHECK (first_seq > 0),
            last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
            PRIMARY KEY (origin, first_seq)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX elided_changes_by_last ON elided_changes(origin, last_seq);
        CREATE TABLE scope_customers (
            customer_id TEXT PRIMARY KEY,
            since TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE scope_complete (
            node_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL CHECK (seq > 0)
        ) STRICT, WITHOUT ROWID;
        """

    /// Records that `run` of origin row `origin` is elided: the run just before it grows, or a
    /// new run starts.
    static func record(_ db: Database, origin: Int64, run: ClosedRange<UInt64>) throws {
        try db.execute(
            sql: "UPDATE elided_changes SET last_seq = ? WHERE origin = ? AND last_seq = ?",
            arguments: [Int64(run.upperBound), origin, Int64(run.lowerBound) - 1]
        )
        guard db.changesCount == 0 else { return }
        try db.execute(
            sql: "INSERT INTO elided_changes (origin, first_seq, last_seq) VALUES (?, ?, ?)",
            arguments: [origin, Int64(run.lowerBound), Int64(run.upperBound)]
        )
    }

    /// Takes `seq` out of the elided run of origin row `origin` that holds it; `false` when no
    /// run holds it.
    static func fill(_ db: Database, origin: Int64, seq: UInt64) throws -> Bool {
        guard let number = Int64(exactly: seq),
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT first_seq, last_seq FROM elided_changes
                        WHERE origin = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1
                        """
                ),
                arguments: [origin, number]
            )
        else { return false }
        let first: Int64 = row["first_seq"]
        let last: Int64 = row["last_seq"]
        guard number <= last else { return false }
        try db.execute(
            sql: "DELETE FROM elided_changes WHERE origin = ? AND first_seq = ?",
            arguments: [origin, first]
        )
        if first < number {
            try db.execute(
                sql: "INSERT INTO elided_changes (origin, first_seq, last_seq) VALUES (?, ?, ?)",
                arguments: [origin, first, number - 1]
            )
        }
        if number < last {
            try db.execute(
                sql: "INSERT INTO elided_changes (origin, first_seq, last_seq) VALUES (?, ?, ?)",
                arguments: [origin, number + 1, last]
            )
        }
        return true
    }

    /// The first number of origin row `origin` above `known` that this replica elided, or
    /// `nil`: a stream to a peer holding `known` stops before it. Runs never overlap, so the
    /// run ending first after `known` is the one.
    static func firstElided(_ db: Database, origin: Int64, above known: UInt64) throws -> UInt64? {
        guard let known = Int64(exactly: known) else { return nil }
        return try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT max(first_seq, ? + 1) FROM elided_changes WHERE origin = ? AND last_seq > ?
                    ORDER BY last_seq LIMIT 1
                    """
            ),
            arguments: [known, origin, known]
        ).map { UInt64($0) }
    }
}

extension Change {
    /// Whether this is an elision (``Elision``): a placeholder for a run of changes of folders
    /// the receiving laptop does not hold.
    public var isElision: Bool { entity == Elision.kind }
}

extension ChangeBatch {
    /// The batch without its elisions: what a laptop takes from a peer that is not an office
    /// (only an office's grant is the fleet's word on what a laptop may skip).
    public var withoutElisions: ChangeBatch {
        var batch = self
        batch.changes.removeAll(where: \.isElision)
        return batch
    }
}
