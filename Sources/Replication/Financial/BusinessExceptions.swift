import GRDB
import Model

/// What a merge between nodes that were apart broke of a rule no node alone could enforce,
/// shown the same on every node and never silently "fixed": computed from the plain tables,
/// never stored.
///
/// - `duplicate-number`: two documents of one kind carry one number (two nodes given one
///   series prefix). Both are kept; each stays reachable by its id.
/// - `overpaid`: payments applied while apart took an invoice below zero; the excess is credit
///   on account.
/// - `order-during-hold`: an order made on a node that had not seen a credit hold placed
///   concurrently (the order did not list the hold among those it saw, and the hold's writer
///   had not seen the order). The order stands until an office resolves the exception.
/// - `service-during-hold`: the same for a service call (the holds its writer had seen are its
///   `holds-seen` field).
/// - `duplicate-invoice`: two invoices of one service call, issued by nodes apart. Both are
///   kept (an office credits one).
///
/// An exception an office resolved (`exceptions resolve`: a record that replicates) is no longer
/// listed; the earliest resolution of it is the one that counts.
public struct BusinessException: Sendable, Hashable {
    /// Stable on every node: `duplicate-number:KIND:NUMBER`, `overpaid:INVOICE_ID`,
    /// `order-during-hold:ORDER_ID`, `service-during-hold:CALL_ID`, `duplicate-invoice:CALL_ID`.
    public let id: String
    public let kind: String
    public let customerID: EntityID?
    /// The documents involved, by id.
    public let documents: [EntityID]
    public let detail: String
}

extension Replica {
    /// Every business exception the replica shows now, by kind then id.
    public func businessExceptions() throws -> [BusinessException] {
        try pool.read { db in try Self.businessExceptions(db) }
    }

    /// The numbered kinds and their tables.
    static let numberedTables = [
        ("quote", "quotes"), ("order", "orders"), ("invoice", "invoices"), ("credit-note", "credit_notes"),
        ("payment", "payments"), ("service-call", "service_calls"),
    ]

    /// Every business exception, or (`folder`) those of one folder, read through its own rows
    /// and the number indexes (the Credit tab shows them: one customer's must not read the book).
    static func businessExceptions(_ db: Database, folder: EntityID? = nil) throws -> [BusinessException] {
        do {
            let currency = try FinancialLookup.currency(db)
            var found: [BusinessException] = []
            let numbered: String
            if folder == nil {
                numbered = """
                    numbered AS (
                        \(numberedTables.map { "SELECT '\($0.0)' AS kind, id, number, customer_id FROM \($0.1)" }
                            .joined(separator: " UNION ALL "))
                    ),
                    twice AS (SELECT kind, number FROM numbered GROUP BY kind, number HAVING count(*) > 1)
                    """
            } else {
                numbered = """
                    members AS (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder),
                    twice AS (
                        \(numberedTables.map { kind, table in
                            "SELECT '\(kind)' AS kind, number FROM \(table) d WHERE customer_id IN members "
                                + "AND (SELECT count(*) FROM \(table) x WHERE x.number = d.number) > 1"
                        }.joined(separator: " UNION "))
                    ),
                    numbered AS (
                        \(numberedTables.map { kind, table in
                            "SELECT '\(kind)' AS kind, id, number, customer_id FROM \(table) "
                                + "WHERE number IN (SELECT number FROM twice WHERE kind = '\(kind)')"
                        }.joined(separator: " UNION ALL "))
                    )
                    """
            }
            let duplicates = try Row.fetchAll(
                db,
                sql: """
                    WITH \(numbered)
                    SELECT t.kind, t.number, group_concat(n.id, ' ') AS ids,
                        min(coalesce(c.merged_into, n.customer_id)) AS folder
                    FROM twice t JOIN numbered n ON n.kind = t.kind AND n.number = t.number
                    LEFT JOIN customers c ON c.id = n.customer_id
                    GROUP BY t.kind, t.number ORDER BY t.kind, t.number
                    """,
                arguments: ["folder": folder?.description]
            )
            for row in duplicates {
                let ids = (row["ids"] as String).split(separator: " ").compactMap { EntityID(String($0)) }.sorted()
                let kind: String = row["kind"]
                let number: String = row["number"]
                found.append(
                    BusinessException(
                        id: "duplicate-number:\(kind):\(number)",
                        kind: "duplicate-number",
                        customerID: (row["folder"] as String?).flatMap(EntityID.init),
                        documents: ids,
                        detail:
                            "\(ids.count) \(kind)s carry number \(number): two nodes issue one series (give each its own prefix: nodectl series set); both are kept"
                    )
                )
            }
            let overpaid = try Row.fetchAll(
                db,
                sql: """
                    WITH \(FinancialSQL.invoiceState(folder == nil ? .all : .folder))
                    SELECT s.id, s.number, s.folder, s.open, s.currency,
                        (SELECT group_concat(a.payment_id, ' ') FROM payment_applications a
                         JOIN live_payments p ON p.id = a.payment_id WHERE a.invoice_id = s.id) AS payments
                    FROM invoice_state s WHERE s.status = 'overpaid' ORDER BY s.id
                    """,
                arguments: ["asOf": "9999-12-31", "folder": folder?.description]
            )
            for row in overpaid {
                let id = EntityID(row["id"] as String)!
                let payments = (row["payments"] as String? ?? "").split(separator: " ").compactMap {
                    EntityID(String($0))
                }
                let excess = Money(
                    minorUnits: -(row["open"] as Int64),
                    currency: (try? CurrencyCode(row["currency"] as String)) ?? currency
                )
                found.append(
                    BusinessException(
                        id: "overpaid:\(id)",
                        kind: "overpaid",
                        customerID: (row["folder"] as String?).flatMap(EntityID.init),
                        documents: [id] + payments.sorted(),
                        detail:
                            "invoice \(row["number"] as String) is overpaid by \(excess) \(excess.currency) (payments applied while apart); the excess is credit on account"
                    )
                )
            }
            found += try Self.ordersDuringHold(db, folder: folder)
            found += try Self.servicesDuringHold(db, folder: folder)
            found += try Self.duplicateInvoices(db, folder: folder)
            let resolved = Set(try String.fetchAll(db, sql: "SELECT DISTINCT exception FROM exception_resolutions"))
            return found.filter { !resolved.contains($0.id) }
        }
    }

    /// Orders made concurrently with a credit hold of their folder, each with the holds.
    static func ordersDuringHold(_ db: Database, folder: EntityID?) throws -> [BusinessException] {
        try duringHold(
            db,
            folder: folder,
            DuringHold(
                kind: "order-during-hold",
                table: "orders",
                creation: "ch.field = '' AND ch.op = 'record'",
                unseen: "h.id NOT IN (SELECT value FROM json_each(coalesce(w.holds_seen, '[]')))",
                what: "order",
                keeps: "the order"
            )
        )
    }

    /// Service calls made concurrently with a credit hold of their folder: as orders, the call's
    /// creation being the write of its number, the holds it saw its `holds-seen` field.
    static func servicesDuringHold(_ db: Database, folder: EntityID?) throws -> [BusinessException] {
        try duringHold(
            db,
            folder: folder,
            DuringHold(
                kind: "service-during-hold",
                table: "service_calls",
                creation: "ch.field = 'number'",
                unseen: "instr(' ' || coalesce(w.holds_seen, '') || ' ', ' ' || h.id || ' ') = 0",
                what: "service call",
                keeps: "the call"
            )
        )
    }

    /// What differs between the kinds of "taken during a hold": SQL over `w` (the write: `id`,
    /// `holds_seen`) and `h` (the hold), and words.
    struct DuringHold {
        let kind: String
        let table: String
        /// Which change of the entity is its creation (`ch`).
        let creation: String
        /// That hold `h` is not among those the write `w` listed as seen.
        let unseen: String
        let what: String
        let keeps: String
    }

    /// The rows of `rule.table` concurrent with a credit hold of their folder: the row did not
    /// list the hold as seen, and the hold's writer had not seen the row's creation.
    private static func duringHold(_ db: Database, folder: EntityID?, _ rule: DuringHold) throws -> [BusinessException]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                WITH writes AS (
                    SELECT o.id, o.number, o.holds_seen, coalesce(c.merged_into, o.customer_id) AS folder,
                        (SELECT ch.local_order FROM changes ch
                         WHERE ch.entity_id = o.id AND \(rule.creation)
                         ORDER BY ch.local_order LIMIT 1) AS change
                    FROM \(rule.table) o LEFT JOIN customers c ON c.id = o.customer_id
                    WHERE :folder IS NULL
                       OR o.customer_id IN (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder)
                ),
                concurrent AS (
                    SELECT w.id, w.number, w.folder, h.id AS hold_id, h.reason, h.placed_by, h.placed_at
                    FROM writes w
                    JOIN changes ch ON ch.local_order = w.change
                    JOIN origins og ON og.id = ch.origin
                    JOIN customers m ON m.id = w.folder OR m.merged_into = w.folder
                    JOIN credit_holds h ON h.customer_id = m.id
                    WHERE \(rule.unseen)
                      AND coalesce(
                        (SELECT s.seq FROM credit_hold_seen s WHERE s.hold_id = h.id AND s.node_id = og.node_id), 0
                      ) < ch.seq
                )
                SELECT id, number, folder, group_concat(hold_id, ' ') AS holds,
                    min(placed_at || ' by ' || placed_by || ': ' || reason) AS first_hold
                FROM concurrent GROUP BY id ORDER BY id
                """,
            arguments: ["folder": folder?.description]
        )
        return rows.map { row in
            let id = EntityID(row["id"] as String)!
            let holds = (row["holds"] as String).split(separator: " ").compactMap { EntityID(String($0)) }.sorted()
            return BusinessException(
                id: "\(rule.kind):\(id)",
                kind: rule.kind,
                customerID: (row["folder"] as String?).flatMap(EntityID.init),
                documents: [id] + holds,
                detail:
                    "\(rule.what) \(row["number"] as String? ?? "\(id)") was taken on a node that had not seen the credit hold placed \(row["first_hold"] as String); resolve it: --accept keeps \(rule.keeps), --cancel cancels it"
            )
        }
    }

    /// Service calls invoiced more than once (by nodes apart), with their invoices.
    static func duplicateInvoices(_ db: Database, folder: EntityID?) throws -> [BusinessException] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT i.service_id, s.number AS call_number,
                    group_concat(i.id, ' ') AS ids, group_concat(i.number, ', ') AS numbers,
                    min(coalesce(c.merged_into, i.customer_id)) AS folder
                FROM invoices i
                LEFT JOIN service_calls s ON s.id = i.service_id
                LEFT JOIN customers c ON c.id = i.customer_id
                WHERE i.service_id IS NOT NULL
                  AND (:folder IS NULL
                       OR i.customer_id IN (SELECT id FROM customers WHERE id = :folder OR merged_into = :folder))
                GROUP BY i.service_id HAVING count(*) > 1 ORDER BY i.service_id
                """,
            arguments: ["folder": folder?.description]
        )
        return rows.map { row in
            let call: String = row["service_id"]
            let ids = (row["ids"] as String).split(separator: " ").compactMap { EntityID(String($0)) }.sorted()
            // group_concat's order is the rows', which differs between nodes: sort.
            let numbers = (row["numbers"] as String).components(separatedBy: ", ").sorted().joined(separator: ", ")
            return BusinessException(
                id: "duplicate-invoice:\(call)",
                kind: "duplicate-invoice",
                customerID: (row["folder"] as String?).flatMap(EntityID.init),
                documents: ids,
                detail:
                    "service call \(row["call_number"] as String? ?? call) was invoiced \(ids.count) times by nodes apart (\(numbers)); both are kept: credit the one too many (nodectl credit-note add), then --accept"
            )
        }
    }
}
