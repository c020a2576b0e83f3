import Model
import Replication

/// A change a local write must stamp.
struct ExpectedChange {
    let entity: EntityKind
    let entityID: EntityID
    let field: String
    let operation: Operation
    /// The value; not compared for records (their JSON is checked through the plain tables).
    let value: String?
    let predecessors: [WriteID]

    init(
        _ entity: EntityKind,
        _ id: EntityID,
        _ field: String,
        _ operation: Replication.Operation,
        _ value: String?,
        _ predecessors: [WriteID]
    ) {
        self.entity = entity
        self.entityID = id
        self.field = field
        self.operation = operation
        self.value = value
        self.predecessors = predecessors
    }

    /// Whether `change` is this one (a record's value is checked through the plain tables).
    func matches(_ change: Change) -> Bool {
        change.entity == entity && change.entityID == entityID && change.field == field
            && change.operation == operation && (operation == .record ? change.value != nil : change.value == value)
            && change.predecessors.sorted() == predecessors.sorted()
    }

    var description: String {
        "\(entity.name) \(entityID)/\(field) \(operation) \(quoted(value)) after \(predecessors.sorted())"
    }
}

extension Simulation {
    /// Runs one local action on node `n` and checks that it did exactly what the oracle expects:
    /// refused with `refusal` and nothing changed, or stamped exactly `expecting(result)` (in
    /// any order: the documentation does not fix the order of one action's changes) as the
    /// node's next sequence numbers, each with a clock reading later than everything the node
    /// held. The stamped writes then enter the oracle with what the node had seen. `tolerated`:
    /// a refusal with that code is as good as the expected changes (for an action the
    /// documentation does not say is refused when it has nothing to do). Returns the action's
    /// result when it wrote.
    @discardableResult
    func local<T>(
        _ n: Int,
        _ label: String,
        refusal: ReplicationError.Code?,
        tolerating tolerated: ReplicationError.Code? = nil,
        expecting: (T) -> [ExpectedChange],
        _ action: (Replica) throws -> T
    ) throws -> T? {
        note("n\(n): \(label)")
        let replica = try replica(n)
        let before = nodes[n].held
        // A node that holds its own revocation writes nothing more: every write that would
        // stamp a change is refused (one that stamps none is a no-op as anywhere).
        let revoked = holding(n).knowsRevoked(nodes[n].id)
        let result: T
        do {
            result = try action(replica)
        } catch let error as ReplicationError {
            stats.refusedWrites += 1
            if revoked, error.code == .revoked { stats.revokedRefusals += 1 }
            check(
                refusal == error.code || tolerated == error.code || (revoked && error.code == .revoked),
                "n\(n): \(label) was refused with \(error.code) (\(error.message)), expected \(refusal.map { "\($0)" } ?? "success")"
            )
            let vector = try replica.versionVector()
            check(vector == before, "n\(n): \(label) was refused but the replica now holds \(vector), not \(before)")
            return nil
        }
        if let refusal {
            problem("n\(n): \(label) succeeded, expected a refusal with \(refusal)")
            return nil
        }
        let changes = try replica.nextBatch(after: before, maxChanges: 10_000)?.changes ?? []
        commit(n, label, changes, expected: expecting(result), before: before)
        return result
    }

    private func commit(
        _ n: Int,
        _ label: String,
        _ changes: [Change],
        expected: [ExpectedChange],
        before: VersionVector
    ) {
        let node = nodes[n].origin
        guard changes.count == expected.count else {
            problem(
                "n\(n): \(label) stamped \(changes.count) changes, expected \(expected.count): "
                    + changes.map { "\($0.field) \($0.operation) \(quoted($0.value))" }.joined(separator: "; ")
            )
            return
        }
        if changes.isEmpty { stats.noOpWrites += 1 } else { stats.localWrites += 1 }
        if changes.contains(where: { Releases.uptake(of: $0).isPreviewOnly }) { stats.previewWrites += 1 }
        var context = before
        var previous = oracle.latestTime(holding: before)
        var remaining = expected
        for change in changes {
            let what = "n\(n): \(label): change \(change.id)"
            check(
                change.origin == node && change.seq == context[node] + 1,
                "\(what) is not this node's next write (\(context[node] + 1))"
            )
            if let index = remaining.firstIndex(where: { $0.matches(change) }) {
                remaining.remove(at: index)
            } else {
                problem(
                    "\(what) writes \(change.entity.name) \(change.entityID)/\(change.field) \(change.operation) \(quoted(change.value)) after \(change.predecessors.sorted()), expected one of \(remaining.map(\.description))"
                )
            }
            // After everything it has seen — unless that lies beyond its wall clock's drift bound:
            // then at that bound, no further.
            let ceiling = nodes[n].clock.milliseconds + 10 * 60 * 1000
            if previous.milliseconds >= ceiling {
                check(
                    change.time.milliseconds <= ceiling + 1,
                    "\(what) is stamped \(change.time), beyond its clock's bound \(ceiling) (it has seen \(previous))"
                )
            } else {
                check(
                    change.time > previous,
                    "\(what) is stamped \(change.time), not after \(previous) which it has seen"
                )
            }
            oracle.record(OracleWrite(change, context: context, uptake: Releases.uptake(of: change)))
            context[node] = max(context[node], change.seq)
            previous = max(previous, change.time)
        }
        nodes[n].held = context
        remember(n)
    }

    /// The id of the first write of an entity: its creation.
    func creation(of id: EntityID) -> WriteID? { oracle.writes(ofEntity: id).first?.id }

    func held(_ n: Int, _ kind: EntityKind) -> [OracleEntity] { oracle.entities(kind, holding: holding(n)) }

    /// Whether node `n` has the entity: it applied its creation.
    func has(_ n: Int, _ entity: OracleEntity) -> Bool {
        oracle.write(entity.creation).map(holding(n).applies) == true
    }

    /// An id no entity has.
    func unknownID() -> EntityID { EntityID(milliseconds: 1_000, counter: 0, node: random.next()) }
}
