import Model

/// Which customers' folders a laptop holds (``EntityKind/assignment``): records an office
/// makes (`nodectl assign` / `unassign`), and the one a laptop makes for a customer it creates.
///
/// A record names one laptop, up to 1,000 customers and an action, `assign` or `unassign`.
/// For a laptop and a customer the latest record decides — by its `at`, then its id, so every
/// node reads the same answer from the same records, however they arrived. Records, not a
/// register: two offices assigning and unassigning one customer while apart is no conflict for
/// a person to settle; the later decision stands, and both stay in the history.
extension FolderSchema {
    /// The actions of an assignment record.
    public static let assignmentActions = ["assign", "unassign"]

    static let assignment = KindDeclaration(
        .assignment,
        table: "assignment_records",
        shape: .record([
            .init("node", column: "node", .node),
            .init("nodeName", column: "node_name"),
            .init("customers", column: "customers", .list(.references)),
            .init("action", column: "action", .choice(assignmentActions)),
            .init("at", column: "at"),
            .init("madeBy", column: "made_by"),
        ]),
        migrations: [
            .init(
                "kind assignment: table",
                sql: """
                    CREATE TABLE assignment_records (
                        id TEXT PRIMARY KEY,
                        node TEXT NOT NULL,
                        node_name TEXT NOT NULL,
                        customers TEXT NOT NULL,
                        action TEXT NOT NULL,
                        at TEXT NOT NULL,
                        made_by TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE assignment_entries (
                        node TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        action TEXT NOT NULL,
                        at TEXT NOT NULL,
                        PRIMARY KEY (node, customer_id, record_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX assignment_entries_by_customer ON assignment_entries(customer_id);
                    CREATE TRIGGER assignment_records_entries_insert AFTER INSERT ON assignment_records BEGIN
                        INSERT OR IGNORE INTO assignment_entries (node, customer_id, record_id, action, at)
                        SELECT new.node, value, new.id, new.action, new.at FROM json_each(new.customers);
                    END;
                    CREATE TRIGGER assignment_records_entries_delete AFTER DELETE ON assignment_records BEGIN
                        DELETE FROM assignment_entries WHERE record_id = old.id;
                    END;
                    CREATE VIEW assignments AS
                        SELECT e.node, e.customer_id, e.record_id, e.at FROM assignment_entries e
                        WHERE e.action = 'assign' AND NOT EXISTS (
                            SELECT 1 FROM assignment_entries l
                            WHERE l.node = e.node AND l.customer_id = e.customer_id
                              AND (l.at > e.at OR (l.at = e.at AND l.record_id > e.record_id))
                        );
                    """
            )
        ]
    )
}
