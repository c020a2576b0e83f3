import Model
import Replication

/// The checks of replica contents against the oracle and against each other.
extension Simulation {
    /// Mid-run: one replica's plain tables and open conflicts are what the oracle predicts for
    /// exactly the writes it holds.
    func spotCheck(_ n: Int) throws {
        note("spot check n\(n)")
        let replica = try replica(n)
        compareTables(n, try PlainTables.read(replica), holding: nodes[n].held)
        checkConflicts(n, try replica.conflicts(), holding: nodes[n].held)
    }

    /// At the end, after the full exchange:
    /// 1. every replica holds every write and shows identical plain tables and open conflicts;
    /// 2. no write is lost: each one is current (the field's value, a conflict candidate, a
    ///    live set element) or was overwritten by a write that had seen it;
    /// 3. conflicts exactly where writes were concurrent: each field's candidates are the writes
    ///    no other write of the field has seen, winner first; one head means no conflict.
    func finalCheck() throws {
        note("final check")
        let everything = oracle.everything
        let reference = try PlainTables.readAll(try replica(0))
        let referenceConflicts = try replica(0).conflicts()
        for n in nodes.indices {
            let replica = try replica(n)
            let vector = try replica.versionVector()
            check(vector == everything, "n\(n) holds \(vector) after the full exchange, expected \(everything)")
            guard n > 0 else { continue }
            for (want, have) in zip(reference, try PlainTables.readAll(replica)) where want != have {
                problem("n\(n) differs from n0: \(have.difference(from: want))")
            }
            let conflicts = try replica.conflicts()
            check(
                conflicts == referenceConflicts,
                "n\(n) has conflicts \(conflicts.map(describe)), n0 has \(referenceConflicts.map(describe))"
            )
        }
        compareTables(0, try PlainTables.read(try replica(0)), holding: everything)
        checkConflicts(0, referenceConflicts, holding: everything)
        try checkHistory(0, holding: everything)
        if nodes.count > 1 { try checkHistory(random.int(1...(nodes.count - 1)), holding: everything) }
        stats.finalConflicts = referenceConflicts.count
        for key in oracle.fieldKeys {
            let removed = Set(oracle.writes(of: key).filter { $0.operation == .remove }.compactMap(\.value))
            stats.addWinsSurvivors += oracle.elements(key, holding: everything).filter(removed.contains).count
        }
    }

    func compareTables(_ n: Int, _ actual: [PlainTable], holding vector: VersionVector) {
        for (want, have) in zip(oracle.expectedTables(holding: vector), actual) where want != have {
            problem("n\(n) plain table \(have.difference(from: want))")
        }
    }

    /// The open conflicts are exactly the fields with more than one head, candidates winner
    /// first, each with its write, value, clock and node.
    func checkConflicts(_ n: Int, _ conflicts: [Conflict], holding vector: VersionVector) {
        let expected = oracle.fieldKeys.map { ($0, oracle.heads($0, holding: vector)) }.filter { $0.1.count > 1 }
        let keys = conflicts.map { FieldKey(entityID: $0.entityID, field: $0.field) }
        check(
            keys == expected.map(\.0),
            "n\(n) has conflicts on \(keys), expected exactly on \(expected.map(\.0)) (fields with concurrent heads)"
        )
        for (conflict, (key, heads)) in zip(conflicts, expected) where keys.contains(key) {
            let candidates = conflict.candidates
            check(
                candidates.map(\.write) == heads.map(\.id) && candidates.map(\.value) == heads.map(\.value)
                    && candidates.map(\.time) == heads.map(\.time)
                    && candidates.map(\.origin) == heads.map(\.id.origin),
                "n\(n): conflict on \(key) has candidates \(describe(conflict)), expected \(heads.map { "\($0.id)=\(quoted($0.value))" })"
            )
            check(conflict.entity == heads.first?.entity, "n\(n): conflict on \(key) names entity \(conflict.entity)")
            check(conflict.current == heads.first?.value, "n\(n): conflict on \(key) shows \(quoted(conflict.current))")
        }
    }

    /// `history` lists every write of each entity, oldest first, and marks exactly the current
    /// ones current: a write not current must have been seen by a later write of its field.
    func checkHistory(_ n: Int, holding vector: VersionVector) throws {
        let replica = try replica(n)
        for entity in oracle.entities where vector.contains(entity.creation) {
            let history = try replica.history(of: entity.id)
            let expected = oracle.writes(ofEntity: entity.id).filter { vector.contains($0.id) }
                .map { (write: $0, node: $0.id.origin.description) }
                .sorted { ($0.write.time, $0.node, $0.write.id.seq) < ($1.write.time, $1.node, $1.write.id.seq) }
                .map(\.write)
            check(
                history.map(\.write) == expected.map(\.id),
                "n\(n): history of \(entity.id) lists \(history.map(\.write)), expected every write \(expected.map(\.id))"
            )
            for (entry, write) in zip(history, expected) where entry.write == write.id {
                check(
                    entry.field == write.field && entry.operation == write.operation && entry.value == write.value
                        && entry.origin == write.id.origin && entry.time == write.time,
                    "n\(n): history shows \(write.id) as \(entry.field) \(entry.operation) \(quoted(entry.value))"
                )
                let current = oracle.isCurrent(write, holding: vector)
                guard entry.isCurrent != current else { continue }
                if current {
                    problem(
                        "n\(n): lost write \(write.id) \(write.operation) \(write.key) = \(quoted(write.value)): not current, yet no write of the field saw it"
                    )
                } else {
                    let by = oracle.writes(of: write.key).first {
                        $0.id != write.id && $0.saw(write) && vector.contains($0.id)
                    }
                    problem(
                        "n\(n): \(write.id) \(write.operation) \(write.key) = \(quoted(write.value)) is still current though \(by.map { "\($0.id)" } ?? "a later write") saw it"
                    )
                }
            }
        }
    }

    func describe(_ conflict: Conflict) -> String {
        "\(conflict.id) \(conflict.entityID)/\(conflict.field) ["
            + conflict.candidates.map { "\($0.write)=\(quoted($0.value))" }.joined(separator: ", ") + "]"
    }
}
