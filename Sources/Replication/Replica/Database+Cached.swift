import GRDB

extension Database {
    /// Executes one statement, compiled once per connection and kept in its statement cache:
    /// the merge engine runs the same few statements for every change it applies.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
