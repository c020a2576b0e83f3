import Foundation
import GRDB
import Model

/// An office's revocation of a node, as this replica holds it.
public struct Revocation: Sendable, Hashable {
    /// The record's entity id.
    public let id: String
    /// The revoked node.
    public let node: NodeID
    public let reason: String
    public let revokedAt: String
    /// The office that revoked it (and signed the record).
    public let revokedBy: NodeID
    /// How far the office held each of the revoked node's origins: the revoked node's changes
    /// beyond it are held on every node.
    public let seen: VersionVector
}

/// Signs with this node's identity key: its certificate (DER) and a signing function.
public struct RevocationSigner: Sendable {
    public let certificate: [UInt8]
    public let sign: @Sendable ([UInt8]) throws -> [UInt8]

    public init(certificate: [UInt8], sign: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
        self.certificate = certificate
        self.sign = sign
    }
}

extension Replica {
    /// The revocations this replica applied (those in force here), oldest first.
    public func revocations() throws -> [Revocation] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revocations ORDER BY revoked_at, id").compactMap { row in
                guard let node = NodeID(row["node_id"] as String), let by = NodeID(row["revoked_by"] as String) else {
                    return nil
                }
                return Revocation(
                    id: row["id"],
                    node: node,
                    reason: row["reason"],
                    revokedAt: row["revoked_at"],
                    revokedBy: by,
                    seen: Replica.decodeVector(row["seen"])
                )
            }
        }
    }

    /// Revokes `node` for the fleet: writes a revocation signed by this node, which
    /// replicates. From then on every node that holds it (and trusts this office) refuses
    /// the node's connections and holds its changes numbered beyond what this node holds of
    /// it now. Refused on a laptop (``ReplicationError/Code/notAnOffice``), for this node
    /// itself, and for a node revoked already. Returns the revocation.
    @discardableResult
    public func revoke(
        _ node: NodeID,
        reason: String,
        signer: RevocationSigner,
        as person: String? = nil
    ) throws -> Revocation {
        guard try role() == .office else {
            throw ReplicationError(
                .notAnOffice,
                "this node is a laptop: only an office can revoke a node for the fleet (run 'nodectl peer revoke' on an office)"
            )
        }
        guard node != nodeID else { throw ReplicationError(.invalidValue, "a node cannot revoke itself") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ReplicationError(.invalidValue, "a revocation needs a reason (--reason)") }
        guard reason.utf8.count <= FieldRule.maximumValueBytes else {
            throw ReplicationError(.invalidValue, "the reason is over \(FieldRule.maximumValueBytes) bytes")
        }
        guard NodeID(certificateDER: signer.certificate) == nodeID else {
            throw ReplicationError(.invalidValue, "the signing certificate is not this node's")
        }
        if let earlier = try revocations().first(where: { $0.node == node }) {
            throw ReplicationError(
                .revoked,
                "node \(node.short) was revoked already, at \(earlier.revokedAt) by office \(earlier.revokedBy.short)"
            )
        }
        return try write(as: person) { writer in
            var seen = VersionVector()
            let vector = writer.ledger.vector
            for origin in try Replica.origins(of: node, writer.db) where vector[origin] > 0 {
                seen[origin] = vector[origin]
            }
            let revokedAt = Timestamp.format(
                Date(timeIntervalSince1970: TimeInterval(writer.ledger.wallClock()) / 1000)
            )
            let seenText = Replica.encodeVector(seen)
            let payload = RevocationRecord.signedBytes(
                node: node.description,
                reason: reason,
                revokedAt: revokedAt,
                revokedBy: nodeID.description,
                seen: seenText
            )
            let record = RevocationRecord(
                node: node.description,
                reason: reason,
                revokedAt: revokedAt,
                revokedBy: nodeID.description,
                seen: seenText,
                certificate: Data(signer.certificate).base64EncodedString(),
                signature: Data(try signer.sign(payload)).base64EncodedString()
            )
            let id = writer.ledger.newEntityID()
            try writer.append(.revocation, id, "", .record, try RecordJSON.encode(record), [])
            guard writer.ledger.revoked(node) != nil else {
                throw ReplicationError(
                    .invalidValue,
                    "the revocation of node \(node.short) did not take effect here (its signature did not verify)"
                )
            }
            return Revocation(
                id: id.description,
                node: node,
                reason: reason,
                revokedAt: revokedAt,
                revokedBy: nodeID,
                seen: seen
            )
        }
    }

    /// The origins `node` wrote under, as far as this replica knows: its id and the origins
    /// of its incarnations (applied or held).
    static func origins(of node: NodeID, _ db: Database) throws -> [NodeID] {
        var origins: Set<NodeID> = [node]
        for text in try String.fetchAll(
            db,
            sql: "SELECT origin FROM incarnations WHERE node_id = ?",
            arguments: [node.description]
        ) {
            if let origin = NodeID(text) { origins.insert(origin) }
        }
        for row in try Row.fetchAll(
            db,
            sql: "SELECT origin, value FROM held_changes WHERE entity = 'incarnation'"
        ) where RevokedOrigins.incarnationNode(row["value"]) == node {
            if let origin = NodeID(row["origin"] as String) { origins.insert(origin) }
        }
        return origins.sorted()
    }

    /// Applies the revocations held as unverified that this node now takes on trust (it
    /// trusts their signer as an office since).
    func applyVerifiedRevocations() throws {
        let waiting = try pool.read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT count(*) FROM held_changes h WHERE reason = 'unverified' AND change IS NOT NULL AND \(Replica.undropped)"
            ) ?? 0
        }
        guard waiting > 0 else { return }
        try pool.write { db in
            var ledger = try self.ledger(db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, o.node_id FROM held_changes h
                    JOIN changes c ON c.local_order = h.change JOIN origins o ON o.id = c.origin
                    WHERE h.reason = 'unverified' AND \(Replica.undropped)
                    ORDER BY c.local_order
                    """
            )
            for row in rows {
                guard let origin = NodeID(row["node_id"] as String) else { continue }
                let change = try Replica.decodeChange(row, origin: origin, nodes: ledger.originNodeMap, schema: schema)
                if let hold = try ledger.applyHeld(change, row: row["local_order"], force: false) {
                    try db.execute(
                        sql: "UPDATE held_changes SET reason = ?, detail = ? WHERE change = ?",
                        arguments: [hold.reason.rawValue, hold.detail, row["local_order"] as Int64]
                    )
                }
            }
            try ledger.saveState()
        }
    }
}
