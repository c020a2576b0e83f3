import Foundation
import Model
import Replication
import TestSupport
import Testing

/// One test per way a trusted-but-buggy or hostile peer could once break a node: each change
/// the gate refuses is held and listed, the changes after it in the same batch still land, and
/// the replica's invariants hold (`check()`).
@Suite("Gate: hostile batches are held, never fatal", .offThePool)
struct HostileBatchTests {
    @Test("a predecessor numbered 2^63 or more is held as malformed, not a trap")
    func hugePredecessorSequence() throws {
        let world = try HostileBatchFixture()
        let create = world.next()
        let hostile = world.next(
            id: create.entityID,
            value: "Evil",
            predecessors: [WriteID(origin: world.peer, seq: UInt64(Int64.max) + 1)]
        )
        let after = world.next(id: create.entityID, field: "notes", value: "still arrives")
        let outcome = try world.deliver([create, hostile, after])
        #expect(outcome.applied == 2 && outcome.held == 1)
        #expect(try world.held().map(\.reason) == [.malformed])
        #expect(try world.receiver.folder(create.entityID).customer.name == "Acme Ltd")
        #expect(try world.receiver.folder(create.entityID).customer.notes == "still arrives")
        #expect(try world.receiver.check() == [])
        // Regression (found by the simulation): the held change names a node this replica holds
        // nothing of; it is still forwarded, unchanged.
        let stranger = world.next(
            id: create.entityID,
            field: "phone",
            value: "1",
            predecessors: [WriteID(origin: ReplicaFixture.nodeID(77), seq: UInt64(Int64.max) + 5)]
        )
        try world.receiver.apply(ChangeBatch(base: try world.receiver.versionVector(), changes: [stranger]))
        let forwarded = try #require(try world.receiver.nextBatch(after: VersionVector()))
        #expect(forwarded.changes == [create, hostile, after, stranger])
    }

    @Test("a document whose digest is not lower-case hex is held and never asked for")
    func upperCaseDigest() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let record = { (digest: String) in
            """
            {"addedAt":"2026-01-01T00:00:00Z","addedBy":"peer","customerId":"\(customer.entityID)",\
            "digest":"\(digest)","fileName":"a.pdf","mediaType":"application/pdf","size":3,"title":"A"}
            """
        }
        let bad = world.next(
            .document,
            field: "",
            operation: .record,
            value: record(String(repeating: "AB", count: 32))
        )
        let good = world.next(
            .document,
            field: "",
            operation: .record,
            value: record(String(repeating: "ab", count: 32))
        )
        let outcome = try world.deliver([customer, bad, good])
        #expect(outcome.held == 1 && outcome.applied == 2)
        #expect(try world.receiver.documentDigests() == [String(repeating: "ab", count: 32)])
        #expect(try world.held().first?.entityID == bad.entityID.description)
        #expect(try world.receiver.check() == [])
    }

    @Test("changes under the receiver's own origin beyond what it wrote are held aside, never applied")
    func forgedOwnOrigin() throws {
        let world = try HostileBatchFixture()
        let id = try world.receiver.write { try $0.createCustomer(name: "Mine") }
        let forged = Change(
            origin: world.receiver.nodeID,
            seq: 2,
            time: HybridTime(milliseconds: SimulatedTime.epoch + 5 * 60 * 1000, counter: 0),
            entity: .customer,
            entityID: id,
            field: "name",
            operation: .assign,
            value: "Forged",
            predecessors: [WriteID(origin: world.receiver.nodeID, seq: 1)]
        )
        let honest = world.next()
        let outcome = try world.deliver([forged, honest])
        #expect(outcome.held == 1 && outcome.applied == 1)
        #expect(try world.receiver.folder(id).customer.name == "Mine")
        let held = try #require(try world.held().first)
        #expect(held.reason == .ownOrigin && !held.inLog)
        #expect(try world.receiver.versionVector()[world.receiver.nodeID] == 1, "the forgery takes no place in the log")
        // The next local write takes seq 2 and is applied as usual.
        try world.receiver.write { try $0.set(.customer, id, field: "notes", to: "next") }
        #expect(try world.receiver.folder(id).customer.notes == "next")
        #expect(try world.receiver.check() == [])
    }

    @Test("two records under one id: the same record on every node, whatever the order")
    func twoRecordsOneID() throws {
        let customer = HostileBatchFixture.journalCustomer
        func entry(_ notes: String) -> String {
            """
            {"at":"2026-01-01T00:00:00Z","author":"peer","customerId":"\(customer)","kind":"call",\
            "notes":"\(notes)","parties":""}
            """
        }
        var outcomes: [[String]] = []
        for order in [false, true] {
            let world = try HostileBatchFixture()
            let create = world.next(id: customer)
            let id = EntityID(milliseconds: SimulatedTime.epoch, counter: 77, node: world.peer.discriminator)
            let first = world.next(.journal, id: id, field: "", operation: .record, value: entry("first"), counter: 1)
            let second = world.next(.journal, id: id, field: "", operation: .record, value: entry("second"), counter: 2)
            // Deliver in causal (seq) order, but let clocks disagree with it in one run.
            let changes =
                order
                ? [create, first, second]
                : [create, retimed(first, counter: 9), second]
            try world.deliver(changes)
            outcomes.append(try world.receiver.journal(customer: customer).map(\.notes))
            #expect(try world.held().count == 1)
            #expect(try world.receiver.check() == [])
        }
        #expect(outcomes == [["second"], ["first"]], "the record with the earlier clock wins, whichever came first")
    }

    @Test("a contact change carrying a customer's id is held; the customer's fields stay its own")
    func kindMismatch() throws {
        let world = try HostileBatchFixture()
        let customer = world.next(value: "Acme Ltd")
        let contact = world.next(.contact, id: customer.entityID, field: "name", value: "Not a customer")
        let outcome = try world.deliver([customer, contact])
        #expect(outcome.held == 1)
        #expect(try world.receiver.folder(customer.entityID).customer.name == "Acme Ltd")
        #expect(try world.receiver.history(of: customer.entityID, field: "name").filter(\.isCurrent).count == 1)
        #expect(try world.held().first?.reason == .rule)
        #expect(try world.receiver.conflicts().isEmpty)
    }

    @Test("a labelled element not in stored form ('Mobile: 1') is held; the stored form is applied")
    func labelCase() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let contact = world.next(.contact, field: "customer", value: customer.entityID.description)
        let name = world.next(.contact, id: contact.entityID, field: "name", value: "Ann")
        let upper = world.next(.contact, id: contact.entityID, field: "phones", operation: .add, value: "Mobile: 1")
        let lower = world.next(.contact, id: contact.entityID, field: "phones", operation: .add, value: "mobile: 1")
        let outcome = try world.deliver([customer, contact, name, upper, lower])
        #expect(outcome.held == 1)
        #expect(try world.receiver.contact(contact.entityID).phones == [LabelledValue(label: "mobile", value: "1")])
        // Removing the stored element removes the row: no other element shares it.
        try world.receiver.write { try $0.remove(.contact, contact.entityID, field: "phones", element: "mobile: 1") }
        #expect(try world.receiver.contact(contact.entityID).phones.isEmpty)
    }

    @Test("an unknown kind, field and operation are logged, held, forwarded unchanged, and the rest arrives")
    func newerRelease() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let kind = world.next(EntityKind(code: 200), field: "x", value: "y")
        let field = world.next(id: customer.entityID, field: "fax", value: "123")
        let operation = world.next(id: customer.entityID, field: "name", operation: .unknown(6), value: "z")
        let after = world.next(id: customer.entityID, field: "notes", value: "after")
        let outcome = try world.deliver([customer, kind, field, operation, after])
        #expect(outcome.held == 3 && outcome.applied == 2)
        #expect(Set(try world.held().map(\.reason)) == [.unknownKind, .unknownField, .unknownOperation])
        #expect(try world.held().allSatisfy(\.inLog))
        #expect(try world.receiver.folder(customer.entityID).customer.notes == "after")
        // Forwarded unchanged: the next node gets exactly what was sent.
        let forwarded = try #require(try world.receiver.nextBatch(after: VersionVector()))
        #expect(forwarded.changes == [customer, kind, field, operation, after])
        #expect(try world.receiver.check() == [])
    }

    @Test("a change that skips sequence numbers waits aside and lands once the gap is filled")
    func gapFilled() throws {
        let world = try HostileBatchFixture()
        let one = world.next()
        let two = world.next(id: one.entityID, field: "notes", value: "two")
        let three = world.next(id: one.entityID, field: "phone", value: "3")
        try world.deliver([one, three])
        #expect(try world.held().map(\.reason) == [.outOfOrder])
        #expect(try world.receiver.versionVector()[world.peer] == 1)
        try world.receiver.apply(ChangeBatch(base: try world.receiver.versionVector(), changes: [two]))
        #expect(try world.held().isEmpty)
        #expect(try world.receiver.versionVector()[world.peer] == 3)
        #expect(try world.receiver.folder(one.entityID).customer.phone == "3")
        #expect(try world.receiver.check() == [])
    }

    @Test("a value not in stored form is held and can be accepted by an admin; the acceptance replicates")
    func acceptReplicates() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let email = world.next(id: customer.entityID, field: "email", value: "Info@EXAMPLE.com ")
        try world.deliver([customer, email])
        let held = try #require(try world.held().first)
        #expect(held.reason == .rule)
        try world.receiver.acceptHeld([held.id], reason: "checked with the customer", by: "admin")
        #expect(try world.held().isEmpty)
        #expect(try world.receiver.folder(customer.entityID).customer.email == "Info@EXAMPLE.com ")
        // A second node that got the same changes and then the decision applies it too.
        let other = try Replica.create(
            at: world.fixture.directory(2),
            nodeID: ReplicaFixture.nodeID(2),
            name: "other",
            wallClock: { SimulatedTime.epoch }
        )
        try world.fixture.sync(world.receiver, to: other)
        #expect(try other.heldChanges().isEmpty)
        #expect(try other.folder(customer.entityID).customer.email == "Info@EXAMPLE.com ")
        #expect(try other.check() == [] && world.receiver.check() == [])
    }

    @Test("a dropped change leaves held list everywhere and is never applied")
    func dropReplicates() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let empty = world.next(id: customer.entityID, field: "name", value: "", predecessors: [customer.id])
        try world.deliver([customer, empty])
        let held = try #require(try world.held().first)
        #expect(throws: ReplicationError.self) {
            try world.receiver.dropHeld(["nonexistent"], reason: "x", by: "admin")
        }
        try world.receiver.dropHeld([held.id], reason: "a name is required", by: "admin")
        #expect(try world.held().isEmpty)
        #expect(try world.receiver.folder(customer.entityID).customer.name == "Acme Ltd")
    }

    @Test("an acceptance that cannot be carried out is refused, records nothing, and the change stays listed")
    func acceptThatCannotApply() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let valueless = world.next(id: customer.entityID, field: "categories", operation: .add, value: nil)
        try world.deliver([customer, valueless])
        let held = try #require(try world.held().first)
        #expect(held.reason == .rule)
        let before = try world.receiver.versionVector()
        #expect {
            try world.receiver.acceptHeld([held.id], by: "admin")
        } throws: { error in
            (error as? ReplicationError)?.message.contains("drop it instead") == true
        }
        #expect(try world.held().map(\.id) == [held.id])
        #expect(try world.receiver.heldCount() == 1)
        #expect(try world.receiver.versionVector() == before, "no decision was recorded")
    }

    @Test("an unknown kind cannot be accepted: the refusal says to upgrade")
    func unknownKindNotAcceptable() throws {
        let world = try HostileBatchFixture()
        try world.deliver([world.next(EntityKind(code: 200), field: "x", value: "y")])
        let held = try #require(try world.held().first)
        #expect {
            try world.receiver.acceptHeld([held.id], by: "admin")
        } throws: { error in
            (error as? ReplicationError)?.message.contains("upgrade") == true
        }
    }

    @Test("after an upgrade, what a newer release wrote and this node held is applied")
    func upgradeAppliesHeld() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let rating = world.next(id: customer.entityID, field: "preview_rating", value: "A")
        let sample = world.next(EntityKind(code: 250), field: "customer", value: customer.entityID.description)
        let sampleName = world.next(EntityKind(code: 250), id: sample.entityID, field: "name", value: "Drill")
        let dropped = world.next(id: customer.entityID, field: "preview_rating", value: "Z", predecessors: [rating.id])
        try world.deliver([customer, rating, sample, sampleName, dropped])
        #expect(try world.held().count == 4)
        let droppedID = try #require(try world.held().first { $0.value == "Z" }?.id)
        try world.receiver.dropHeld([droppedID], reason: "wrong rating", by: "admin")
        let directory = world.receiver.directory
        let upgraded = try Replica.open(at: directory, schema: .preview, wallClock: { SimulatedTime.epoch })
        #expect(try upgraded.heldChanges().isEmpty)
        let snapshot = try upgraded.entity(sample.entityID)
        #expect(snapshot.kind.name == "preview-sample")
        #expect(snapshot.fields.first { $0.name == "name" }?.value == "Drill")
        #expect(try upgraded.entity(customer.entityID).fields.first { $0.name == "preview_rating" }?.value == "A")
        #expect(try upgraded.check() == [])
    }

    /// Regression, found by the apply-path fuzzer: JSON 0 and 1 read as Booleans, so a one-byte
    /// document (or a decision on change 1) was refused, and `true` must still be.
    @Test("record integers 0 and 1 are integers; true and false are not")
    func recordIntegersAreNotBooleans() throws {
        let world = try HostileBatchFixture()
        let customer = world.next()
        let record = { (size: String) in
            """
            {"addedAt":"2026-01-01T00:00:00Z","addedBy":"peer","customerId":"\(customer.entityID)",\
            "digest":"\(String(repeating: "0", count: 64))","fileName":"a","mediaType":"text/plain","size":\(size),"title":"A"}
            """
        }
        let changes = ["0", "1", "true", "false", "1.5"].map {
            world.next(.document, field: "", operation: .record, value: record($0))
        }
        let outcome = try world.deliver([customer] + changes)
        #expect(outcome.applied == 3 && outcome.held == 3)
        let local = try world.receiver.write { writer in
            try writer.addDocument(
                customer: customer.entityID,
                title: "one byte",
                fileName: "a.txt",
                mediaType: "text/plain",
                size: 1,
                digest: String(repeating: "1", count: 64),
                addedBy: "me"
            )
        }
        #expect(try world.receiver.document(local).size == 1)
    }

    @Test("add-wins: an add of an element the writer already holds survives a concurrent remove")
    func addWinsWhenHeld() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.add(.customer, id, field: "categories", element: "vip") }
        try fixture.sync(a, to: b)
        try a.write { try $0.remove(.customer, id, field: "categories", element: "vip") }
        try b.write { try $0.add(.customer, id, field: "categories", element: "vip") }
        try fixture.sync(a, to: b)
        try fixture.sync(b, to: a)
        #expect(try a.folder(id).customer.categories == ["vip"])
        #expect(try b.folder(id).customer.categories == ["vip"])
    }

    private func retimed(_ change: Change, counter: UInt16) -> Change {
        var copy = change
        copy.time = HybridTime(milliseconds: change.time.milliseconds, counter: counter)
        return copy
    }
}

extension HostileBatchFixture {
    /// The customer id the journal tests file entries under (made by the peer's first change).
    static var journalCustomer: EntityID {
        EntityID(milliseconds: SimulatedTime.epoch - 1000, counter: 1, node: ReplicaFixture.nodeID(9).discriminator)
    }
}
