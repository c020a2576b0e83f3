import Foundation
import GRDB
import Model

/// How the ledger keeps a revoked node's later changes out of the folder, and which
/// revocations it takes on trust.
extension Ledger {
    /// The hold of a change a revoked node made after `revocation`.
    func revokedHold(_ change: Change, _ revocation: RevokedOrigins.Entry) -> Hold {
        Hold(
            .revoked,
            "node \(revocation.node.short) was revoked at \(revocation.revokedAt) by office \(revocation.revokedBy.short) (\(revocation.reason)); change \(change.id) was made after that and applies only if an office accepts it"
        )
    }

    /// Why this node does not take a revocation on trust, or `nil` when it does: its
    /// certificate must be its signer's, its signature must verify, and its signer must be
    /// this node (an office) or a peer this node trusts as an office, not revoked itself.
    func authorityHold(_ change: Change, _ object: [String: Any]) throws -> Hold? {
        let what = "revocation \(change.entityID)"
        guard let record = RevocationRecord(object), let revoked = NodeID(record.node),
            let revoker = NodeID(record.revokedBy),
            let certificate = Data(base64Encoded: record.certificate),
            let signature = Data(base64Encoded: record.signature)
        else { return Hold(.forged, "\(what) is malformed (a node id, the certificate or the signature)") }
        guard NodeID(certificateDER: certificate) == revoker else {
            return Hold(.forged, "\(what): the certificate it carries is not that of node \(revoker.short), its signer")
        }
        guard signatures.checks else {
            return Hold(.unverified, "\(what) of node \(revoked.short): this replica checks no signatures")
        }
        guard signatures.verify(record.signedBytes, Array(certificate), Array(signature)) else {
            return Hold(
                .forged,
                "\(what) of node \(revoked.short): the signature of node \(revoker.short) does not verify"
            )
        }
        if revoker == local, role == .office { return nil }
        let trustedAs = try String.fetchOne(
            db,
            sql: "SELECT role FROM peers WHERE node_id = ?",
            arguments: [revoker.description]
        )
        guard trustedAs == NodeRole.office.rawValue, self.revoked(revoker) == nil else {
            return Hold(
                .unverified,
                "\(what) of node \(revoked.short) is signed by node \(revoker.short), which this node does not trust as an office; trust it ('nodectl peer add \(revoker) --role office') or accept the revocation"
            )
        }
        return nil
    }

    /// Whether `node` is revoked here.
    func revoked(_ node: NodeID) -> RevokedOrigins.Entry? { revokedOrigins.revoked(node) }

    /// Puts a revocation just applied in force: the revoked node's changes this replica
    /// applied beyond what the revocation saw are taken back out of the folder and held.
    mutating func enforce(revocation object: [String: Any]) throws {
        guard let record = RevocationRecord(object), let node = NodeID(record.node),
            let by = NodeID(record.revokedBy)
        else { return }
        let entry = RevokedOrigins.Entry(
            node: node,
            seen: Replica.decodeVector(record.seen),
            revokedAt: record.revokedAt,
            revokedBy: by,
            reason: record.reason
        )
        try addRevocation(entry)
        var taken: [(change: Change, row: Int64)] = []
        for origin in revokedOrigins.origins(of: node) {
            guard let row = originRow(ifKnown: origin), let after = Int64(exactly: entry.seen[origin]) else { continue }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM changes c WHERE origin = ? AND seq > ?
                    AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)
                    ORDER BY seq
                    """,
                arguments: [row, after]
            )
            for stored in rows {
                taken.append(
                    (
                        try Replica.decodeChange(stored, origin: origin, nodes: originNodeMap, schema: schema),
                        stored["local_order"]
                    )
                )
            }
        }
        // A merged customer whose row the retraction drops takes its contacts out of the folder,
        // and the search row, of the customer it was merged into: note that one for the index.
        let customers = Set(taken.filter { $0.change.entity == .customer }.map(\.change.entityID.description))
        var folders: [String] = []
        for id in customers.sorted() {
            if let into = try String.fetchOne(
                db,
                sql: "SELECT merged_into FROM customers WHERE id = ?",
                arguments: [id]
            ) {
                folders.append(into)
            }
        }
        try Retraction(db: db, schema: schema).retract(taken, { revokedHold($0, entry) }, at: wallClock())
        for id in folders {
            try db.run(sql: "INSERT OR IGNORE INTO customer_search_pending (customer_id) VALUES (?)", arguments: [id])
        }
        // The rows it dropped are made anew if a later change of this transaction writes them.
        forgetMaterializedRows()
        // A merge taken back, or a customer whose row it dropped (a merge naming it is no longer
        // in force), changes where folders show.
        if taken.contains(where: { $0.change.entity == .customerMerge || $0.change.entity == .customer }) {
            try CustomerMerges.resolve(db)
        }
    }
}
