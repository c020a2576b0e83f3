import Crypto
import Foundation
import Logging
import Model
import Replication

/// A copy of a node's folder, taken while it ran: the replica file (SQLite's online backup, as
/// `nodectl backup` takes it) and what the oracle says that copy holds.
struct Backup {
    let file: URL
    let held: VersionVector
    let aside: [AsideChange]
    let origin: NodeID
    let preview: Bool
}

/// An incarnation some copy of a node began, as the oracle records it.
struct OracleIncarnation {
    let record: WriteID
    let node: NodeID
    let previousOrigin: NodeID
    let time: HybridTime
}

/// What the fleet does to nodes, beyond writing and syncing (docs/ARCHITECTURE.md, "Restores,
/// copies, backups and damaged bytes" and "The trust model"):
/// - a **backup** of a running node's folder;
/// - a **restore**: the node goes on from one of its earlier backups (`nodectl restore`,
///   `cp -a` of an old copy), a new file, so it begins a new incarnation: a new origin for
///   every write from then on, announced by an incarnation record; it holds what the backup
///   held and gets back from its peers what it wrote after the backup (what it wrote and sent
///   to no one is gone with its disk: the oracle forgets it);
/// - a **clone**: a copy of a running node's folder starts on a second machine while the first
///   goes on; the copy begins a new incarnation, both write, nothing either writes is lost, and
///   every node that holds the original's writes after the copy began names the node a clone;
/// - a **revocation**: an office revokes another node, with a signed record that replicates;
///   every node that holds it holds the revoked node's changes numbered beyond what the office
///   held of it (taking back out of its folder those it had applied), and the revoked node,
///   once it holds it, writes nothing more.
///
/// Every node is an office that trusts every other as an office; a signature is the SHA-256 of
/// the signer's stand-in certificate and the payload (the engine only asks a verifier).
extension Simulation {
    /// The logger every simulated replica opens with: silent (a run restores and copies nodes
    /// by the hundred, each a notice).
    static let quiet = Logger(label: "nextsoft.simulation") { _ in SwiftLogNoOpLogHandler() }

    /// The verifier every simulated replica opens with.
    static let signatures = SignatureVerifier(name: "simulation") { payload, certificate, signature in
        signature == Simulation.sign(payload, certificate)
    }

    static func sign(_ payload: [UInt8], _ certificate: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: certificate + payload))
    }

    /// Each node trusts every other node as an office.
    func trustEveryOffice() throws {
        for n in nodes.indices {
            for other in nodes.indices where other != n {
                try replica(n).addPeer(nodes[other].id, name: "node \(other)", address: nil, role: .office)
            }
        }
    }

    func fleetEvent(_ n: Int) throws {
        switch random.weighted([25, 40, 12, 18]) {
        case 0: try takeBackup(n)
        case 1: try restore(n)
        case 2: try cloneNode(n)
        default: try revokeNode(by: n)
        }
    }

    /// Copies node `n`'s folder while it runs.
    func takeBackup(_ n: Int) throws {
        let file = nodes[n].directory.deletingLastPathComponent()
            .appendingPathComponent("backup-\(n)-\(nodes[n].backups.count).sqlite")
        _ = try replica(n).backup(to: file)
        nodes[n].backups.append(
            Backup(
                file: file,
                held: nodes[n].held,
                aside: nodes[n].aside,
                origin: nodes[n].origin,
                preview: nodes[n].preview
            )
        )
        stats.backups += 1
        note("backup of n\(n), holding \(nodes[n].held)")
    }

    /// Node `n` goes on from one of its earlier backups, put in place of its folder.
    func restore(_ chosen: Int) throws {
        let candidates = nodes.indices.filter { !nodes[$0].backups.isEmpty }
        let n = candidates.contains(chosen) ? chosen : random.element(of: candidates) ?? chosen
        guard let backup = random.element(of: nodes[n].backups) else { return try takeBackup(n) }
        note("n\(n) restored from its backup holding \(backup.held)")
        nodes[n].replica = nil
        try FileManager.default.removeItem(at: nodes[n].directory)
        try FileManager.default.createDirectory(at: nodes[n].directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: backup.file,
            to: nodes[n].directory.appendingPathComponent(Replica.fileName)
        )
        nodes[n].preview = backup.preview
        try beginIncarnation(n, from: backup, label: "restored")
        stats.restores += 1
        // What it wrote after the backup and sent to no one is gone with its disk.
        let parked = nodes.flatMap { $0.aside.filter { $0.reason == .outOfOrder }.map(\.change.id) }
        stats.lostInRestores += oracle.forgetAllBut(nodes.map(\.held), parked: parked)
    }

    /// A copy of node `n`'s folder starts on another machine, as a node of its own in the
    /// simulation, while `n` goes on.
    func cloneNode(_ n: Int) throws {
        guard nodes.count < 9 else { return try takeBackup(n) }
        let index = nodes.count
        let directory = nodes[n].directory.deletingLastPathComponent().appendingPathComponent("node-\(index)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = try replica(n).backup(to: directory.appendingPathComponent(Replica.fileName))
        let skew = Int(SimulatedTime.maximumSkew)
        var copy = nodes[n]
        copy = Node(
            id: copy.id,
            origin: copy.origin,
            certificate: copy.certificate,
            directory: directory,
            clock: NodeClock(time: time, skew: Int64(random.int(-skew...skew))),
            replica: nil,
            held: copy.held,
            pastVectors: [],
            preview: copy.preview,
            aside: copy.aside
        )
        nodes.append(copy)
        note("n\(index) is a copy of n\(n)'s folder, running beside it")
        let backup = Backup(
            file: directory,
            held: copy.held,
            aside: copy.aside,
            origin: copy.origin,
            preview: copy.preview
        )
        try beginIncarnation(index, from: backup, label: "restored")
        stats.clones += 1
    }

    /// Opens node `n`'s replica from a copy that held what `backup` says: it must begin a new
    /// incarnation, whose record is its only change beyond the copy's, under a new origin.
    private func beginIncarnation(_ n: Int, from backup: Backup, label: String) throws {
        let replica = try openReplica(n)
        nodes[n].replica = replica
        let origin = replica.origin
        check(origin != backup.origin, "n\(n) opened from a copy but still writes as \(origin)")
        check(replica.nodeID == nodes[n].id, "n\(n) opened from a copy as node \(replica.nodeID)")
        check(try replica.restoredAt() != nil, "n\(n) opened from a copy and does not say it was restored")
        let changes = try replica.nextBatch(after: backup.held, maxChanges: 100)?.changes ?? []
        guard changes.count == 1, let change = changes.first, change.origin == origin, change.seq == 1,
            change.entity == .incarnation, change.operation == .record
        else {
            problem(
                "n\(n) opened from a copy holding \(backup.held) with changes \(changes.map(\.id)), expected one incarnation record"
            )
            return
        }
        let record = (try? JSONSerialization.jsonObject(with: Data((change.value ?? "").utf8))) as? [String: Any]
        check(
            record?["node"] as? String == nodes[n].id.description
                && record?["origin"] as? String == origin.description
                && record?["previousOrigin"] as? String == backup.origin.description
                && record?["reason"] as? String == label,
            "n\(n)'s incarnation record is \(quoted(change.value))"
        )
        oracle.recordIncarnation(origin, of: nodes[n].id)
        oracle.record(OracleWrite(change, context: backup.held))
        incarnations.append(
            OracleIncarnation(record: change.id, node: nodes[n].id, previousOrigin: backup.origin, time: change.time)
        )
        var held = backup.held
        held[origin] = 1
        nodes[n].held = held
        nodes[n].origin = origin
        // What peers sent under the earlier origin while it was the node's own is a peer's now:
        // it comes back with the next sync.
        nodes[n].aside = backup.aside.filter { !($0.reason == .ownOrigin && $0.change.origin == backup.origin) }
        remember(n)
        let vector = try replica.versionVector()
        check(vector == held, "n\(n) opened from a copy holding \(vector), expected \(held)")
        try checkHeld(n)
    }

    /// Office `n` revokes another node (never one that revoked, nor one revoked already); the
    /// revocation names how far `n` holds each of the node's origins.
    func revokeNode(by n: Int) throws {
        let revoker = nodes[n].id
        guard !revokedNodes.contains(revoker), !holding(n).knowsRevoked(revoker) else { return }
        let candidates = Set(nodes.map(\.id)).subtracting(revokers).subtracting(revokedNodes).subtracting([revoker])
        guard let target = random.element(of: candidates.sorted()) else { return }
        var seen = VersionVector()
        for origin in oracle.origins(of: target) where nodes[n].held[origin] > 0 {
            seen[origin] = nodes[n].held[origin]
        }
        let certificate = nodes[n].certificate
        let signer = RevocationSigner(certificate: certificate) { Simulation.sign($0, certificate) }
        let revocation = try local(
            n,
            "revoke \(target.short)",
            refusal: nil,
            expecting: { (revocation: Revocation) in
                [ExpectedChange(.revocation, EntityID(revocation.id) ?? unknownID(), "", .record, nil, [])]
            },
            { try $0.revoke(target, reason: "stolen", signer: signer) }
        )
        guard let revocation else { return }
        check(revocation.seen == seen, "n\(n) revoked \(target.short) having seen \(revocation.seen), expected \(seen)")
        let record = WriteID(origin: nodes[n].origin, seq: nodes[n].held[nodes[n].origin])
        oracle.record(OracleRevocation(record: record, node: target, seen: seen))
        revokers.insert(revoker)
        revokedNodes.insert(target)
        stats.revocations += 1
    }

    /// The nodes every node must name clones once it holds every change, with how many changes
    /// show it: those an earlier origin of which wrote (by its clock) after an applied
    /// incarnation record of a copy of the node began.
    func expectedClones() -> [NodeID: Int] {
        let all = oracle.holding(oracle.everything, preview: false)
        var expected: [NodeID: Int] = [:]
        for incarnation in incarnations {
            guard let write = oracle.write(incarnation.record), all.applies(write) else { continue }
            let later = oracle.writes.filter {
                $0.id.origin == incarnation.previousOrigin && $0.time > incarnation.time
                    && oracle.everything.contains($0.id)
            }
            if !later.isEmpty { expected[incarnation.node, default: 0] += later.count }
        }
        return expected
    }

    /// After the full exchange: every node names the same clones, exactly the nodes an
    /// earlier origin of which wrote (by its clock) after an applied incarnation record of a copy
    /// began, with how many such changes; and counts the restores that are named so (a restored
    /// node whose clock reads earlier than its writes after the backup: the evidence is by clock).
    func checkClones() throws {
        let expected = expectedClones()
        let want = expected.sorted { $0.key.description < $1.key.description }.map { "\($0.key.short):\($0.value)" }
        for n in nodes.indices {
            let have = try replica(n).clones().map { "\($0.node.short):\($0.changes)" }
            check(have == want, "n\(n) names clones \(have), expected \(want)")
        }
        let cloned = Set(
            nodes.indices.filter { index in nodes.indices.contains { $0 < index && nodes[$0].id == nodes[index].id } }
                .map { nodes[$0].id }
        )
        stats.restoresNamedClones = expected.keys.filter { !cloned.contains($0) }.count
        stats.clonesNamed = expected.keys.filter(cloned.contains).count
    }
}
