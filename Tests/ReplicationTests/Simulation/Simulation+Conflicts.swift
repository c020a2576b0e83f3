import Foundation
import Model
import Replication

extension Simulation {
    /// Settles an open conflict, on a node that has one (node `chosen` when none has), by
    /// picking a candidate or writing a value; the settlement must be an ordinary write whose
    /// predecessors are all the candidates. Also checks the node's conflicts first.
    func resolveConflict(_ chosen: Int) throws {
        let conflicted = nodes.indices.filter { node in !expectedConflicts(holding: holding(node)).isEmpty }
        let n = random.element(of: conflicted) ?? chosen
        let conflicts = try replica(n).conflicts()
        checkConflicts(n, conflicts, holding: holding(n))
        if hasProblems { return }
        guard let conflict = random.element(of: conflicts) else { return try editRandomField(n) }
        let key = FieldKey(entityID: conflict.entityID, field: conflict.field)
        let candidates =
            expectedConflicts(holding: holding(n)).first { $0.0 == key }?.1
            ?? oracle.heads(key, holding: holding(n)).map { ($0, $0.value) }
        let heads = candidates.map(\.write)
        // Settling a removal conflict names every current write of the contact too.
        let predecessors =
            key.field == Oracle.removed
            ? Array(Set(heads.map(\.id) + oracle.currentWrites(of: key.entityID, holding: holding(n)))).sorted()
            : heads.map(\.id)
        var id = random.chance(0.3) ? conflict.id.uppercased() : conflict.id
        var pick: Int?
        var input: String?
        var refusal: ReplicationError.Code?
        var value: String?
        let roll = random.int(0...99)
        if roll < 5 {
            id = "zzzzzzzzzzzz"
            refusal = .unknownConflict
        } else if roll < 55 {
            let index = roll < 9 ? heads.count : random.int(0...(heads.count - 1))
            pick = index
            if index < heads.count { value = candidates[index].value } else { refusal = .badPick }
        } else {
            if conflict.field == "customer" {
                input = random.chance(0.8) ? random.element(of: held(n, .customer))?.id.description : "not-an-id"
            } else if conflict.field == "name", random.chance(0.1) {
                input = random.element(of: SimulationInputs.blanks) ?? nil
            } else {
                input = random.element(of: SimulationInputs.values(conflict.entity, conflict.field)) ?? nil
            }
            switch SimulationInputs.stored(conflict.entity, conflict.field, input) {
            case .stored(let stored):
                value = stored
                if conflict.field == "customer", let stored, EntityID(stored) == nil { refusal = .invalidValue }
            case .refused(let code):
                refusal = code
            }
        }
        let label = "resolve \(id) on \(key) " + (pick.map { "by pick \($0)" } ?? "with \(quoted(input))")
        let written = try local(
            n,
            label,
            refusal: refusal,
            expecting: { _ in
                [ExpectedChange(conflict.entity, conflict.entityID, key.field, .assign, value, predecessors)]
            },
            { [pick, input] replica in try replica.resolve(conflict: id, pick: pick, value: input) }
        )
        if written != nil { stats.resolutions += 1 }
    }

    /// A write the folder's rules refuse; it must change nothing.
    func refusedWrite(_ n: Int) throws {
        guard let customer = random.element(of: held(n, .customer)) else { return try createCustomer(n) }
        let unknown = unknownID()
        let journal = random.element(of: held(n, .journal))
        switch random.int(0...8) {
        case 0:
            try expectRefusal(n, "set unknown field fax", .unknownField) {
                try $0.write { try $0.set(.customer, customer.id, field: "fax", to: "030 1234") }
            }
        case 1:
            try expectRefusal(n, "set name of unknown customer \(unknown)", .unknownID) {
                try $0.write { try $0.set(.customer, unknown, field: "name", to: "Ghost Ltd") }
            }
        case 2:
            try expectRefusal(n, "add to unknown set field tags", .unknownField) {
                try $0.write { try $0.add(.customer, customer.id, field: "tags", element: "x") }
            }
        case 3 where journal != nil:
            try expectRefusal(n, "edit immutable journal entry", .unknownField) {
                try $0.write { try $0.set(.journal, journal?.id ?? unknown, field: "notes", to: "rewritten") }
            }
        case 4:
            try expectRefusal(n, "contact of unknown customer", .unknownID) {
                try $0.write { try $0.createContact(customer: unknown, name: "Nobody") }
            }
        case 5:
            try expectRefusal(n, "journal correcting unknown entry", .unknownID) {
                try $0.write {
                    try $0.addJournalEntry(
                        customer: customer.id,
                        at: Date(timeIntervalSince1970: 1_767_225_600),
                        kind: .note,
                        parties: "",
                        notes: "fix",
                        author: "anna",
                        corrects: unknown
                    )
                }
            }
        case 6:
            try expectRefusal(n, "customer with blank name", .invalidValue) {
                try $0.write { try $0.createCustomer(name: " \t ", categories: ["VIP"]) }
            }
        case 7:
            try expectRefusal(n, "document for unknown customer", .unknownID) {
                try $0.write {
                    try $0.addDocument(
                        customer: unknown,
                        title: "x",
                        fileName: "x.pdf",
                        mediaType: "application/pdf",
                        size: 1,
                        digest: String(repeating: "a", count: 64),
                        addedBy: "anna"
                    )
                }
            }
        default:
            try expectRefusal(n, "set a customer's id as a contact", .unknownID) {
                try $0.write { try $0.set(.contact, customer.id, field: "name", to: "Wrong Kind") }
            }
        }
    }

    /// Runs a write that must be refused with `code` and change nothing.
    func expectRefusal<T>(_ n: Int, _ label: String, _ code: ReplicationError.Code, _ action: (Replica) throws -> T)
        throws
    {
        try local(n, label, refusal: code, expecting: { _ in [] }, action)
    }
}
