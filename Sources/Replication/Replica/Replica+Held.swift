import Foundation
import GRDB
import Model

/// A change this node keeps but does not apply, as `held list` shows it.
public struct HeldChange: Sendable, Hashable, Identifiable {
    /// A digest of the change's content: the same on every node that holds it.
    public let id: String
    public let origin: NodeID
    /// `nil` when the change's number is beyond what a node writes.
    public let seq: UInt64?
    public let reason: HeldReason
    /// One line: what is wrong with it.
    public let detail: String
    /// The kind's name as this node knows it (`kind-N` when it does not).
    public let entity: String
    public let entityID: String
    public let field: String
    public let operation: String
    public let value: String?
    /// When this node began to hold it.
    public let at: String
    /// Whether it took its place in the log (so it is forwarded to peers and an office's
    /// decision on it replicates); `false` for one kept here only.
    public let inLog: Bool
}

extension Replica {
    /// The changes this node holds and no office has dropped, oldest first. (An accepted
    /// change is applied and leaves the table; one an acceptance could not apply stays listed.)
    public func heldChanges() throws -> [HeldChange] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM held_changes h WHERE \(Replica.undropped) ORDER BY held_at, id")
                .map(Replica.heldChange)
        }
    }

    /// How many changes ``heldChanges()`` lists, counted in SQL.
    public func heldCount() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM held_changes h WHERE \(Replica.undropped)") ?? 0
        }
    }

    /// The nodes two copies of which are writing, with how many of their changes show it:
    /// a different change arrived under a number this replica holds (held, reason `clone`;
    /// named by the change's origin), or a node's earlier origin went on writing after a copy
    /// of it began a new incarnation (a folder copied to a second machine, both running: named
    /// by the node). The same on every node that holds the same changes.
    public func clones() throws -> [(node: NodeID, changes: Int)] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT origin AS node, count(*) AS n FROM held_changes h
                    WHERE reason = 'clone' AND \(Replica.undropped) GROUP BY origin
                    UNION ALL
                    SELECT i.node_id AS node, count(*) AS n
                    FROM incarnations i
                    JOIN changes rc ON rc.entity = 'incarnation' AND rc.entity_id = i.id
                    JOIN origins po ON po.node_id = i.previous_origin
                    JOIN changes c ON c.origin = po.id AND c.hlc > rc.hlc
                    GROUP BY i.node_id
                    ORDER BY node
                    """
            ).compactMap { row in NodeID(row["node"] as String).map { ($0, row["n"] as Int) } }
        }
    }

    /// The condition on `held_changes h` of a change no office dropped.
    static let undropped = """
        NOT EXISTS (SELECT 1 FROM held_decisions d WHERE h.change IS NOT NULL
            AND d.origin = h.origin AND d.seq = h.seq AND d.decision = 'drop')
        """

    /// The reasons a later release may lift by itself, as an SQL list.
    static let upgradeReasons = HeldReason.allCases.filter(\.waitsForUpgrade).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")

    /// Accepts held changes: each is applied as it is, and the decision replicates so that
    /// every node that holds it applies it too. Only changes held for a broken rule or a
    /// missing predecessor can be accepted (one this release cannot read cannot be applied).
    /// All or nothing: an unknown id or a change that cannot be accepted refuses the lot.
    public func acceptHeld(_ ids: [String], reason: String = "", by person: String) throws {
        // `person` is also who the decision's change is by.
        try decide(ids, accept: true, reason: reason, by: person)
    }

    /// Drops held changes: they stay in the log (forwarded, in `history`), are never applied,
    /// and leave `held list` on every node the decision reaches. A change kept here only
    /// (not in the log) is forgotten on this node.
    public func dropHeld(_ ids: [String], reason: String, by person: String) throws {
        try decide(ids, accept: false, reason: reason, by: person)
    }

    private func decide(_ ids: [String], accept: Bool, reason: String, by person: String) throws {
        guard try role() == .office else {
            throw ReplicationError(
                .notAnOffice,
                "this node is a laptop: only an office decides on held changes for the fleet (run it on an office)"
            )
        }
        try write(as: person) { writer in
            let pending = try Row.fetchAll(writer.db, sql: "SELECT * FROM held_changes").map(Replica.heldChange)
            for id in ids {
                guard let held = pending.first(where: { $0.id == id.lowercased() }) else {
                    throw ReplicationError(.unknownID, "no held change with id \(id) (see 'nodectl held list')")
                }
                if accept, !held.reason.acceptable {
                    throw ReplicationError(
                        .invalidValue,
                        "held change \(held.id) cannot be accepted: \(held.detail) (\(held.reason.rawValue)); drop it, or upgrade this node if a newer release wrote it"
                    )
                }
                guard held.inLog, let seq = held.seq else {
                    try writer.db.execute(sql: "DELETE FROM held_changes WHERE id = ?", arguments: [held.id])
                    continue
                }
                try writer.recordDecision(on: held.origin, seq: seq, accept: accept, reason: reason, by: person)
                if accept,
                    let still = try String.fetchOne(
                        writer.db,
                        sql: "SELECT detail FROM held_changes WHERE id = ?",
                        arguments: [held.id]
                    )
                {
                    // Carrying it out held it again (e.g. an element without a value): refuse,
                    // so that nothing is recorded and the change stays listed.
                    throw ReplicationError(
                        .invalidValue,
                        "held change \(held.id) cannot be applied as it is: \(still); drop it instead"
                    )
                }
            }
        }
    }

    /// Applies the held changes this replica's schema now understands (after an upgrade),
    /// except those an office dropped: a drop is never undone by an upgrade.
    ///
    /// Reads first: opening a replica takes no write lock unless there is something to apply
    /// (`status` beside a running `serve` never waits for its batches).
    func applyUnderstoodHeld() throws {
        let waiting = try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT entity FROM held_changes h WHERE change IS NOT NULL
                    AND reason IN (\(Replica.upgradeReasons)) AND \(Replica.undropped)
                    """
            ).map { $0["entity"] as String }
        }
        // Only what this schema declares can be applied now (a kind it does not know waits on).
        guard waiting.contains(where: { schema.kind(named: $0).flatMap(schema.declaration(of:)) != nil }) else {
            return
        }
        try pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.id, c.* , o.node_id FROM held_changes h
                    JOIN changes c ON c.local_order = h.change JOIN origins o ON o.id = c.origin
                    WHERE h.reason IN (\(Replica.upgradeReasons)) AND \(Replica.undropped)
                    ORDER BY c.local_order
                    """
            )
            guard !rows.isEmpty else { return }
            var ledger = try self.ledger(db)
            let nodes = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, node_id FROM origins").compactMap { row in
                    NodeID(row["node_id"] as String).map { (row["id"] as Int64, $0) }
                }
            )
            for row in rows {
                guard let origin = NodeID(row["node_id"] as String) else { continue }
                let change = try Replica.decodeChange(row, origin: origin, nodes: nodes, schema: schema)
                guard schema.declaration(of: change.entity) != nil else { continue }
                let logged: Int64 = row["local_order"]
                try db.execute(
                    sql: "UPDATE changes SET entity = ? WHERE local_order = ?",
                    arguments: [schema.kind(code: change.entity.code).name, logged]
                )
                if let hold = try ledger.applyHeld(change, row: logged, force: false) {
                    try db.execute(
                        sql: "UPDATE held_changes SET reason = ?, detail = ?, entity = ? WHERE change = ?",
                        arguments: [
                            hold.reason.rawValue, hold.detail, schema.kind(code: change.entity.code).name, logged,
                        ]
                    )
                }
            }
            try ledger.saveState()
        }
    }

    static func heldChange(_ row: Row) throws -> HeldChange {
        guard let origin = NodeID(row["origin"] as String), let reason = HeldReason(rawValue: row["reason"]) else {
            throw ReplicationError(.corrupt, "held_changes holds a malformed row")
        }
        let seq: Int64? = row["seq"]
        let logged: Int64? = row["change"]
        return HeldChange(
            id: row["id"],
            origin: origin,
            seq: seq.map { UInt64($0) },
            reason: reason,
            detail: row["detail"],
            entity: row["entity"],
            entityID: row["entity_id"],
            field: row["field"],
            operation: row["op"],
            value: row["value"],
            at: row["held_at"],
            inLog: logged != nil
        )
    }
}

extension LocalWriter {
    /// Writes an office's decision on a held change as a replicated record.
    mutating func recordDecision(on origin: NodeID, seq: UInt64, accept: Bool, reason: String, by person: String) throws
    {
        let record = HeldDecisionRecord(
            origin: origin.description,
            seq: Int64(seq),
            decision: accept ? "accept" : "drop",
            reason: reason,
            decidedAt: now,
            decidedBy: person
        )
        let id = ledger.newEntityID()
        try append(.heldDecision, id, "", .record, try RecordJSON.encode(record), [])
    }
}
