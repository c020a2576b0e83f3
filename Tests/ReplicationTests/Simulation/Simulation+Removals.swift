import Model
import Replication

/// The oracle's removals, from docs/ARCHITECTURE.md ("Removal") rather than from the engine:
/// a removal names every current write of the contact; what it did not name, it did not see.
extension Oracle {
    static let removed = "removed"

    /// Every current write of entity `id`: the heads of each field written by assigns (the
    /// `removed` register's included) and the live adds of each element of its set fields.
    func currentWrites(of id: EntityID, holding: Holding) -> [WriteID] {
        var result: Set<WriteID> = []
        let keys = Set(writes(ofEntity: id).map(\.key))
        for key in keys {
            let all = writes(of: key)
            if all.contains(where: { $0.operation == .assign }) {
                result.formUnion(heads(key, holding: holding).map(\.id))
            }
            for element in Set(all.filter { $0.operation == .add }.compactMap(\.value)) {
                result.formUnion(liveAdds(key, element: element, holding: holding).map(\.id))
            }
        }
        return result.sorted()
    }

    /// The current writes of other fields (heads and live adds) that some removal of the
    /// entity in force (a head of `removed` that is `true`) does not name: made without seeing it.
    func removalEdits(of id: EntityID, holding: Holding) -> [OracleWrite] {
        let removals = heads(FieldKey(entityID: id, field: Self.removed), holding: holding).filter { $0.value != nil }
        guard !removals.isEmpty else { return [] }
        let current = currentWrites(of: id, holding: holding).compactMap(write).filter { $0.field != Self.removed }
        return current.filter { edit in removals.contains { !$0.predecessors.contains(edit.id) } }
    }

    /// Whether the entity is in a removal conflict: an edit some removal did not see, or a
    /// removal and a restore made apart.
    func inRemovalConflict(_ id: EntityID, holding: Holding) -> Bool {
        let heads = heads(FieldKey(entityID: id, field: Self.removed), holding: holding)
        return !removalEdits(of: id, holding: holding).isEmpty || Set(heads.map { $0.value ?? "" }).count > 1
    }

    /// The conflict's candidates as `(write, value)`: what keeps the entity (edits, with no
    /// value, and restores) latest first, then the removals latest first.
    func removalCandidates(_ id: EntityID, holding: Holding) -> [(write: OracleWrite, value: String?)] {
        let latestFirst = { (a: OracleWrite, b: OracleWrite) in (a.time, a.id.origin) > (b.time, b.id.origin) }
        let heads = heads(FieldKey(entityID: id, field: Self.removed), holding: holding)
        let kept = (removalEdits(of: id, holding: holding) + heads.filter { $0.value == nil }).sorted(by: latestFirst)
        return kept.map { ($0, nil) } + heads.filter { $0.value != nil }.sorted(by: latestFirst).map { ($0, $0.value) }
    }

    /// Whether the contact shows in its folder: not removed, or removed in an open conflict.
    func inFolder(_ id: EntityID, holding: Holding) -> Bool {
        current(FieldKey(entityID: id, field: Self.removed), holding: holding) == nil
            || inRemovalConflict(id, holding: holding)
    }
}

extension Simulation {
    /// Whether node `n` shows the entity in its folder (only contacts can be removed).
    func inFolder(_ n: Int, _ entity: OracleEntity) -> Bool {
        entity.kind != .contact || oracle.inFolder(entity.id, holding: holding(n))
    }

    /// Removes a contact (`value` "true"), or restores it (`nil`): a write of `removed` that
    /// names every current write of the contact. Refused for a contact not in the folder,
    /// unless restoring; writes nothing when the register says so already and no conflict is
    /// open.
    /// `input`: what the user typed for `removed` (a removal when `nil` and `value` is "true").
    func writeRemoval(_ n: Int, _ entity: OracleEntity, _ value: String?, input: String?? = .none) throws {
        let holding = holding(n)
        let key = FieldKey(entityID: entity.id, field: Oracle.removed)
        var refusal: ReplicationError.Code?
        var changes: [ExpectedChange] = []
        if value != nil, input == nil, !oracle.inFolder(entity.id, holding: holding) {
            refusal = .unknownID
        } else {
            let heads = oracle.heads(key, holding: holding)
            let settled = heads.count == 1 && heads[0].value == value
            if !settled || oracle.inRemovalConflict(entity.id, holding: holding) {
                changes = [
                    ExpectedChange(
                        .contact,
                        entity.id,
                        Oracle.removed,
                        .assign,
                        value,
                        oracle.currentWrites(of: entity.id, holding: holding)
                    )
                ]
            }
        }
        let written = try local(
            n,
            value == nil ? "restore contact \(entity.id)" : "remove contact \(entity.id)",
            refusal: refusal,
            expecting: { _ in changes },
            { replica in
                try replica.write {
                    if let input {
                        try $0.set(.contact, entity.id, field: Oracle.removed, to: input)
                    } else if value == nil {
                        try $0.set(.contact, entity.id, field: Oracle.removed, to: nil)
                    } else {
                        try $0.removeEntity(.contact, entity.id)
                    }
                }
            }
        )
        if written != nil, !changes.isEmpty {
            if value == nil { stats.contactRestores += 1 } else { stats.removals += 1 }
        }
    }

    /// A node removes a contact, or brings a removed one back.
    func removeOrRestore(_ n: Int) throws {
        guard let contact = random.element(of: held(n, .contact)) else { return try createContact(n) }
        let roll = random.int(0...9)
        if roll < 6 {
            try writeRemoval(n, contact, "true")
        } else if roll < 8 {
            try writeRemoval(n, contact, nil)
        } else {
            // As `contact set ID removed=…` writes it, a bad value included.
            try editField(
                n,
                contact,
                Oracle.removed,
                random.element(of: SimulationInputs.values(.contact, Oracle.removed)) ?? nil
            )
        }
    }

    /// One node removes a contact while others, not having seen it, edit it (a field, or a
    /// phone): a removal conflict on every node that holds both, until settled.
    func concurrentRemovalAndEdit() throws {
        let contacts = oracle.entities.filter { $0.kind == .contact }
        guard let contact = random.element(of: contacts) else { return try createContact(0) }
        let holders = nodes.indices.filter { has($0, contact) && inFolder($0, contact) }
        guard holders.count >= 2 else { return try removeOrRestore(holders.first ?? 0) }
        let writers = random.sample(holders, count: random.int(2...min(3, holders.count)))
        stats.concurrentRemovals += 1
        try writeRemoval(writers[0], contact, "true")
        for n in writers.dropFirst() where !hasProblems {
            if random.chance(0.7) {
                let field = random.element(of: SimulationInputs.editableFields(.contact)) ?? "title"
                try editField(n, contact, field, random.element(of: SimulationInputs.values(.contact, field)) ?? nil)
            } else {
                try addElement(n, contact, "phones", random.element(of: SimulationInputs.elements("phones")) ?? "555")
            }
        }
    }
}
