import Foundation
import GRDB

/// The revocations in force on a replica, as the ledger checks each change against them.
///
/// A node writes under several origins over its life (its node id, then one per incarnation);
/// a revocation names the node and, in `seen`, how far its revoker held each of the node's
/// origins. A change of a revoked node counts as made after the revocation when its number is
/// beyond what some revocation of the node saw of its origin (an origin a revocation does not
/// name counts as seen up to 0). Decided by the changes and the revocations alone, so every
/// node that holds the same ones holds the same changes.
struct RevokedOrigins {
    /// One revocation, as the ledger needs it.
    struct Entry: Sendable, Hashable {
        let node: NodeID
        let seen: VersionVector
        let revokedAt: String
        let revokedBy: NodeID
        let reason: String
    }

    /// The revocations of each revoked node, oldest first.
    private(set) var byNode: [NodeID: [Entry]] = [:]
    /// The node each known origin of a revoked node belongs to (its incarnations).
    private var nodeOfOrigin: [NodeID: NodeID] = [:]

    var isEmpty: Bool { byNode.isEmpty }

    /// The revocations the replica applied, with the revoked nodes' known origins.
    static func load(_ db: Database) throws -> RevokedOrigins {
        var result = RevokedOrigins()
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT node_id, seen, revoked_at, revoked_by, reason FROM revocations ORDER BY revoked_at, id"
        )
        guard !rows.isEmpty else { return result }
        for row in rows {
            guard let node = NodeID(row["node_id"] as String), let by = NodeID(row["revoked_by"] as String) else {
                continue
            }
            result.byNode[node, default: []].append(
                Entry(
                    node: node,
                    seen: Replica.decodeVector(row["seen"]),
                    revokedAt: row["revoked_at"],
                    revokedBy: by,
                    reason: row["reason"]
                )
            )
        }
        try result.learnOrigins(db)
        return result
    }

    /// Takes in a revocation just applied, and its node's origins known so far.
    mutating func add(_ entry: Entry, _ db: Database) throws {
        byNode[entry.node, default: []].append(entry)
        try learnOrigins(db)
    }

    /// Reads which origins belong to the revoked nodes: from their incarnation records,
    /// applied or held.
    private mutating func learnOrigins(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT node_id, origin FROM incarnations") {
            if let node = NodeID(row["node_id"] as String), byNode[node] != nil,
                let origin = NodeID(row["origin"] as String)
            {
                nodeOfOrigin[origin] = node
            }
        }
        let held = try Row.fetchAll(
            db,
            sql: "SELECT origin, value FROM held_changes WHERE entity = 'incarnation' AND change IS NOT NULL"
        )
        for row in held {
            if let origin = NodeID(row["origin"] as String), let node = Self.incarnationNode(row["value"]),
                byNode[node] != nil
            {
                nodeOfOrigin[origin] = node
            }
        }
    }

    /// The node an incarnation record's JSON names.
    static func incarnationNode(_ value: String?) -> NodeID? {
        (RecordJSON.object(value)?["node"] as? String).flatMap(NodeID.init)
    }

    /// The node whose writes `origin` carries, as far as revocations go: the node of one of
    /// its incarnations, or the origin itself (a node's first origin is its id).
    func node(of origin: NodeID) -> NodeID { nodeOfOrigin[origin] ?? origin }

    /// The origins of `node` this replica knows: its id and its incarnations' origins.
    func origins(of node: NodeID) -> [NodeID] {
        [node] + nodeOfOrigin.filter { $0.value == node }.map(\.key).sorted()
    }

    /// The revocation `change` was made after, if any: the earliest of its node's revocations
    /// that had not seen it. An incarnation record names its node itself (it is the first
    /// change of a new origin), so a revoked node's new incarnation is known by it.
    mutating func revocation(after change: Change) -> Entry? {
        guard !byNode.isEmpty else { return nil }
        var node = node(of: change.origin)
        if byNode[node] == nil, change.entity == .incarnation, let named = Self.incarnationNode(change.value),
            byNode[named] != nil
        {
            nodeOfOrigin[change.origin] = named
            node = named
        }
        return byNode[node]?.first { change.seq > $0.seen[change.origin] }
    }

    /// When `node` was first revoked here, and by whom; `nil` if it never was.
    func revoked(_ node: NodeID) -> Entry? { byNode[node]?.first }
}
