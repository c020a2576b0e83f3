import Model
import Replication

/// Set fields (a customer's categories, a contact's phones and e-mail addresses): adds,
/// removes, and the concurrent add and remove that add-wins must settle.
extension Simulation {
    /// Adds an element (to a customer: to the one its folder shows in on this node).
    func addElement(_ n: Int, _ entity: OracleEntity, _ field: String, _ input: String) throws {
        let target = entity.kind == .customer ? finalCustomer(n, entity.id) : entity.id
        let key = FieldKey(entityID: target, field: field)
        var refusal: ReplicationError.Code?
        var changes: [ExpectedChange] = []
        switch SimulationInputs.element(field, input) {
        case .refused(let code):
            refusal = code
        case .stored(let element):
            // docs/ARCHITECTURE.md: an add is tagged by its own change id, whether or not the
            // writer already sees the element (so a remove elsewhere cannot take it away).
            changes = [ExpectedChange(entity.kind, target, field, .add, element, [])]
        }
        // A removed contact takes no edits: the writer looks for it first.
        if !inFolder(n, entity) {
            refusal = .unknownID
            changes = []
        }
        try local(
            n,
            "add \(quoted(input)) to \(key)",
            refusal: refusal,
            expecting: { _ in changes },
            { replica in try replica.write { try $0.add(entity.kind, entity.id, field: field, element: input) } }
        )
    }

    /// Removes an element: the remove's predecessors are the adds of it this node sees live.
    func removeElement(_ n: Int, _ entity: OracleEntity, _ field: String, _ input: String) throws {
        let target = entity.kind == .customer ? finalCustomer(n, entity.id) : entity.id
        let key = FieldKey(entityID: target, field: field)
        var refusal: ReplicationError.Code?
        var changes: [ExpectedChange] = []
        switch SimulationInputs.element(field, input) {
        case .refused(let code):
            refusal = code
        case .stored(let element):
            // With no live add, there is nothing to remove: it must write nothing; the engine
            // refuses it, which docs/ARCHITECTURE.md neither requires nor forbids.
            let live = oracle.liveAdds(key, element: element, holding: holding(n))
            if !live.isEmpty {
                changes = [ExpectedChange(entity.kind, target, field, .remove, element, live.map(\.id))]
            }
        }
        if !inFolder(n, entity) {
            refusal = .unknownID
            changes = []
        }
        try local(
            n,
            "remove \(quoted(input)) from \(key)",
            refusal: refusal,
            tolerating: .invalidValue,
            expecting: { _ in changes },
            { replica in try replica.write { try $0.remove(entity.kind, entity.id, field: field, element: input) } }
        )
    }

    func editRandomSet(_ n: Int) throws {
        let kind: EntityKind = random.chance(0.5) ? .customer : .contact
        guard let entity = random.element(of: held(n, kind)) ?? random.element(of: held(n, .customer)),
            let field = random.element(of: SimulationInputs.setFields(entity.kind))
        else { return try createCustomer(n) }
        let present = oracle.elements(FieldKey(entityID: entity.id, field: field), holding: holding(n))
        let roll = random.int(0...99)
        if roll < 45, let element = random.element(of: present) {
            try removeElement(n, entity, field, random.chance(0.3) ? "  \(element) " : element)
        } else if roll < 50 {
            let bad = random.element(of: SimulationInputs.badElements) ?? ""
            try random.chance(0.5) ? addElement(n, entity, field, bad) : removeElement(n, entity, field, bad)
        } else if roll < 60 {
            try removeElement(n, entity, field, random.element(of: SimulationInputs.elements(field)) ?? "")
        } else {
            try addElement(n, entity, field, random.element(of: SimulationInputs.elements(field)) ?? "")
        }
    }

    /// One node removes an element while another, not having seen that remove, adds it — also
    /// when it still sees the element live: the add must win.
    func concurrentAddRemove() throws {
        var options: [(node: Int, entity: OracleEntity, field: String, element: String)] = []
        for n in nodes.indices {
            for entity in held(n, .customer) + held(n, .contact) {
                for field in SimulationInputs.setFields(entity.kind) {
                    let key = FieldKey(entityID: entity.id, field: field)
                    for element in oracle.elements(key, holding: holding(n)) {
                        options.append((n, entity, field, element))
                    }
                }
            }
        }
        guard let choice = random.element(of: options) else {
            return try editRandomSet(random.int(0...(nodes.count - 1)))
        }
        let others = nodes.indices.filter { $0 != choice.node && has($0, choice.entity) }
        guard let other = random.element(of: others) else { return try editRandomSet(choice.node) }
        stats.concurrentAddRemoves += 1
        let key = FieldKey(entityID: choice.entity.id, field: choice.field)
        try removeElement(choice.node, choice.entity, choice.field, choice.element)
        if random.chance(0.5), !oracle.liveAdds(key, element: choice.element, holding: holding(other)).isEmpty {
            try removeElement(other, choice.entity, choice.field, choice.element)
        }
        try addElement(other, choice.entity, choice.field, choice.element)
    }
}
