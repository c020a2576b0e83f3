import Model
import Replication

/// Exchanges between simulated replicas: batches cut small, then duplicated, reordered and
/// dropped on the way, as an unreliable network or a pile of offline bundles would deliver them.
extension Simulation {
    /// One random exchange between two nodes, from the receiver's current or a stale vector,
    /// cut into small batches of which only the first few may be sent.
    func exchange() throws {
        let pair = random.sample(Array(nodes.indices), count: 2)
        let (source, target) = (pair[0], pair[1])
        let start =
            random.chance(0.2)
            ? random.element(of: nodes[target].pastVectors) ?? nodes[target].held : nodes[target].held
        let maxChanges = random.int(1...4)
        var batches: [ChangeBatch] = []
        var known = start
        let limit = random.int(1...10)
        while batches.count < limit, let batch = try replica(source).nextBatch(after: known, maxChanges: maxChanges) {
            checkBatch(batch, from: source, known: known, maxChanges: maxChanges)
            batches.append(batch)
            known = known.advanced(by: batch)
        }
        if batches.count < limit {
            check(
                known.dominates(nodes[source].held),
                "n\(source) stopped sending to \(known) though it holds \(nodes[source].held)"
            )
        }
        stats.batchesSent += batches.count
        var delivered = batches
        if random.chance(0.3) {
            for _ in 0..<random.int(1...3) {
                if let copy = random.element(of: batches) {
                    delivered.insert(copy, at: random.int(0...delivered.count))
                }
            }
        }
        if random.chance(0.3) { delivered.shuffle(using: &random) }
        if random.chance(0.25), !delivered.isEmpty { delivered.remove(at: random.int(0...(delivered.count - 1))) }
        let together = random.chance(0.3)
        note(
            "n\(source) → n\(target): \(batches.count) batches of ≤\(maxChanges) after \(start), \(delivered.count) delivered\(together ? " in one apply" : "")"
        )
        if together {
            try deliver(delivered, to: target, from: source)
        } else {
            for batch in delivered where !hasProblems { try deliver([batch], to: target, from: source) }
        }
        // As a finished session would: the source's hello said what it knows the fleet holds. Also
        // after a cut or lossy exchange, which a real session would not record: harsher.
        if random.chance(0.4), !hasProblems { try acknowledge(from: source, to: target) }
    }

    /// `source` tells `target` what it knows the fleet holds, as its hello does; `target` may
    /// then reclaim removed set elements' rows. Nothing a folder shows may change: the oracle,
    /// which knows nothing of reclamation, checks that at every step.
    func acknowledge(from source: Int, to target: Int) throws {
        let reclaimed = try replica(target).receiveAcknowledgements(try replica(source).acknowledgementsToSend())
        stats.acknowledgements += 1
        stats.reclaimed += reclaimed
        if reclaimed > 0 {
            note("n\(source) → n\(target): acknowledgements; \(reclaimed) removed elements' rows reclaimed")
        }
    }

    /// After the full exchange: two rounds of acknowledgements through node 0, so every node
    /// hears every other's.
    func acknowledgeEverything() throws {
        for _ in 0..<2 {
            for n in nodes.indices.dropFirst() where !hasProblems { try acknowledge(from: n, to: 0) }
            for n in nodes.indices.dropFirst() where !hasProblems { try acknowledge(from: 0, to: n) }
        }
    }

    /// Checks a batch against what the engine guarantees: based on what the receiver holds,
    /// small enough, made of changes the sender holds exactly as they were written, and
    /// causal: each change's writer had seen only the base and the batch's earlier changes.
    func checkBatch(_ batch: ChangeBatch, from source: Int, known: VersionVector, maxChanges: Int) {
        check(batch.base == known, "n\(source) sent a batch based on \(batch.base), asked after \(known)")
        check(
            !batch.changes.isEmpty && batch.changes.count <= maxChanges,
            "n\(source) sent \(batch.changes.count) changes, at most \(maxChanges) asked"
        )
        var covered = known
        for change in batch.changes {
            guard let write = oracle.write(change.id) else {
                problem("n\(source) sent change \(change.id), which nobody wrote")
                continue
            }
            if let mismatch = write.mismatch(change) { problem("n\(source) sent a changed write: \(mismatch)") }
            check(nodes[source].held.contains(change.id), "n\(source) sent \(change.id), which it does not hold")
            check(
                change.seq == covered[change.origin] + 1,
                "n\(source) sent \(change.id) though the receiver holds up to \(covered[change.origin]) of its node"
            )
            check(
                covered.dominates(write.context),
                "n\(source) sent \(change.id) before changes its writer had seen (\(write.context) vs \(covered))"
            )
            covered[change.origin] = max(covered[change.origin], change.seq)
        }
    }

    /// Applies `batches` to node `target` in one call and checks the outcome against the oracle:
    /// refused, changing nothing, exactly when some batch assumes changes the node lacks by
    /// then; otherwise each change received as ``Reception`` derives (applied, held, kept
    /// aside, or skipped as a duplicate) and the conflicts they open counted. Returns whether
    /// the batches applied. `source` is the node that sent them, when one did.
    @discardableResult
    func deliver(_ batches: [ChangeBatch], to target: Int, from source: Int? = nil) throws -> Bool {
        var reception = Reception(nodes[target])
        var refused: Int?
        for (index, batch) in batches.enumerated() {
            guard reception.vector.dominates(batch.base) else {
                refused = index
                break
            }
            for change in batch.changes { reception.receive(change, oracle: oracle, forgeries: forgeries) }
        }
        let replica = try replica(target)
        do {
            let outcome = try replica.apply(batches)
            stats.batchesApplied += batches.count
            stats.duplicateChanges += outcome.duplicates
            stats.conflictsOpened += outcome.conflicts
            if let refused {
                problem(
                    "n\(target) applied batch \(refused) based on \(batches[refused].base) though it held only \(reception.vector)"
                )
                return true
            }
            reception.problems.forEach(problem)
            check(outcome == reception.outcome, "n\(target) applied \(outcome), expected \(reception.outcome)")
            for write in reception.logged { oracle.record(write) }
            nodes[target].held = reception.vector
            nodes[target].aside = reception.aside
            // Which change it took otherwise shows in what it holds.
            if outcome != reception.outcome { try checkHeld(target) }
            remember(target)
            stats.parkedFilled += reception.filled
            stats.previewHeld += reception.previewHeld
            stats.revokedHeld += reception.revokedHeld
            if let source, !nodes[source].preview { stats.previewForwarded += reception.previewApplied }
            let actual = try replica.versionVector()
            check(actual == reception.vector, "n\(target) holds \(actual) after applying, expected \(reception.vector)")
            return true
        } catch let error as ReplicationError {
            stats.batchesRefused += batches.count
            check(
                refused != nil && error.code == .missingPrerequisites,
                "n\(target) refused \(batches.count) batches with \(error.code) (\(error.message)); expected \(refused.map { "refusal at batch \($0)" } ?? "them to apply")"
            )
            let actual = try replica.versionVector()
            check(actual == nodes[target].held, "n\(target) refused batches but now holds \(actual)")
            return false
        }
    }

    /// Streams everything the target lacks from the source, batch by batch.
    func stream(from source: Int, to target: Int) throws {
        let maxChanges = random.int(2...40)
        var known = nodes[target].held
        while !hasProblems, let batch = try replica(source).nextBatch(after: known, maxChanges: maxChanges) {
            checkBatch(batch, from: source, known: known, maxChanges: maxChanges)
            stats.batchesSent += 1
            guard try deliver([batch], to: target, from: source) else {
                problem("n\(target) refused a batch from a full exchange with n\(source)")
                return
            }
            known = known.advanced(by: batch)
        }
        if !hasProblems {
            check(known.dominates(nodes[source].held), "n\(source) stopped streaming before sending all it holds")
        }
    }

    /// Pairwise full exchanges (everyone with node 0, then node 0 with everyone) until every
    /// replica holds every write.
    func syncEverything() throws {
        for _ in 0..<3 {
            if try converged() { return }
            for n in nodes.indices.dropFirst() where !hasProblems { try stream(from: n, to: 0) }
            for n in nodes.indices.dropFirst() where !hasProblems { try stream(from: 0, to: n) }
            if hasProblems { return }
        }
        if try !converged() {
            let vectors = try nodes.indices.map { "n\($0): \(try replica($0).versionVector())" }
            problem(
                "the replicas did not converge after three rounds of full exchanges: \(vectors), expected \(oracle.everything)"
            )
        }
    }

    private func converged() throws -> Bool {
        try nodes.indices.allSatisfy { try replica($0).versionVector() == oracle.everything }
    }
}
