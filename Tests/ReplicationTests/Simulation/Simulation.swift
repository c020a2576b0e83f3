import Foundation
import Logging
import Model
import Replication

/// One seeded run of the replication engine: several replicas, random folder writes, random
/// lossy exchanges, restarts; then a full exchange and the checks.
///
/// Every local write and every delivery is checked against the ``Oracle`` as it happens; a run
/// stops at the first step with a problem and throws a ``SimulationFailure`` naming the seed.
/// Deterministic: everything random comes from ``SeededRandom`` and every clock from
/// ``SimulatedTime``, so a seed replays exactly.
final class Simulation {
    struct Node {
        let id: NodeID
        /// The origin its writes carry now: its id, or that of its latest incarnation (after a
        /// restore, or as a copy of another node's folder).
        var origin: NodeID
        /// Its stand-in certificate: its id is the certificate's digest, as a real node's is.
        let certificate: [UInt8]
        let directory: URL
        let clock: NodeClock
        var replica: Replica?
        /// What the oracle says the replica holds in its log.
        var held: VersionVector
        /// Earlier values of `held`, for exchanges from a stale view of the receiver.
        var pastVectors: [VersionVector]
        /// Whether it runs the next release (``FolderSchema/preview``) rather than the standard one.
        var preview: Bool
        /// What the oracle says it keeps aside, outside the log (see ``Reception``).
        var aside: [AsideChange] = []
        /// Copies of its folder taken while it ran, oldest first (see ``Simulation+Fleet``).
        var backups: [Backup] = []

        var schema: FolderSchema { preview ? .preview : .standard }
    }

    let seed: UInt64
    var random: SeededRandom
    let time = SimulatedTime()
    var nodes: [Node] = []
    var oracle = Oracle()
    var stats = SimulationStats()
    /// Whether some node started on the preview release (only then are there preview writes
    /// and upgrades).
    private(set) var previewRelease = false
    /// The forged changes a relay made that take a place in the log, and why every node must
    /// then hold them (the others are kept aside, as ``Reception`` derives).
    var forgeries: [Change: HeldReason] = [:]
    /// The incarnations copies of nodes began (see ``Simulation+Fleet``).
    var incarnations: [OracleIncarnation] = []
    /// The nodes that revoked another, and the nodes revoked: never the same.
    var revokers: Set<NodeID> = []
    var revokedNodes: Set<NodeID> = []
    private(set) var step = 0
    private var log: [String] = []
    private var problems: [String] = []
    private let root: URL

    /// Runs seed `seed` from start to finish; returns what it did and node 0's final tables.
    static func run(seed: UInt64) throws -> SimulationResult {
        let simulation = Simulation(seed: seed)
        defer { simulation.tearDown() }
        do {
            try simulation.play()
        } catch let failure as SimulationFailure {
            throw failure
        } catch {
            throw simulation.failure(["unexpected error: \(error)"])
        }
        let tables = try PlainTables.readAll(try simulation.replica(0), preview: simulation.nodes[0].preview)
        return SimulationResult(stats: simulation.stats, tables: tables)
    }

    private init(seed: UInt64) {
        self.seed = seed
        random = SeededRandom(seed: seed)
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("nextsoft-simulation-\(seed)-\(UUID().uuidString)")
    }

    /// Leaves the nodes' folders in place (and prints where) when `SIMULATION_KEEP` is set, to
    /// read a failed run's replicas with `sqlite3`.
    private func tearDown() {
        nodes.removeAll()
        if ProcessInfo.processInfo.environment["SIMULATION_KEEP"] != nil {
            print("simulation seed \(seed) kept its folders in \(root.path)")
            return
        }
        try? FileManager.default.removeItem(at: root)
    }

    private func play() throws {
        time.advance(by: UInt64(random.int(0...86_400_000)))
        let skew = Int(SimulatedTime.maximumSkew)
        // 3 to 7 replicas, fewer more often: the full exchange at the end costs the most and
        // grows with the number of replicas. In some seeds one or two of them run the next
        // release, whose writes the others must hold and forward.
        let count = 3 + random.weighted([30, 25, 20, 15, 10])
        let previews = random.chance(0.5) ? random.sample(Array(0..<count), count: random.chance(0.5) ? 1 : 2) : []
        previewRelease = !previews.isEmpty
        for index in 0..<count {
            let certificate = (0..<48).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let id = NodeID(certificateDER: certificate)
            let clock = NodeClock(time: time, skew: Int64(random.int(-skew...skew)))
            let directory = root.appendingPathComponent("node-\(index)")
            let preview = previews.contains(index)
            let replica = try Replica.create(
                at: directory,
                nodeID: id,
                name: "node \(index)",
                schema: preview ? .preview : .standard,
                wallClock: clock.reading,
                signatures: Self.signatures,
                logger: Self.quiet
            )
            nodes.append(
                Node(
                    id: id,
                    origin: id,
                    certificate: certificate,
                    directory: directory,
                    clock: clock,
                    replica: replica,
                    held: VersionVector(),
                    pastVectors: [],
                    preview: preview
                )
            )
        }
        try trustEveryOffice()
        stats.replicas = nodes.count
        stats.previewReplicas = previews.count
        for _ in 0..<random.int(25...70) {
            step += 1
            stats.operations += 1
            time.advance(by: random.chance(0.25) ? 0 : UInt64(random.int(1...4000)))
            try randomOperation()
            try endStep()
        }
        step += 1
        note("full exchange")
        try syncEverything()
        note("acknowledgements all round")
        try acknowledgeEverything()
        try endStep()
        try finalCheck()
        try endStep()
    }

    private func randomOperation() throws {
        let n = random.int(0...(nodes.count - 1))
        let weights = [10, 6, 22, 8, 12, 5, 5, 4, 8, 18, 2, 3, 3, previewRelease ? 9 : 0, 5, 3, 5, 3, 3, 5, 2, 4]
        switch random.weighted(weights) {
        case 0: try createCustomer(n)
        case 1: try createContact(n)
        case 2: try editRandomField(n)
        case 3: try concurrentEdit()
        case 4: try editRandomSet(n)
        case 5: try concurrentAddRemove()
        case 6: try addJournalEntry(n)
        case 7: try addDocument(n)
        case 8: try resolveConflict(n)
        case 9: try exchange()
        case 10: try reopen(n)
        case 11: try refusedWrite(n)
        case 12: try spotCheck(n)
        case 13: try previewWrite(n)
        case 14: try hostileExchange()
        case 15: jumpClock(n)
        case 16: try fleetEvent(n)
        case 17: try removeOrRestore(n)
        case 18: try concurrentRemovalAndEdit()
        case 19: try mergeCustomers(n)
        case 20: try concurrentOppositeMerges()
        default: try writeToDuplicate(n)
        }
    }

    /// Sets node `n`'s wall clock wrong — up to 20 minutes fast or slow, twice the drift bound —
    /// or right again: no stamp may make a node refuse a batch, and every node converges.
    func jumpClock(_ n: Int) {
        let minutes = SimulatedTime.maximumJump / 60_000
        let skew = random.chance(0.25) ? 0 : Int64(random.int(-Int(minutes)...Int(minutes))) * 60_000
        nodes[n].clock.setSkew(skew)
        stats.clockJumps += 1
        note("n\(n)'s wall clock is now \(skew / 60_000) minutes off")
    }

    // MARK: Nodes

    func replica(_ n: Int) throws -> Replica {
        guard let replica = nodes[n].replica else { throw failure(["node \(n) has no open replica"]) }
        return replica
    }

    /// Opens node `n`'s replica from its folder, as its release, clock and verifier say.
    func openReplica(_ n: Int) throws -> Replica {
        try Replica.open(
            at: nodes[n].directory,
            schema: nodes[n].schema,
            wallClock: nodes[n].clock.reading,
            signatures: Self.signatures,
            logger: Self.quiet
        )
    }

    /// What node `n` holds, as the oracle's queries take it.
    func holding(_ n: Int) -> Holding { oracle.holding(nodes[n].held, preview: nodes[n].preview) }

    /// Records that node `n` now holds `held`.
    func remember(_ n: Int) {
        nodes[n].pastVectors.append(nodes[n].held)
        if nodes[n].pastVectors.count > 12 { nodes[n].pastVectors.removeFirst() }
    }

    /// Drops node `n`'s replica and opens it again from its file, as after a crash; sometimes
    /// with its wall clock set back while it was down; in a seed with the preview release,
    /// sometimes (always, when `upgrading`) upgraded to it (see ``upgraded(_:before:)``).
    func reopen(_ n: Int, upgrading: Bool = false) throws {
        var label = "reopen n\(n)"
        if random.chance(0.5) {
            let back = Int64(random.int(1_000...180_000))
            nodes[n].clock.setSkew(max(-SimulatedTime.maximumJump, nodes[n].clock.currentSkew - back))
            stats.clocksSetBack += 1
            label += " with its wall clock set back \(back) ms"
        }
        let upgrade = previewRelease && !nodes[n].preview && (upgrading || random.chance(0.35))
        if upgrade { label += ", upgraded to the preview release" }
        note(label)
        let (conflicts, tables) = try snapshot(n)
        let shared = upgrade ? try PlainTables.read(try replica(n), preview: false) : []
        nodes[n].replica = nil
        nodes[n].preview = nodes[n].preview || upgrade
        let reopened = try openReplica(n)
        nodes[n].replica = reopened
        stats.reopens += 1
        check(reopened.nodeID == nodes[n].id, "n\(n) reopened as node \(reopened.nodeID)")
        let vector = try reopened.versionVector()
        check(vector == nodes[n].held, "n\(n) reopened holding \(vector), expected \(nodes[n].held)")
        if upgrade {
            try upgraded(n, before: shared)
        } else {
            check(try reopened.conflicts() == conflicts, "n\(n) reopened with other conflicts")
            check(
                try PlainTables.readAll(reopened, preview: nodes[n].preview) == tables,
                "n\(n) reopened with other tables"
            )
        }
        try checkHeld(n)
    }

    private func snapshot(_ n: Int) throws -> ([Conflict], [PlainTable]) {
        let replica = try replica(n)
        return (try replica.conflicts(), try PlainTables.readAll(replica, preview: nodes[n].preview))
    }

    // MARK: Problems

    /// How many of the last operations a failure shows: `SIMULATION_LOG` (30 when unset).
    static let logLines = ProcessInfo.processInfo.environment["SIMULATION_LOG"].flatMap { Int($0) } ?? 30

    func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { problems.append(message()) }
    }

    func problem(_ message: String) { problems.append(message) }

    var hasProblems: Bool { !problems.isEmpty }

    func note(_ text: String) { log.append("[\(step)] \(text)") }

    private func endStep() throws {
        if !problems.isEmpty { throw failure(problems) }
    }

    func failure(_ problems: [String]) -> SimulationFailure {
        SimulationFailure(
            seed: seed,
            step: step,
            problems: problems,
            recent: Array(log.suffix(Self.logLines)),
            writes: writesNamed(in: problems.prefix(3).joined(separator: " "))
        )
    }

    /// The oracle's writes of the entities a text names, one line each, for a failure's report.
    private func writesNamed(in text: String) -> [String] {
        let pattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
        var seen: Set<String> = []
        var lines: [String] = []
        for match in text.matches(of: pattern) where seen.insert(String(match.output)).inserted {
            guard let id = EntityID(String(match.output)) else { continue }
            for write in oracle.writes(ofEntity: id).prefix(12) {
                let holders = nodes.indices.filter { nodes[$0].held.contains(write.id) }
                let applied = nodes.indices.filter { holding($0).applies(write) }
                lines.append(
                    "\(write.id) \(write.entity.name) \(id)/\(write.field) \(write.operation) \(quoted(write.value)) at \(write.time), held by \(holders), applied by \(applied)"
                )
            }
        }
        for revocation in oracle.revocations {
            let holders = nodes.indices.filter { nodes[$0].held.contains(revocation.record) }
            lines.append(
                "revocation \(revocation.record) of \(revocation.node.short) after \(revocation.seen), held by \(holders)"
            )
        }
        return lines
    }
}

/// What a run did, and node 0's final plain tables (for the replay test).
struct SimulationResult: Equatable {
    let stats: SimulationStats
    let tables: [PlainTable]
}

/// A failed run: the seed to replay, what went wrong, and the operations just before.
struct SimulationFailure: Error, CustomStringConvertible {
    let seed: UInt64
    let step: Int
    let problems: [String]
    let recent: [String]
    /// The oracle's writes of the entities the problems name.
    var writes: [String] = []

    var description: String {
        "simulation seed \(seed) failed at step \(step); replay with SIMULATION_SEED=\(seed) swift test --filter SimulationTests/seed\n"
            + problems.prefix(12).map { "  - \($0)" }.joined(separator: "\n")
            + (writes.isEmpty
                ? "" : "\nwrites of the entities named:\n" + writes.map { "    \($0)" }.joined(separator: "\n"))
            + "\nlast operations:\n" + recent.map { "    \($0)" }.joined(separator: "\n")
    }
}
