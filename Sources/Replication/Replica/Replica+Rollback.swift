import Foundation
import GRDB
import Model

/// What comparing a peer's hello with this replica showed of either node's own history.
public enum HistoryFinding: Sendable, Hashable {
    /// The peer holds more of this node's current origin than this node does: this folder was
    /// rolled back (a VM snapshot, a copy put back over the same file). The next open begins
    /// a new incarnation, so nothing written from then on reuses a number.
    case thisNodeRolledBack(held: UInt64, claimed: UInt64)
    /// The peer claims less of its own latest origin than this node holds of it: it was
    /// rolled back the same way. Its writes from the rollback to its next incarnation reuse
    /// numbers and are held here as `clone`.
    case peerRolledBack(origin: NodeID, held: UInt64, claimed: UInt64)
}

/// Rollbacks the file identity cannot see (``Replica+Incarnation``): peers tell, by what their
/// hellos claim.
extension Replica {
    /// Compares what a peer's hello claimed (`claimed`) with what this replica holds of this
    /// node's current origin and of the peer's latest origin, and records what it shows:
    /// `node.rolled_back_at` for this node (a new incarnation at the next open), or
    /// `peers.rolled_back_at` for the peer.
    @discardableResult
    public func compareHistories(with peer: NodeID, claimed: VersionVector) throws -> HistoryFinding? {
        try pool.write { db in
            let vector = try Replica.vector(db)
            let now = Timestamp.format(Date(timeIntervalSince1970: TimeInterval(wallClock()) / 1000))
            let own =
                try String.fetchOne(db, sql: "SELECT origin FROM node WHERE id = 1").flatMap(NodeID.init) ?? nodeID
            if claimed[own] > vector[own] {
                try db.execute(
                    sql: "UPDATE node SET rolled_back_at = coalesce(rolled_back_at, ?) WHERE id = 1",
                    arguments: [now]
                )
                return .thisNodeRolledBack(held: vector[own], claimed: claimed[own])
            }
            let latest =
                try String.fetchOne(
                    db,
                    sql: "SELECT origin FROM incarnations WHERE node_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                    arguments: [peer.description]
                ).flatMap(NodeID.init) ?? peer
            guard claimed[latest] < vector[latest] else { return nil }
            try db.execute(
                sql: "UPDATE peers SET rolled_back_at = ? WHERE node_id = ?",
                arguments: [now, peer.description]
            )
            return .peerRolledBack(origin: latest, held: vector[latest], claimed: claimed[latest])
        }
    }

    /// When a peer last claimed less of its own history than this node holds; `nil` if never.
    public func rolledBackAt(ofPeer peer: NodeID) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT rolled_back_at FROM peers WHERE node_id = ?",
                arguments: [peer.description]
            )
        }
    }
}
