import Foundation
import Model
import Replication

/// The folder operations a simulated user makes, each checked by ``Simulation/local``.
extension Simulation {
    func createCustomer(_ n: Int) throws {
        let name = random.element(of: SimulationInputs.customerNames) ?? "Acme"
        var categories = random.sample(SimulationInputs.categories, count: random.int(0...3))
        if random.chance(0.2), let again = random.element(of: categories) { categories.append(again) }
        if random.chance(0.03) { categories.append("   ") }
        var fields: [String: String] = [:]
        for field in random.sample(["notes", "phone", "email", "address", "website"], count: random.int(0...2)) {
            fields[field] = random.element(of: SimulationInputs.values(.customer, field).compactMap { $0 })
        }
        var refusal: ReplicationError.Code?
        var plan: [(field: String, operation: Replication.Operation, value: String)] = [("name", .assign, name)]
        for (field, input) in fields.sorted(by: { $0.key < $1.key }) where !input.isEmpty {
            switch SimulationInputs.stored(.customer, field, input) {
            case .stored(let value): plan.append((field, .assign, value ?? ""))
            case .refused(let code): refusal = refusal ?? code
            }
        }
        for input in categories {
            switch SimulationInputs.element("categories", input) {
            case .stored(let element): plan.append(("categories", .add, element))
            case .refused(let code): refusal = refusal ?? code
            }
        }
        let label =
            "create customer \(quoted(name)) categories \(categories) fields \(fields.sorted(by: { $0.key < $1.key }))"
        let id = try local(
            n,
            label,
            refusal: refusal,
            expecting: { id in plan.map { ExpectedChange(.customer, id, $0.field, $0.operation, $0.value, []) } },
            { replica in try replica.write { try $0.createCustomer(name: name, categories: categories, fields: fields) }
            }
        )
        if let id, let creation = creation(of: id) {
            oracle.record(OracleEntity(kind: .customer, id: id, creation: creation, recordRow: nil))
        }
    }

    /// Creates a contact of `customer` (at random when `nil`): of the customer its folder shows
    /// in on this node.
    func createContact(_ n: Int, of customer: OracleEntity? = nil) throws {
        guard let customer = customer ?? random.element(of: held(n, .customer)) else { return try createCustomer(n) }
        let name = random.chance(0.05) ? "  " : random.element(of: SimulationInputs.contactNames) ?? "Anna"
        var fields: [String: String] = [:]
        for field in random.sample(["salutation", "title", "address", "notes"], count: random.int(0...2)) {
            fields[field] = random.element(of: SimulationInputs.values(.contact, field).compactMap { $0 })
        }
        var phones = random.sample(SimulationInputs.phones, count: random.int(0...2))
        let emails = random.sample(SimulationInputs.emails, count: random.int(0...2))
        if random.chance(0.03) { phones.append("work:") }
        var refusal: ReplicationError.Code?
        if case .refused(let code) = SimulationInputs.stored(.contact, "name", name) { refusal = code }
        var plan: [(field: String, operation: Replication.Operation, value: String)] = [
            ("customer", .assign, finalCustomer(n, customer.id).description), ("name", .assign, name),
        ]
        for (field, input) in fields.sorted(by: { $0.key < $1.key }) where !input.isEmpty {
            plan.append((field, .assign, input))
        }
        for (field, inputs) in [("phones", phones), ("emails", emails)] {
            for input in inputs {
                switch SimulationInputs.element(field, input) {
                case .stored(let element): plan.append((field, .add, element))
                case .refused(let code): refusal = refusal ?? code
                }
            }
        }
        let label = "create contact \(quoted(name)) of \(customer.id) phones \(phones) emails \(emails)"
        let id = try local(
            n,
            label,
            refusal: refusal,
            expecting: { id in plan.map { ExpectedChange(.contact, id, $0.field, $0.operation, $0.value, []) } },
            { replica in
                try replica.write {
                    try $0.createContact(
                        customer: customer.id,
                        name: name,
                        fields: fields,
                        phones: phones,
                        emails: emails
                    )
                }
            }
        )
        if let id, let creation = creation(of: id) {
            oracle.record(OracleEntity(kind: .contact, id: id, creation: creation, recordRow: nil))
        }
    }

    /// Writes an editable field: the write's predecessors are the field's heads on this node;
    /// writing the value the field already has (one head) writes nothing. A write to a customer
    /// goes to the customer its folder shows in on this node.
    func editField(_ n: Int, _ entity: OracleEntity, _ field: String, _ input: String?) throws {
        if field == Oracle.removed {
            // A write of `removed` is a removal or a restore (``Simulation/writeRemoval``).
            if case .stored(let value) = SimulationInputs.stored(entity.kind, field, input) {
                return try writeRemoval(n, entity, value, input: input)
            }
        }
        let target = entity.kind == .customer ? finalCustomer(n, entity.id) : entity.id
        let key = FieldKey(entityID: target, field: field)
        var refusal: ReplicationError.Code?
        var changes: [ExpectedChange] = []
        switch SimulationInputs.stored(entity.kind, field, input) {
        case .refused(let code):
            refusal = code
        case .stored(let value):
            if field == "customer", let value {
                if EntityID(value) == nil {
                    refusal = .invalidValue
                } else if !held(n, .customer).contains(where: { $0.id.description == value }) {
                    refusal = .unknownID
                }
            }
            let heads = oracle.heads(key, holding: holding(n))
            if refusal == nil, heads.count != 1 || heads[0].value != value {
                changes = [ExpectedChange(entity.kind, target, field, .assign, value, heads.map(\.id))]
            }
        }
        // A removed contact takes no edits (a restore aside): the writer looks for it first.
        if field != Oracle.removed, !inFolder(n, entity) {
            refusal = .unknownID
            changes = []
        }
        try local(
            n,
            "set \(key) = \(quoted(input))",
            refusal: refusal,
            expecting: { _ in changes },
            { replica in try replica.write { try $0.set(entity.kind, entity.id, field: field, to: input) } }
        )
    }

    func editRandomField(_ n: Int) throws {
        let kind: EntityKind = random.chance(0.6) ? .customer : .contact
        guard let entity = random.element(of: held(n, kind)) ?? random.element(of: held(n, .customer)) else {
            return try createCustomer(n)
        }
        if entity.kind == .contact, random.chance(0.12) {
            let roll = random.int(0...9)
            let input: String? =
                roll < 7
                ? random.element(of: held(n, .customer))?.id.description
                : [unknownID().description, "not-an-id", ""][roll - 7]
            return try editField(n, entity, "customer", input)
        }
        let field = random.element(of: SimulationInputs.editableFields(entity.kind)) ?? "name"
        let input: String? =
            field == "name" && random.chance(0.08)
            ? random.element(of: SimulationInputs.blanks) ?? nil
            : random.element(of: SimulationInputs.values(entity.kind, field)) ?? nil
        try editField(n, entity, field, input)
    }

    /// Two or three nodes holding one entity write the same field without exchanging.
    func concurrentEdit() throws {
        let entities = oracle.entities.filter { $0.kind == .customer || $0.kind == .contact }
        guard let entity = random.element(of: entities) else { return try createCustomer(0) }
        let holders = nodes.indices.filter { has($0, entity) }
        guard holders.count >= 2, let field = random.element(of: SimulationInputs.editableFields(entity.kind)) else {
            return try editRandomField(holders.first ?? 0)
        }
        let writers = random.sample(holders, count: random.int(2...min(3, holders.count)))
        for n in writers {
            try editField(n, entity, field, random.element(of: SimulationInputs.values(entity.kind, field)) ?? nil)
            if hasProblems { return }
        }
        if random.chance(0.5) {
            note("n\(writers[0]) → n\(writers[1]): full exchange")
            try stream(from: writers[0], to: writers[1])
        }
    }
}
