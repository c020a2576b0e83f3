import Crypto
import Foundation
import GRDB
import Model

/// The `held_changes` table, bound to one write transaction: what the ledger keeps instead of
/// applying.
///
/// A held change that took its place in the log (`change` set) is forwarded like any other;
/// one that could not (`change` NULL: under this node's own origin, out of order, or with
/// numbers beyond bounds) is kept here only. Every row carries the whole change, so listing
/// needs no join and the id — a digest of the change's content — is the same on every node.
struct HeldStore {
    let db: Database
    let schema: FolderSchema

    /// Keeps a change with the gate's verdict; `logged` is its row in the log, if it has one.
    /// Keeping the same change twice keeps it once.
    func keep(_ change: Change, logged: Int64?, _ hold: Hold, at wallClock: UInt64) throws {
        try db.run(
            sql: """
                INSERT INTO held_changes
                    (id, change, origin, seq, hlc, entity, entity_id, field, op, value, predecessors, reason, detail, held_at,
                    person)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET change = coalesce(excluded.change, change),
                    reason = excluded.reason, detail = excluded.detail, person = coalesce(person, excluded.person)
                """,
            arguments: [
                Self.id(of: change), logged, change.origin.description, Int64(exactly: change.seq),
                change.time.milliseconds <= ChangeGate.maximumMilliseconds ? change.time.packed : nil,
                schema.kind(code: change.entity.code).name, change.entityID.description, change.field,
                change.operation.name, change.value,
                Self.encode(change.predecessors), hold.reason.rawValue, hold.detail,
                Timestamp.format(Date(timeIntervalSince1970: TimeInterval(wallClock) / 1000)),
                change.person.flatMap { PersonName.problem($0) == nil ? $0 : nil },
            ]
        )
    }

    /// Forgets the held row of a logged change (it was applied after all).
    func release(logged row: Int64) throws {
        try db.run(sql: "DELETE FROM held_changes WHERE change = ?", arguments: [row])
    }

    /// Whether any change is held aside (not in the log) waiting for its turn.
    func hasParked() throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM held_changes WHERE change IS NULL AND reason = 'out-of-order')"
        ) ?? false
    }

    /// The parked changes of `origin` numbered `seq`, removed from the table: the ledger
    /// appends them now that their turn came.
    func takeParked(origin: NodeID, seq: UInt64) throws -> [Change] {
        guard let seq = Int64(exactly: seq) else { return [] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM held_changes
                WHERE change IS NULL AND reason = 'out-of-order' AND origin = ? AND seq = ?
                ORDER BY id
                """,
            arguments: [origin.description, seq]
        )
        try db.execute(
            sql: "DELETE FROM held_changes WHERE change IS NULL AND reason = 'out-of-order' AND origin = ? AND seq = ?",
            arguments: [origin.description, seq]
        )
        return rows.compactMap { change($0) }
    }

    // MARK: The stored form

    /// A digest of the change's whole content: 12 lower-case base32 characters.
    static func id(of change: Change) -> String {
        var text = "\(change.origin)#\(change.seq)#\(change.time.milliseconds).\(change.time.counter)"
        text += "#\(change.entity.code)#\(change.entityID)#\(change.field)#\(change.operation.code)"
        text += "#\(encode(change.predecessors))#" + (change.value.map { "v" + $0 } ?? "nil")
        return ShortDigest.of(text)
    }

    /// Predecessors as `NODE-ID:seq` pairs separated by spaces (node ids, not local rows: a
    /// change held aside may name nodes the log has never seen).
    static func encode(_ predecessors: [WriteID]) -> String {
        predecessors.map { "\($0.origin):\($0.seq)" }.joined(separator: " ")
    }

    static func decode(_ text: String) -> [WriteID]? {
        guard !text.isEmpty else { return [] }
        var result: [WriteID] = []
        for pair in text.split(separator: " ") {
            guard let colon = pair.lastIndex(of: ":"), let node = NodeID(String(pair[..<colon])),
                let seq = UInt64(pair[pair.index(after: colon)...])
            else { return nil }
            result.append(WriteID(origin: node, seq: seq))
        }
        return result
    }

    /// The change a held row keeps; `nil` for a row whose numbers were beyond bounds.
    func change(_ row: Row) -> Change? {
        guard let origin = NodeID(row["origin"] as String), let seq: Int64 = row["seq"], let hlc: Int64 = row["hlc"],
            let entityID = EntityID(row["entity_id"] as String), let operation = Operation(name: row["op"]),
            let predecessors = Self.decode(row["predecessors"]), let kind = schema.kind(named: row["entity"])
        else { return nil }
        return Change(
            origin: origin,
            seq: UInt64(seq),
            time: HybridTime(packed: hlc),
            entity: kind,
            entityID: entityID,
            field: row["field"],
            operation: operation,
            value: row["value"],
            predecessors: predecessors,
            person: row["person"]
        )
    }
}

/// Short ids made from a digest: 12 lower-case base32 characters of SHA-256, as conflicts and
/// held changes are named (the same on every node for the same content).
enum ShortDigest {
    static func of(_ text: String) -> String {
        let digest = Array(SHA256.hash(data: Data(text.utf8)))
        return String(NodeID.base32Encode(Array(digest.prefix(8))).prefix(12)).lowercased()
    }
}
