import Foundation
import Model
import Replication
import TestSupport
import Testing

@Suite("Replica: merging, exchanging, refusing", .offThePool)
struct ReplicaTests {
    @Test("an edit made after seeing another node's edit is not a conflict, even with a slower wall clock")
    func sequentialEdit() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2, skew: -5 * 60 * 1000)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "notes", to: "from A") }
        try fixture.sync(a, to: b)
        fixture.time.advance(by: 1)
        try b.write { try $0.set(.customer, id, field: "notes", to: "from B") }
        let outcome = try fixture.sync(b, to: a)
        #expect(outcome == ApplyOutcome(applied: 1, duplicates: 0, conflicts: 0))
        for replica in [a, b] {
            #expect(try replica.conflicts().isEmpty)
            #expect(try replica.folder(id).customer.notes == "from B")
        }
    }

    @Test("two concurrent edits are one conflict, identical on both replicas")
    func concurrentEdits() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "phone", to: "+44 20 7946 0958") }
        fixture.time.advance(by: 10)
        try b.write { try $0.set(.customer, id, field: "phone", to: "(555) 010-0199") }
        #expect(try fixture.sync(a, to: b).conflicts == 1)
        #expect(try fixture.sync(b, to: a).conflicts == 1)
        let onA = try a.conflicts()
        let onB = try b.conflicts()
        #expect(onA == onB)
        let conflict = try #require(onA.first)
        #expect(onA.count == 1)
        #expect(conflict.entityID == id && conflict.field == "phone")
        #expect(conflict.candidates.map(\.value) == ["(555) 010-0199", "+44 20 7946 0958"], "the later write first")
        #expect(conflict.candidates.map(\.origin) == [b.nodeID, a.nodeID])
        #expect(try a.folder(id).customer.phone == "(555) 010-0199")
        #expect(try b.folder(id).customer.phone == "(555) 010-0199")
        #expect(try a.folder(id).conflictedFields == ["\(id)/phone"])
    }

    /// Regression, found by the simulation (seed 1): when two nodes overwrite the same earlier
    /// value, the second write to arrive names a predecessor the first already replaced. The
    /// engine once counted that predecessor as a replaced head, saw one head, showed the
    /// arriving value whatever the winner, and counted no conflict: replicas disagreed.
    @Test("concurrent overwrites of one earlier value show the winner on every replica")
    func concurrentOverwritesOfASharedValue() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "notes", to: "shared") }
        try fixture.sync(a, to: b)
        fixture.time.advance(by: 1)
        try a.write { try $0.set(.customer, id, field: "notes", to: "A's") }
        fixture.time.advance(by: 1)
        try b.write { try $0.set(.customer, id, field: "notes", to: "B's, the later") }
        let toB = try fixture.sync(a, to: b)
        let toA = try fixture.sync(b, to: a)
        #expect(toB.conflicts == 1)
        #expect(toA.conflicts == 1)
        for replica in [a, b] {
            #expect(try replica.conflicts().first?.current == "B's, the later")
            #expect(try replica.folder(id).customer.notes == "B's, the later", "node \(replica.nodeID.short)")
        }
    }

    @Test("resolving on one replica settles the conflict on both after an exchange", arguments: [true, false])
    func resolution(byPick: Bool) throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "email", to: "info@acme.example") }
        try b.write { try $0.set(.customer, id, field: "email", to: "sales@acme.example") }
        try fixture.sync(a, to: b)
        try fixture.sync(b, to: a)
        let conflict = try #require(try a.conflicts().first)
        let loser = try #require(conflict.candidates.last?.value)
        fixture.time.advance(by: 5)
        if byPick {
            try a.resolve(conflict: conflict.id.uppercased(), pick: conflict.candidates.count - 1, value: nil)
        } else {
            try a.resolve(conflict: conflict.id, pick: nil, value: "  Orders@ACME.Example ")
        }
        let expected = byPick ? loser : "Orders@acme.example"
        #expect(try fixture.sync(a, to: b) == ApplyOutcome(applied: 1, duplicates: 0, conflicts: 0))
        for replica in [a, b] {
            #expect(try replica.conflicts().isEmpty)
            #expect(try replica.folder(id).customer.email == expected)
            let current = try replica.history(of: id, field: "email").filter(\.isCurrent)
            #expect(current.map(\.value) == [expected])
        }
        #expect(throws: ReplicationError(.unknownConflict, "")) {
            try b.resolve(conflict: conflict.id, pick: 0, value: nil)
        }
    }

    @Test("a candidate that does not exist is refused and changes nothing")
    func badPick() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "email", to: "info@acme.example") }
        try b.write { try $0.set(.customer, id, field: "email", to: "sales@acme.example") }
        try fixture.sync(b, to: a)
        let conflict = try #require(try a.conflicts().first)
        let vector = try a.versionVector()
        #expect(throws: ReplicationError(.badPick, "")) { try a.resolve(conflict: conflict.id, pick: 2, value: nil) }
        #expect(throws: ReplicationError(.badPick, "")) { try a.resolve(conflict: conflict.id, pick: -1, value: nil) }
        #expect(throws: ReplicationError(.invalidValue, "")) {
            try a.resolve(conflict: conflict.id, pick: nil, value: "not an address")
        }
        #expect(throws: ReplicationError(.unknownConflict, "")) { try a.resolve(conflict: "abc", pick: 0, value: nil) }
        #expect(try a.versionVector() == vector)
        #expect(try a.conflicts() == [conflict])
    }

    /// Regression: settling a conflict once checked the value's text only, not the rule that a
    /// contact's `customer` names an existing customer, and the contact became unreadable.
    @Test(
        "settling a contact's customer conflict with a bad id is refused like setting it",
        arguments: [
            ("not-an-id", ReplicationError.Code.invalidValue), ("0193a5c4-2f00-7000-8000-1a2b3c4d5e6f", .unknownID),
        ]
    )
    func resolveContactCustomer(value: String, code: ReplicationError.Code) throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let first = try a.write { try $0.createCustomer(name: "One") }
        let second = try a.write { try $0.createCustomer(name: "Two") }
        let third = try a.write { try $0.createCustomer(name: "Three") }
        let contact = try a.write { try $0.createContact(customer: first, name: "Anna Schmidt") }
        try fixture.sync(a, to: b)
        try a.write { try $0.set(.contact, contact, field: "customer", to: second.description) }
        try b.write { try $0.set(.contact, contact, field: "customer", to: third.description) }
        try fixture.sync(b, to: a)
        let conflict = try #require(try a.conflicts().first)
        let error = #expect(throws: ReplicationError.self) {
            try a.resolve(conflict: conflict.id, pick: nil, value: value)
        }
        #expect(error?.code == code)
        #expect(try a.conflicts() == [conflict])
        #expect(throws: Never.self) { try a.contact(contact) }
    }

    /// Regression: a customer id typed in upper case was stored as typed, and the plain
    /// `contacts.customer_id` then matched no customer.
    @Test("a contact's customer is stored in the id's canonical form")
    func canonicalCustomerReference() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let first = try a.write { try $0.createCustomer(name: "One") }
        let second = try a.write { try $0.createCustomer(name: "Two") }
        let contact = try a.write { try $0.createContact(customer: first, name: "Anna Schmidt") }
        try a.write { try $0.set(.contact, contact, field: "customer", to: second.description.uppercased()) }
        #expect(try a.folder(second).contacts.map(\.id) == [contact])
        #expect(try a.folder(first).contacts.isEmpty)
    }

    @Test("applying a batch twice is applying it once")
    func duplicateBatch() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try a.write { try $0.createCustomer(name: "Müller & Söhne GmbH", categories: ["VIP", "wholesale"]) }
        try a.write { try $0.remove(.customer, id, field: "categories", element: "VIP") }
        let batch = try #require(try a.nextBatch(after: try b.versionVector()))
        #expect(try b.apply(batch) == ApplyOutcome(applied: 4, duplicates: 0, conflicts: 0))
        let tables = try PlainTables.readAll(b)
        #expect(try b.apply(batch) == ApplyOutcome(applied: 0, duplicates: 4, conflicts: 0))
        #expect(try b.apply([batch, batch]) == ApplyOutcome(applied: 0, duplicates: 8, conflicts: 0))
        #expect(try PlainTables.readAll(b) == tables)
        #expect(try b.versionVector() == a.versionVector())
        #expect(try b.folder(id).customer.categories == ["wholesale"])
    }

    @Test("a batch whose base the replica lacks is refused and changes nothing")
    func unmetBase() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try a.write { try $0.createCustomer(name: "Acme Ltd") }
        try a.write { try $0.set(.customer, id, field: "notes", to: "second") }
        try a.write { try $0.set(.customer, id, field: "notes", to: "third") }
        let first = try #require(try a.nextBatch(after: VersionVector(), maxChanges: 1))
        let rest = try #require(try a.nextBatch(after: first.base.advanced(by: first), maxChanges: 10))
        #expect(rest.base == VersionVector([a.nodeID: 1]))
        let error = #expect(throws: ReplicationError.self) { try b.apply(rest) }
        #expect(error?.code == .missingPrerequisites)
        #expect(throws: ReplicationError(.missingPrerequisites, "")) { try b.apply([rest, first]) }
        #expect(try b.versionVector() == VersionVector())
        #expect(try b.customers().isEmpty)
        #expect(try b.apply([first, rest]).applied == 3)
        #expect(try b.folder(id).customer.notes == "third")
    }

    struct BadWrite: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let code: ReplicationError.Code
        let write: @Sendable (inout LocalWriter, EntityID) throws -> Void
    }

    static let badWrites: [BadWrite] = [
        BadWrite(testDescription: "unknown customer", code: .unknownID) { writer, _ in
            try writer.set(.customer, EntityID(milliseconds: 5, counter: 0, node: 7), field: "name", to: "Ghost")
        },
        BadWrite(testDescription: "customer id used as a contact", code: .unknownID) { writer, id in
            try writer.set(.contact, id, field: "name", to: "Wrong kind")
        },
        BadWrite(testDescription: "unknown field", code: .unknownField) { writer, id in
            try writer.set(.customer, id, field: "fax", to: "030 1234")
        },
        BadWrite(testDescription: "field name in the wrong case", code: .unknownField) { writer, id in
            try writer.set(.customer, id, field: "Notes", to: "x")
        },
        BadWrite(testDescription: "set field written as a register", code: .unknownField) { writer, id in
            try writer.set(.customer, id, field: "categories", to: "VIP")
        },
        BadWrite(testDescription: "register added to as a set", code: .unknownField) { writer, id in
            try writer.add(.customer, id, field: "notes", element: "x")
        },
        BadWrite(testDescription: "contact of an unknown customer", code: .unknownID) { writer, _ in
            _ = try writer.createContact(customer: EntityID(milliseconds: 5, counter: 1, node: 7), name: "Nobody")
        },
        BadWrite(testDescription: "contact moved to an unknown customer", code: .unknownID) { writer, id in
            let contact = try writer.createContact(customer: id, name: "Anna")
            try writer.set(
                .contact,
                contact,
                field: "customer",
                to: EntityID(milliseconds: 5, counter: 2, node: 7).description
            )
        },
        BadWrite(testDescription: "contact moved to a malformed id", code: .invalidValue) { writer, id in
            let contact = try writer.createContact(customer: id, name: "Anna")
            try writer.set(.contact, contact, field: "customer", to: "not-an-id")
        },
        BadWrite(testDescription: "required name cleared", code: .invalidValue) { writer, id in
            try writer.set(.customer, id, field: "name", to: "   ")
        },
        BadWrite(testDescription: "malformed e-mail address", code: .invalidValue) { writer, id in
            try writer.set(.customer, id, field: "email", to: "john@")
        },
        BadWrite(testDescription: "removing an absent element", code: .invalidValue) { writer, id in
            try writer.remove(.customer, id, field: "categories", element: "never added")
        },
        BadWrite(testDescription: "journal entry of an unknown customer", code: .unknownID) { writer, _ in
            _ = try writer.addJournalEntry(
                customer: EntityID(milliseconds: 5, counter: 3, node: 7),
                at: Date(timeIntervalSince1970: 1_767_225_600),
                kind: .call,
                parties: "",
                notes: "",
                author: "anna"
            )
        },
    ]

    @Test("writes to unknown ids or fields are refused and change nothing", arguments: badWrites)
    func refusedWrite(_ bad: BadWrite) throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let id = try a.write { try $0.createCustomer(name: "Acme Ltd", fields: ["notes": "keep"]) }
        let vector = try a.versionVector()
        let tables = try PlainTables.readAll(a)
        let error = #expect(throws: ReplicationError.self) { try a.write { try bad.write(&$0, id) } }
        #expect(error?.code == bad.code, "\(error?.message ?? "")")
        #expect(error?.message.isEmpty == false)
        #expect(try a.versionVector() == vector)
        #expect(try PlainTables.readAll(a) == tables)
    }

    @Test("history lists every write of an entity from every node, oldest first")
    func history() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try a.write { try $0.createCustomer(name: "Acme Ltd", categories: ["VIP"]) }
        fixture.time.advance(by: 1)
        try a.write { try $0.set(.customer, id, field: "notes", to: "first") }
        try fixture.sync(a, to: b)
        fixture.time.advance(by: 1)
        try b.write {
            try $0.set(.customer, id, field: "notes", to: "second")
            try $0.remove(.customer, id, field: "categories", element: "VIP")
            try $0.add(.customer, id, field: "categories", element: "wholesale")
        }
        _ = try b.write {
            try $0.addJournalEntry(
                customer: id,
                at: Date(timeIntervalSince1970: 1_767_225_600),
                kind: .call,
                parties: "",
                notes: "not part of the customer's own history",
                author: "bob"
            )
        }
        try fixture.sync(b, to: a)
        for replica in [a, b] {
            let history = try replica.history(of: id)
            #expect(history.map(\.field) == ["name", "categories", "notes", "notes", "categories", "categories"])
            #expect(history.map(\.operation) == [.assign, .add, .assign, .assign, .remove, .add])
            #expect(history.map(\.value) == ["Acme Ltd", "VIP", "first", "second", "VIP", "wholesale"])
            #expect(history.map(\.isCurrent) == [true, false, false, true, false, true])
            #expect(history.map(\.origin) == [a.nodeID, a.nodeID, a.nodeID, b.nodeID, b.nodeID, b.nodeID])
            #expect(history.map(\.time) == history.map(\.time).sorted())
            #expect(try replica.history(of: id, field: "notes").map(\.value) == ["first", "second"])
        }
        #expect(throws: ReplicationError(.unknownID, "")) {
            try a.history(of: EntityID(milliseconds: 5, counter: 0, node: 7))
        }
    }
}
