import Foundation
import Replication

/// What `nodectl check` found in a node's folder.
public struct FolderCheck: Sendable {
    /// One line per problem; empty when the folder is whole.
    public var problems: [String] = []
    /// What the check tidied on the way (damaged bytes set aside, temporary files removed):
    /// one line each, for the admin.
    public var actions: [String] = []
    /// Documents whose bytes were hashed.
    public var documentsVerified = 0
}

extension NodeHome {
    /// Checks the replica (``Replica/check()``) and, unless `quick`, every document's bytes
    /// against its digest. Damaged bytes are set aside in `blobs/damaged/` — the store no
    /// longer claims them, so the next sync fetches intact bytes from a peer — and named as a
    /// problem, as are bytes that are not here. Temporary files that no process is writing
    /// (left by a killed `document add` or a crash) are removed.
    public func check(quick: Bool) throws -> FolderCheck {
        var result = FolderCheck()
        result.problems = try replica.check()
        if let restoredAt = try replica.restoredAt() {
            result.actions.append(
                "this node was restored from an earlier copy of its folder (a restore, a copy, or a rollback a peer told of) at \(restoredAt): its writes carry a new origin since, and peers send back what it wrote after the copy was taken"
            )
        }
        for peer in try replica.peers() {
            guard let at = peer.rolledBackAt else { continue }
            result.actions.append(
                "peer \(peer.name ?? peer.nodeID.short) was rolled back (a VM snapshot or a copy put back in place): at \(at) it claimed less of its own history than this node holds; what it wrote again under numbers already used is held here (reason clone), the rest comes back to it"
            )
        }
        let removed = blobs.removeAbandonedTemporaryFiles()
        if !removed.isEmpty {
            let bytes = removed.reduce(Int64(0)) { $0 + $1.size }
            result.actions.append(
                "removed \(removed.count) temporary files (\(bytes) bytes) left by interrupted writes"
            )
        }
        guard !quick else { return result }
        for (digest, fileName) in try replica.documentFileNames() {
            let label = "document '\(fileName)' (\(digest.prefix(12)))"
            switch try blobs.state(of: digest) {
            case .intact:
                result.documentsVerified += 1
            case .missing:
                result.problems.append(
                    "\(label): its bytes are not here (not received yet, or deleted); sync fetches them from a peer"
                )
            case .damaged(let actual, let size):
                let aside = try blobs.setAside(digest)
                result.documentsVerified += 1
                result.problems.append(
                    "\(label): its bytes are damaged (\(size) bytes that hash to \(actual.prefix(12))); set aside in \(aside?.path ?? "blobs/damaged"), sync fetches them again from a peer"
                )
            }
        }
        return result
    }
}
