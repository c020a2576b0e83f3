import CFileBirth
import Crypto
import Foundation
import GRDB
import Logging
import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Incarnations: how a node brought back from an earlier copy of its folder never reuses a
/// sequence number.
///
/// A node's writes carry an *origin*: at first its node id. The replica remembers the identity
/// of the file it was last opened as (device, inode and birth time of `replica.sqlite`). A copy of the
/// folder — `cp -a`, `nodectl restore`, a folder moved to a new machine — is a new file, so the
/// next open begins a new incarnation: a fresh origin (a digest of the node id and a random
/// nonce) for every write from then on, announced by an `incarnation` record that replicates.
/// The earlier origin's writes that the copy lacks — those made after the copy was taken —
/// are a peer's writes to it now: they come back with the next sync, and nothing written
/// after the restore can be taken for them. A copy the file identity cannot tell (a VM
/// snapshot rolled back in place) is caught by content instead: a different change under a
/// number peers hold is held as `clone`, never taken for the one held.
extension Replica {
    /// The identity of the replica file in `directory`: device, inode and, where the file
    /// system keeps it, birth time (a file removed and copied back in may get the inode number
    /// it had, never its birth time).
    static func fileIdentity(in directory: URL) -> String? {
        var status = stat()
        let path = directory.appendingPathComponent(fileName).path
        guard stat(path, &status) == 0 else { return nil }
        var born: Int64 = 0
        let birth = nextsoft_file_birth(path, &born) == 0 ? ":\(born)" : ""
        return "\(status.st_dev):\(status.st_ino)" + birth
    }

    /// The origin this node's writes carry, beginning a new incarnation first when the file is
    /// not the one the replica was last opened as.
    static func currentOrigin(
        pool: DatabasePool,
        nodeID: NodeID,
        directory: URL,
        wallClock: @escaping @Sendable () -> UInt64,
        schema: FolderSchema,
        logger: Logger
    ) throws -> NodeID {
        let identity = fileIdentity(in: directory)
        // The common case reads only: a command that only reads never waits for a writer.
        let stored = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT origin, file_identity, rolled_back_at FROM node WHERE id = 1")
        }
        if let stored, let known = stored["file_identity"] as String?, known == identity,
            stored["rolled_back_at"] as String? == nil
        {
            return (stored["origin"] as String?).flatMap(NodeID.init) ?? nodeID
        }
        return try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT origin, file_identity, rolled_back_at FROM node WHERE id = 1"
                )
            else {
                throw ReplicationError(.corrupt, "the replica has no node row")
            }
            let current = (row["origin"] as String?).flatMap(NodeID.init) ?? nodeID
            let known: String? = row["file_identity"]
            let rolledBack = row["rolled_back_at"] as String? != nil
            guard rolledBack || (identity != nil && known != nil && known != identity) else {
                if known == nil, let identity {
                    try db.execute(sql: "UPDATE node SET file_identity = ? WHERE id = 1", arguments: [identity])
                }
                return current
            }
            let origin = newOrigin(for: nodeID)
            var ledger = try Ledger(db: db, local: nodeID, origin: origin, schema: schema, wallClock: wallClock)
            var writer = LocalWriter(ledger: ledger)
            let now = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(wallClock()) / 1000))
            try writer.recordIncarnation(
                IncarnationRecord(
                    node: nodeID.description,
                    origin: origin.description,
                    previousOrigin: current.description,
                    reason: rolledBack ? "rolled back" : "restored",
                    startedAt: now
                )
            )
            ledger = writer.ledger
            try ledger.saveState()
            try db.execute(
                sql: """
                    UPDATE node SET origin = ?, file_identity = coalesce(?, file_identity), restored_at = ?,
                        rolled_back_at = NULL
                    WHERE id = 1
                    """,
                arguments: [origin.description, identity, now]
            )
            // What peers sent under the earlier origin while it was this node's own waits aside;
            // it is a peer's origin now, so the next sync brings those changes back to apply.
            try db.execute(
                sql: "DELETE FROM held_changes WHERE change IS NULL AND reason = 'own-origin' AND origin = ?",
                arguments: [current.description]
            )
            logger.notice(
                "the replica file is a copy (restored, or moved): this node's writes carry a new origin from now on",
                metadata: ["origin": "\(origin)", "previous": "\(current)"]
            )
            return origin
        }
    }

    /// A fresh origin for `node`: the digest of its id and a random nonce, so no two
    /// incarnations — of one node or of two copies restored from one backup — share one.
    static func newOrigin(for node: NodeID) -> NodeID {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var hasher = SHA256()
        hasher.update(data: Array("nextsoft incarnation\u{0}".utf8) + node.digest + nonce)
        return NodeID(digest: Array(hasher.finalize()))
    }

    /// When this node was last brought back from a copy of its folder; `nil` if never.
    public func restoredAt() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT restored_at FROM node WHERE id = 1") }
    }

    /// When each node this replica knows of was last restored, by its incarnation records.
    public func restoredAt(of node: NodeID) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT max(started_at) FROM incarnations WHERE node_id = ?",
                arguments: [node.description]
            )
        }
    }
}

extension LocalWriter {
    /// Writes a node's new incarnation as a replicated record (the first change of the new
    /// origin).
    mutating func recordIncarnation(_ record: IncarnationRecord) throws {
        let id = ledger.newEntityID()
        try append(.incarnation, id, "", .record, try RecordJSON.encode(record), [])
    }
}
