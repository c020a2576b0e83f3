import GRDB

extension LocalWriter {
    /// Runs a read-only query inside this writer's transaction: it sees the replica as the
    /// transaction has left it so far (this transaction's writes included), and cannot write
    /// (GRDB's `readOnly`: a write throws). For a check that must hold when the writes commit,
    /// such as an import's duplicate rule.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try db.readOnly { try body(db) }
    }
}
