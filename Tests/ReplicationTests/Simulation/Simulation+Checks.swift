import Model
import Replication

/// The checks of replica contents against the oracle and against each other.
extension Simulation {
    /// Mid-run: one replica's plain tables, open conflicts and held changes are what the
    /// oracle predicts for exactly the changes it holds.
    func spotCheck(_ n: Int) throws {
        note("spot check n\(n)")
        let replica = try replica(n)
        compareTables(n, try PlainTables.read(replica, preview: nodes[n].preview), holding: holding(n))
        checkConflicts(n, try replica.conflicts(), holding: holding(n))
        try checkHeld(n)
        try checkFolders(n)
    }

    /// At the end, after the full exchange:
    /// 1. every replica holds every change, passes its own health check (`Replica.check()`),
    ///    and lists exactly the held changes the oracle predicts;
    /// 2. replicas of one release show identical plain tables and open conflicts; replicas of
    ///    different releases the same tables and conflicts where the releases overlap;
    /// 3. no write is lost: each one is current (the field's value, a conflict candidate, a
    ///    live set element) or was overwritten by a write that had seen it, or it is held
    ///    where the oracle says so (a preview write on a standard node, a forged change);
    /// 4. conflicts exactly where writes were concurrent: each field's candidates are the writes
    ///    no other write of the field has seen, winner first; one head means no conflict.
    func finalCheck() throws {
        note("final check")
        let everything = oracle.everything
        // An entity that only the next release's writes keep (its creation revoked) has a row
        // on the nodes of that release only: the releases overlap on the others.
        let standardEntities = Set(
            oracle.entities.filter {
                oracle.creator(of: $0, holding: oracle.holding(everything, preview: false)) != nil
            }
            .map(\.id.description)
        )
        let previewEntities = Set(
            oracle.entities.filter { oracle.creator(of: $0, holding: oracle.holding(everything, preview: true)) != nil }
                .map(\.id.description)
        )
        // Likewise one whose earliest applied write (its creator, its creation held) is one the
        // other release holds.
        let creators = oracle.entities.filter { entity in
            oracle.creator(of: entity, holding: oracle.holding(everything, preview: false))?.id
                != oracle.creator(of: entity, holding: oracle.holding(everything, preview: true))?.id
        }
        // And a customer merged into one of those (a merge is in force where both customers
        // exist): it shows in another folder on the other release.
        let standardMerges = oracle.finalCustomers(holding: oracle.holding(everything, preview: false))
        let previewMerges = oracle.finalCustomers(holding: oracle.holding(everything, preview: true))
        let mergedApart = Set(standardMerges.keys).union(previewMerges.keys)
            .filter { standardMerges[$0] != previewMerges[$0] }
        let oneRelease = standardEntities.symmetricDifference(previewEntities)
            .union(creators.map(\.id.description)).union(mergedApart.map(\.description))
        func overlap(_ tables: [PlainTable]) -> [PlainTable] {
            guard !oneRelease.isEmpty else { return tables }
            return tables.map { table in
                PlainTable(
                    name: table.name,
                    rows: table.rows.filter { row in !oneRelease.contains { row.hasPrefix("'\($0)'") } }
                )
            }
        }
        let shared = overlap(try PlainTables.read(try replica(0), preview: false))
        let sharedConflicts = try replica(0).conflicts().filter(Releases.isStandard)
        var firstOfRelease: [Bool: (node: Int, tables: [PlainTable], conflicts: [Conflict])] = [:]
        for n in nodes.indices {
            let replica = try replica(n)
            let vector = try replica.versionVector()
            check(vector == everything, "n\(n) holds \(vector) after the full exchange, expected \(everything)")
            // The health check names the clones (checked by `checkClones`), and nothing else.
            let clones = expectedClones().keys
            let health = try replica.check().filter { line in
                !clones.contains { line.hasPrefix("node \($0.short) is a clone:") }
            }
            check(health.isEmpty, "n\(n) fails its own health check: \(health)")
            // Every node holds everything and heard every node's word: no removal's row is left.
            let reclamation = try replica.reclamationStatus()
            check(
                reclamation.kept == 0,
                "n\(n) keeps \(reclamation.kept) removed set elements' rows after every node acknowledged everything, waiting for \(reclamation.waitingFor)"
            )
            try checkHeld(n)
            let tables = try PlainTables.readAll(replica, preview: nodes[n].preview)
            let conflicts = try replica.conflicts()
            if let first = firstOfRelease[nodes[n].preview] {
                for (want, have) in zip(first.tables, tables) where want != have {
                    problem("n\(n) differs from n\(first.node): \(have.difference(from: want))")
                }
                check(
                    conflicts == first.conflicts,
                    "n\(n) has conflicts \(conflicts.map(describe)), n\(first.node) has \(first.conflicts.map(describe))"
                )
            } else {
                firstOfRelease[nodes[n].preview] = (n, tables, conflicts)
                compareTables(n, try PlainTables.read(replica, preview: nodes[n].preview), holding: holding(n))
                checkConflicts(n, conflicts, holding: holding(n))
                try checkHistory(n, holding: holding(n))
                try checkFolders(n)
            }
            guard n > 0 else { continue }
            for (want, have) in zip(shared, overlap(try PlainTables.read(replica, preview: false))) where want != have {
                problem("n\(n) differs from n0 where their releases overlap: \(have.difference(from: want))")
            }
            let overlap = conflicts.filter(Releases.isStandard)
            check(
                overlap == sharedConflicts,
                "n\(n) has conflicts \(overlap.map(describe)) where the releases overlap, n0 has \(sharedConflicts.map(describe))"
            )
        }
        if nodes.count > 1 {
            let n = random.int(1...(nodes.count - 1))
            try checkHistory(n, holding: holding(n))
        }
        try checkClones()
        stats.finalConflicts = sharedConflicts.count
        stats.removalConflicts = sharedConflicts.filter { $0.field == Oracle.removed }.count
        stats.mergesWithoutEffect =
            oracle.resolveMerges(holding: oracle.holding(everything, preview: false)).withoutEffect
        let all = oracle.holding(everything, preview: false)
        for key in oracle.fieldKeys {
            let removed = Set(oracle.writes(of: key).filter { $0.operation == .remove }.compactMap(\.value))
            stats.addWinsSurvivors += oracle.elements(key, holding: all).filter(removed.contains).count
        }
    }

    func compareTables(_ n: Int, _ actual: [PlainTable], holding: Holding) {
        for (want, have) in zip(oracle.expectedTables(holding: holding), actual) where want != have {
            problem("n\(n) plain table \(have.difference(from: want))")
        }
    }

    /// The open conflicts are exactly the fields with more than one head, candidates winner
    /// first, each with its write, value, clock and node.
    func checkConflicts(_ n: Int, _ conflicts: [Conflict], holding: Holding) {
        let expected = expectedConflicts(holding: holding)
        let keys = conflicts.map { FieldKey(entityID: $0.entityID, field: $0.field) }
        check(
            keys == expected.map(\.0),
            "n\(n) has conflicts on \(keys), expected exactly on \(expected.map(\.0)) (fields with concurrent heads)"
        )
        for (conflict, (key, heads)) in zip(conflicts, expected) where keys.contains(key) {
            let candidates = conflict.candidates
            check(
                candidates.map(\.write) == heads.map(\.write.id) && candidates.map(\.value) == heads.map(\.value)
                    && candidates.map(\.time) == heads.map(\.write.time)
                    && candidates.map(\.origin) == heads.map(\.write.id.origin),
                "n\(n): conflict on \(key) has candidates \(describe(conflict)), expected \(heads.map { "\($0.write.id)=\(quoted($0.value))" })"
            )
            check(
                conflict.entity == heads.first?.write.entity,
                "n\(n): conflict on \(key) names entity \(conflict.entity)"
            )
            check(conflict.current == heads.first?.value, "n\(n): conflict on \(key) shows \(quoted(conflict.current))")
        }
    }

    /// The conflicts a replica holding `holding` must list, by entity and field, each with its
    /// candidates winner first: every field with more than one head, except `removed`, whose
    /// conflicts are removal conflicts (``Oracle/removalCandidates(_:holding:)``).
    func expectedConflicts(holding: Holding) -> [(FieldKey, [(write: OracleWrite, value: String?)])] {
        oracle.fieldKeys.compactMap { key in
            if key.field == Oracle.removed {
                guard oracle.inRemovalConflict(key.entityID, holding: holding) else { return nil }
                return (key, oracle.removalCandidates(key.entityID, holding: holding))
            }
            let heads = oracle.heads(key, holding: holding)
            return heads.count > 1 ? (key, heads.map { ($0, $0.value) }) : nil
        }
    }

    /// `history` lists every change of each entity in the log, oldest first (by clock; the
    /// order of equal clocks is not specified), and marks exactly the current ones current: a
    /// write not current must have been seen by a later applied write of its field, or be held.
    func checkHistory(_ n: Int, holding: Holding) throws {
        let replica = try replica(n)
        for entity in oracle.entities where holding.vector.contains(entity.creation) {
            let history = try replica.history(of: entity.id)
            let expected = oracle.writes(ofEntity: entity.id).filter { holding.vector.contains($0.id) }
            check(
                history.map(\.write).sorted() == expected.map(\.id).sorted(),
                "n\(n): history of \(entity.id) lists \(history.map(\.write)), expected every write \(expected.map(\.id))"
            )
            check(
                zip(history, history.dropFirst()).allSatisfy { $0.time <= $1.time },
                "n\(n): history of \(entity.id) is not oldest first: \(history.map { "\($0.write)@\($0.time)" })"
            )
            for entry in history {
                guard let write = expected.first(where: { $0.id == entry.write }) else { continue }
                check(
                    entry.field == write.field && entry.operation == write.operation && entry.value == write.value
                        && entry.origin == write.id.origin && entry.time == write.time,
                    "n\(n): history shows \(write.id) as \(entry.field) \(entry.operation) \(quoted(entry.value))"
                )
                let current = oracle.isCurrent(write, holding: holding)
                guard entry.isCurrent != current else { continue }
                if current {
                    problem(
                        "n\(n): lost write \(write.id) \(write.operation) \(write.key) = \(quoted(write.value)): not current, yet no write of the field saw it"
                    )
                } else if !holding.applies(write) {
                    problem("n\(n): history shows held change \(write.id) \(write.operation) \(write.key) as current")
                } else {
                    let by = oracle.writes(of: write.key).first {
                        $0.id != write.id && $0.saw(write) && holding.applies($0)
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
