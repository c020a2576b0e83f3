import GRDB

/// Reclaiming what removals leave behind, by acknowledgement — never by a timer
/// (docs/ARCHITECTURE.md, "Reclaiming what removals leave behind").
///
/// The only bookkeeping a removal leaves that may go is the row of a removed set element
/// (`set_elements` with `removed_by`): the element is already out of the plain tables, a later
/// remove of the same add marks nothing, and only a revocation that takes the remove back would
/// need the row to bring the element back. A revocation takes back only changes beyond what its
/// office had seen; so once every member of the fleet holds the remove, none can.
///
/// The rule, in SQL over plain tables so an office can read why a row is kept:
/// - **Members** (`fleet_members`): the origins of the nodes known here — a node of which this
///   replica applied a write, that acknowledged, or an office this node trusts (its
///   revocations are the ones in force here: it must hold the remove before anything goes,
///   even if it never wrote) — except revoked nodes, and except origins
///   that are over: one an incarnation record names as its previous origin (a restored or
///   copied folder carries a new origin; a copy that still runs under the old one is a clone,
///   which `check` names), and one a sibling origin of its node has passed — the sibling's
///   acknowledgement covers all of it that is here, while its own does not cover the sibling
///   (a folder restored twice from one backup: the first restore's origin never speaks again).
///   An origin whose every change here is held (a relay's forgery) names no node. A node of
///   an earlier release never acknowledges, so while one has written, nothing is reclaimed. A
///   node that never wrote and was never heard of is not waited for.
/// - **Acknowledgements** (`acknowledgements`): per member, what it said it holds, merged by
///   the componentwise maximum; this node's own is its version vector.
/// - A removed element's row goes when every member's acknowledgement covers its remove
///   (`reclamation_waits` lists what each kept row waits for) **and** this node holds every
///   member's own writes up to its acknowledgement (`acknowledgements_ahead` is empty): a
///   revocation a member signed before it acknowledged is then here, already applied.
enum Reclamation {
    /// The migration that adds acknowledgements: registered after every other one.
    static let migration = "v7: acknowledgements"

    static let sql = """
        CREATE TABLE acknowledgements (
            origin TEXT NOT NULL,
            node_id TEXT NOT NULL,
            holds_origin TEXT NOT NULL,
            holds_seq INTEGER NOT NULL CHECK (holds_seq >= 1),
            heard_at INTEGER NOT NULL,
            PRIMARY KEY (origin, holds_origin)
        ) STRICT, WITHOUT ROWID;
        ALTER TABLE node ADD COLUMN reclaimed_elements INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX set_elements_removed ON set_elements(removed_by) WHERE removed_by IS NOT NULL;

        CREATE VIEW fleet_members AS
        WITH known(origin, node) AS (
            SELECT o.node_id, coalesce((SELECT i.node_id FROM incarnations i WHERE i.origin = o.node_id), o.node_id)
            FROM origins o
            WHERE o.max_seq > (
                SELECT count(*) FROM held_changes h WHERE h.origin = o.node_id AND h.change IS NOT NULL
            )
            UNION SELECT origin, node_id FROM acknowledgements
            UNION SELECT node_id, node_id FROM peers WHERE role = 'office'
        ),
        candidates(origin, node) AS (
            SELECT origin, node FROM known
            WHERE node NOT IN (SELECT node_id FROM revocations)
                AND origin NOT IN (SELECT previous_origin FROM incarnations)
        ),
        passed(origin) AS (
            SELECT a.origin FROM candidates a JOIN candidates b ON b.node = a.node AND b.origin <> a.origin
            WHERE coalesce(
                    (SELECT holds_seq FROM acknowledgements WHERE origin = b.origin AND holds_origin = a.origin), 0
                ) >= coalesce((SELECT max_seq FROM origins WHERE node_id = a.origin), 0)
                AND coalesce(
                    (SELECT holds_seq FROM acknowledgements WHERE origin = a.origin AND holds_origin = b.origin), 0
                ) < coalesce((SELECT max_seq FROM origins WHERE node_id = b.origin), 0)
        )
        SELECT origin FROM candidates c
        WHERE origin NOT IN (SELECT origin FROM passed)
            OR NOT EXISTS (
                SELECT 1 FROM candidates d WHERE d.node = c.node AND d.origin NOT IN (SELECT origin FROM passed)
            );

        CREATE VIEW acknowledgements_ahead AS
        SELECT a.origin, a.holds_seq AS acknowledged, coalesce(o.max_seq, 0) AS held
        FROM acknowledgements a LEFT JOIN origins o ON o.node_id = a.holds_origin
        WHERE a.holds_origin = a.origin AND coalesce(o.max_seq, 0) < a.holds_seq
            AND a.origin IN (SELECT origin FROM fleet_members);

        CREATE VIEW reclamation_waits AS
        SELECT DISTINCT s.removed_by AS change, m.origin AS member
        FROM set_elements s
        JOIN changes c ON c.local_order = s.removed_by
        JOIN origins o ON o.id = c.origin
        JOIN fleet_members m
        WHERE NOT EXISTS (
            SELECT 1 FROM acknowledgements a
            WHERE a.origin = m.origin AND a.holds_origin = o.node_id AND a.holds_seq >= c.seq
        );
        """

    /// Records this node's own acknowledgement (its vector now) under `origin`.
    static func acknowledgeOwn(_ db: Database, origin: NodeID, node: NodeID, at now: UInt64) throws {
        try record(db, Acknowledgement(origin: origin, node: node, vector: try Replica.vector(db)), at: now)
    }

    /// Merges one acknowledgement into the table (componentwise maximum) — when it is of a node
    /// known here: this one, a trusted peer, or one of which this replica applied a write or
    /// holds an incarnation. Another is ignored: a made-up node would otherwise be a member
    /// forever, waited for by every removal. Returns whether it was recorded.
    @discardableResult
    static func record(_ db: Database, _ acknowledgement: Acknowledgement, at now: UInt64) throws -> Bool {
        let node = acknowledgement.node.description
        let known =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM node WHERE node_id = ?1)
                        OR EXISTS (SELECT 1 FROM peers WHERE node_id = ?1)
                        OR EXISTS (SELECT 1 FROM incarnations WHERE node_id = ?1)
                        OR EXISTS (
                            SELECT 1 FROM origins o WHERE o.node_id = ?1 AND o.max_seq > (
                                SELECT count(*) FROM held_changes h WHERE h.origin = o.node_id AND h.change IS NOT NULL
                            )
                        )
                    """,
                arguments: [node]
            ) ?? false
        guard known else { return false }
        for (held, seq) in acknowledgement.vector.entries {
            try db.execute(
                sql: """
                    INSERT INTO acknowledgements (origin, node_id, holds_origin, holds_seq, heard_at)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (origin, holds_origin) DO UPDATE SET
                        holds_seq = max(holds_seq, excluded.holds_seq),
                        node_id = excluded.node_id,
                        heard_at = CASE WHEN excluded.holds_seq > holds_seq THEN excluded.heard_at ELSE heard_at END
                    """,
                arguments: [
                    acknowledgement.origin.description, acknowledgement.node.description, held.description,
                    Int64(clamping: seq), Int64(clamping: now),
                ]
            )
        }
        return true
    }

    /// Drops the rows of removed set elements that every member is known to hold the remove
    /// of; returns how many.
    static func sweep(_ db: Database) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM set_elements WHERE removed_by IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM acknowledgements_ahead)
                    AND removed_by NOT IN (SELECT change FROM reclamation_waits)
                """
        )
        let dropped = db.changesCount
        if dropped > 0 {
            try db.execute(
                sql: "UPDATE node SET reclaimed_elements = reclaimed_elements + ? WHERE id = 1",
                arguments: [dropped]
            )
        }
        return dropped
    }
}

/// Where reclamation stands on this node (`nodectl status`).
public struct ReclamationStatus: Sendable, Hashable {
    /// Rows of removed set elements kept: what a revocation might still need.
    public var kept: Int
    /// Rows dropped so far on this node.
    public var reclaimed: Int
    /// Members whose acknowledgement does not yet cover some kept row's remove, or whose own
    /// writes up to their acknowledgement this node does not hold yet (origins, sorted).
    public var waitingFor: [NodeID]
}

extension Replica {
    /// What this node tells a peer the fleet holds: its own acknowledgement (its version
    /// vector, under its current origin) first, then every one it heard, most recently
    /// advanced first.
    public func acknowledgementsToSend() throws -> [Acknowledgement] {
        let origin = self.origin
        return try pool.read { db in
            var result = [Acknowledgement(origin: origin, node: nodeID, vector: try Replica.vector(db))]
            var heard: [NodeID: Acknowledgement] = [:]
            var order: [NodeID] = []
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.origin, a.node_id, a.holds_origin, a.holds_seq FROM acknowledgements a
                    JOIN (SELECT origin, max(heard_at) AS latest FROM acknowledgements GROUP BY origin) l
                        ON l.origin = a.origin
                    WHERE a.origin <> ?
                    ORDER BY l.latest DESC, a.origin
                    """,
                arguments: [origin.description]
            )
            for row in rows {
                guard let acker = NodeID(row["origin"] as String), let node = NodeID(row["node_id"] as String),
                    let held = NodeID(row["holds_origin"] as String)
                else { throw ReplicationError(.corrupt, "acknowledgements holds a malformed node id") }
                if heard[acker] == nil {
                    heard[acker] = Acknowledgement(origin: acker, node: node, vector: VersionVector())
                    order.append(acker)
                }
                heard[acker]?.vector[held] = UInt64(row["holds_seq"] as Int64)
            }
            result += order.compactMap { heard[$0] }
            return result
        }
    }

    /// Takes a peer's word on what the fleet holds (merged per origin by the componentwise
    /// maximum; what is said of this node's own current origin is ignored: it knows; so is
    /// what is said by a node not known here — ``Reclamation/record(_:_:at:)``), records
    /// its own acknowledgement, and drops what every member is now known to hold. One
    /// transaction; returns the number of rows dropped.
    @discardableResult
    public func receiveAcknowledgements(_ acknowledgements: [Acknowledgement]) throws -> Int {
        let origin = self.origin
        let now = wallClock()
        return try pool.write { db in
            for acknowledgement in acknowledgements where acknowledgement.origin != origin {
                try Reclamation.record(db, acknowledgement, at: now)
            }
            try Reclamation.acknowledgeOwn(db, origin: origin, node: nodeID, at: now)
            return try Reclamation.sweep(db)
        }
    }

    /// Where reclamation stands: rows kept, rows dropped, and the members it waits for.
    public func reclamationStatus() throws -> ReclamationStatus {
        try pool.read { db in
            let kept = try Int.fetchOne(db, sql: "SELECT count(*) FROM set_elements WHERE removed_by IS NOT NULL") ?? 0
            let reclaimed = try Int.fetchOne(db, sql: "SELECT reclaimed_elements FROM node WHERE id = 1") ?? 0
            let waiting = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT member FROM reclamation_waits
                    UNION SELECT origin FROM acknowledgements_ahead
                    ORDER BY 1
                    """
            )
            return ReclamationStatus(kept: kept, reclaimed: reclaimed, waitingFor: waiting.compactMap(NodeID.init))
        }
    }
}
