import Foundation
import GRDB
import Model

/// A node this one trusts, and what it knows of it.
public struct Peer: Sendable, Hashable {
    public var nodeID: NodeID
    public var name: String?
    public var address: String?
    public var trustedAt: String
    /// What the peer held the last time it told us (from a sync or a bundle it made).
    public var knownVector: VersionVector
    public var lastSync: String?
    public var lastError: String?
    /// The release the peer's last hello named (`nil` before the first sync with it).
    public var version: String?
    /// The role this node trusts the peer as; its hello must announce the same.
    public var role: NodeRole = .office
    /// When the peer was first revoked for the fleet, as this node knows; `nil` if never.
    /// A revoked peer's connections are refused.
    public var revoked: String?
    /// When the peer last claimed less of its own history than this node holds (it was
    /// rolled back: a VM snapshot, a copy put back in place); `nil` if never.
    public var rolledBackAt: String?
    /// Whether the peer's last hello announced ``Capabilities/personsFeature`` (it reads who
    /// wrote each change); `nil` before the first sync with it.
    public var readsPersons: Bool?
}

extension Replica {
    /// Trusts a peer (pinned by its id) as `role` and records where to reach it. Adding a peer
    /// again updates its name, address and, when given, role. Refuses a revoked node
    /// (``ReplicationError/Code/revoked``): a stolen laptop is not trusted back; it is
    /// re-installed as a new node.
    ///
    /// Trusting an office may put in force revocations it signed that this node held as
    /// unverified.
    public func addPeer(_ nodeID: NodeID, name: String?, address: String?, role: NodeRole? = nil) throws {
        guard nodeID != self.nodeID else {
            throw ReplicationError(.invalidValue, "\(nodeID) is this node itself")
        }
        if let revocation = try revocations().first(where: { $0.node == nodeID }) {
            throw ReplicationError(
                .revoked,
                "node \(nodeID.short) was revoked at \(revocation.revokedAt) by office \(revocation.revokedBy.short) (\(revocation.reason)); it cannot be trusted again: set the machine up as a new node"
            )
        }
        try pool.write { db in
            if let name,
                let other = try String.fetchOne(
                    db,
                    sql: "SELECT node_id FROM peers WHERE name = ? AND node_id <> ?",
                    arguments: [name, nodeID.description]
                )
            {
                throw ReplicationError(.invalidValue, "the name '\(name)' is already used by peer \(other)")
            }
            try db.execute(
                sql: """
                    INSERT INTO peers (node_id, name, address, trusted_at, role) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (node_id) DO UPDATE SET
                        name = coalesce(excluded.name, name), address = coalesce(excluded.address, address),
                        role = CASE WHEN ? THEN excluded.role ELSE role END
                    """,
                arguments: [
                    nodeID.description, name, address, Timestamp.format(Date()), (role ?? .office).rawValue,
                    role != nil,
                ]
            )
        }
        try applyVerifiedRevocations()
    }

    /// Forgets and distrusts a peer, named by id or name. Its changes already held stay.
    public func removePeer(_ idOrName: String) throws {
        let peer = try self.peer(idOrName)
        try pool.write { db in
            try db.execute(sql: "DELETE FROM peers WHERE node_id = ?", arguments: [peer.nodeID.description])
        }
    }

    /// Every trusted peer, by name then id.
    public func peers() throws -> [Peer] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.*, (SELECT min(r.revoked_at) FROM revocations r WHERE r.node_id = p.node_id) AS revoked
                    FROM peers p ORDER BY name IS NULL, name, node_id
                    """
            ).map(Replica.peer)
        }
    }

    /// The trusted peer with this id (any accepted spelling) or name;
    /// ``ReplicationError/Code/unknownPeer`` when none.
    public func peer(_ idOrName: String) throws -> Peer {
        let all = try peers()
        if let id = NodeID(idOrName), let peer = all.first(where: { $0.nodeID == id }) { return peer }
        if let peer = all.first(where: { $0.name == idOrName }) { return peer }
        throw ReplicationError(.unknownPeer, "no trusted peer with id or name '\(idOrName)'")
    }

    /// Whether the node is this one or a trusted peer that is not revoked.
    public func isTrusted(_ nodeID: NodeID) throws -> Bool {
        if nodeID == self.nodeID { return true }
        return try pool.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM peers WHERE node_id = ?)
                    AND NOT EXISTS (SELECT 1 FROM revocations WHERE node_id = ?)
                    """,
                arguments: [nodeID.description, nodeID.description]
            )
                ?? false
        }
    }

    /// The peers this node accepts connections from and dials: trusted, not revoked.
    public func trustedPeers() throws -> [Peer] {
        try peers().filter { $0.revoked == nil }
    }

    /// Records what a peer holds, as it told us.
    public func recordKnowledge(of nodeID: NodeID, vector: VersionVector) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE peers SET known_vector = ? WHERE node_id = ?",
                arguments: [Replica.encodeVector(vector), nodeID.description]
            )
        }
    }

    /// Records the release a peer's hello named, and whether it announced that it reads
    /// persons (``Capabilities/personsFeature``).
    public func recordVersion(of nodeID: NodeID, release: String, readsPersons: Bool? = nil) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE peers SET peer_version = ?, reads_persons = coalesce(?, reads_persons) WHERE node_id = ?",
                arguments: [release, readsPersons, nodeID.description]
            )
        }
    }

    /// Records a successful exchange with a peer (and clears its last error).
    public func recordSync(with nodeID: NodeID, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE peers SET last_sync = ?, last_error = NULL, last_error_at = NULL WHERE node_id = ?",
                arguments: [Timestamp.format(date), nodeID.description]
            )
        }
    }

    /// Records a failed exchange with a peer.
    public func recordError(with nodeID: NodeID, message: String, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE peers SET last_error = ?, last_error_at = ? WHERE node_id = ?",
                arguments: [message, Timestamp.format(date), nodeID.description]
            )
        }
    }

    static func peer(_ row: Row) throws -> Peer {
        guard let id = NodeID(row["node_id"] as String) else {
            throw ReplicationError(.corrupt, "peers holds a malformed node id")
        }
        return Peer(
            nodeID: id,
            name: row["name"],
            address: row["address"],
            trustedAt: row["trusted_at"],
            knownVector: decodeVector(row["known_vector"]),
            lastSync: row["last_sync"],
            lastError: row["last_error"],
            version: row["peer_version"],
            role: NodeRole(rawValue: row["role"]) ?? .office,
            revoked: row["revoked"],
            rolledBackAt: row["rolled_back_at"],
            readsPersons: row.hasColumn("reads_persons") ? row["reads_persons"] : nil
        )
    }

    /// A vector as JSON: `{"NODE-ID": seq, ...}`, keys sorted.
    public static func encodeVector(_ vector: VersionVector) -> String {
        let body = vector.entries.sorted { $0.key.description < $1.key.description }
            .map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return "{\(body)}"
    }

    public static func decodeVector(_ text: String) -> VersionVector {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return VersionVector()
        }
        var vector = VersionVector()
        for (key, value) in object {
            if let id = NodeID(key), let seq = (value as? NSNumber)?.uint64Value { vector[id] = seq }
        }
        return vector
    }
}
