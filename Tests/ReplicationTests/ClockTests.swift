import Foundation
import Model
import Replication
import TestSupport
import Testing

/// The probes that once partitioned the fleet through one wrong clock, and the bound that
/// keeps a clock from ruling it (``HybridClock``).
@Suite("Clocks: no stamp partitions or rules the fleet", .offThePool)
struct ClockTests {
    static let minute: Int64 = 60 * 1000
    static let drift: UInt64 = 10 * 60 * 1000

    /// The stamp of the last write of `field` on `replica`.
    static func lastStamp(_ replica: Replica, _ id: EntityID, _ field: String) throws -> HybridTime {
        try #require(try replica.history(of: id, field: field).map(\.time).max())
    }

    static let aheadBy: [Int64] = [0, 9, 10, 11, 60 * 24, 60 * 24 * 2]

    @Test(
        "a change stamped ahead is applied, and moves the receiver's clock no further than the drift bound",
        arguments: aheadBy
    )
    func stampAheadIsAppliedAndBounded(minutes: Int64) throws {
        let fixture = ReplicaFixture()
        let fast = try fixture.node(1, skew: minutes * Self.minute)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: fast, sharedWith: [])
        try fast.write { try $0.set(.customer, id, field: "notes", to: "from the fast node") }
        #expect(try fixture.sync(fast, to: b).applied > 0)
        #expect(try b.folder(id).customer.notes == "from the fast node")
        // b's next write is stamped within its own bound, and supersedes the fast one by
        // causality, whatever the stamps say.
        try b.write { try $0.set(.customer, id, field: "notes", to: "seen, then edited on b") }
        let edited = try #require(try b.history(of: id, field: "notes").first { $0.value == "seen, then edited on b" })
        #expect(edited.time.milliseconds <= fixture.time.milliseconds + Self.drift)
        #expect(edited.isCurrent)
        #expect(try fixture.sync(b, to: fast).conflicts == 0)
        #expect(try fast.folder(id).customer.notes == "seen, then edited on b")
    }

    @Test("a node 9 minutes fast, then one 2 minutes slow: every batch applies and all converge")
    func fastThenSlow() throws {
        let fixture = ReplicaFixture()
        let fast = try fixture.node(1, skew: 9 * Self.minute)
        let office = try fixture.node(2)
        let slow = try fixture.node(3, skew: -2 * Self.minute)
        let id = try fixture.customer(on: office, sharedWith: [fast, slow])
        try fast.write { try $0.set(.customer, id, field: "phone", to: "555-0109") }
        try fixture.sync(fast, to: office)
        try office.write { try $0.set(.customer, id, field: "notes", to: "the office, after the fast node") }
        try slow.write { try $0.set(.customer, id, field: "email", to: "slow@example.com") }
        // The office's batch carries the fast node's change, 11 minutes ahead of the slow
        // node's clock: applied, with the slow node's own changes.
        #expect(try fixture.sync(office, to: slow).applied == 2)
        try fixture.sync(slow, to: office)
        try fixture.sync(office, to: fast)
        for replica in [fast, office, slow] {
            let customer = try replica.folder(id).customer
            #expect(customer.phone == "555-0109")
            #expect(customer.notes == "the office, after the fast node")
            #expect(customer.email == "slow@example.com")
        }
        // The office's stamps did not take the fast node's skew on to the slow node beyond its
        // own bound.
        try slow.write { try $0.set(.customer, id, field: "website", to: "example.com") }
        let stamp = try Self.lastStamp(slow, id, "website")
        #expect(stamp.milliseconds <= UInt64(Int64(fixture.time.milliseconds) - 2 * Self.minute) + Self.drift)
    }

    @Test("a node once 2 days fast recovers by itself as soon as its clock is right; its ids never repeat")
    func onceTwoDaysFast() throws {
        let fixture = ReplicaFixture()
        let laptop = try fixture.node(1, skew: 2 * 24 * 60 * Self.minute)
        let office = try fixture.node(2)
        let before = try laptop.write { try $0.createCustomer(name: "Made while 2 days fast") }
        try fixture.sync(laptop, to: office)
        fixture.clocks[0].setSkew(0)  // the clock is fixed
        fixture.time.advance(by: 1)
        let after = try laptop.write { try $0.createCustomer(name: "Made after the fix") }
        #expect(after != before && after > before, "ids made after the fix still come after earlier ones")
        try laptop.write { try $0.set(.customer, after, field: "notes", to: "stamped by the right clock") }
        let stamp = try Self.lastStamp(laptop, after, "notes")
        #expect(stamp.milliseconds <= fixture.time.milliseconds + Self.drift, "pulled back to the bound")
        #expect(try fixture.sync(laptop, to: office).applied > 0)
        #expect(Set(try office.customers().map(\.name)) == ["Made while 2 days fast", "Made after the fix"])
        // Reopened, the laptop keeps both: the clock and the id clock are persisted.
        let reopened = try Replica.open(at: fixture.directory(1), wallClock: fixture.clocks[0].reading)
        let third = try reopened.write { try $0.createCustomer(name: "After the reopen") }
        #expect(third > after)
    }

    @Test("a fast clock wins only concurrent writes, each a conflict that keeps the loser")
    func fastClockWinsOnlyConcurrentWrites() throws {
        let fixture = ReplicaFixture()
        let fast = try fixture.node(1, skew: 5 * Self.minute)
        let office = try fixture.node(2)
        let id = try fixture.customer(on: office, sharedWith: [fast])
        try fast.write { try $0.set(.customer, id, field: "phone", to: "fast") }
        fixture.time.advance(by: 60_000)
        try office.write { try $0.set(.customer, id, field: "phone", to: "office, a minute later") }
        #expect(try fixture.sync(fast, to: office).conflicts == 1)
        let conflict = try #require(try office.conflicts().first)
        #expect(conflict.candidates.map(\.value) == ["fast", "office, a minute later"], "the later stamp wins")
        // Once the office has seen it, its next write supersedes the fast one, conflict or not.
        try office.write { try $0.set(.customer, id, field: "phone", to: "settled by the office") }
        try fixture.sync(office, to: fast)
        for replica in [fast, office] {
            #expect(try replica.folder(id).customer.phone == "settled by the office")
        }
    }

    @Test(
        "a reopened replica whose wall clock went back an hour: the next write supersedes by causality, ids stay unique"
    )
    func wallClockBackAfterReopen() throws {
        let fixture = ReplicaFixture()
        let id: EntityID
        do {
            let a = try fixture.node(1)
            id = try a.write { try $0.createCustomer(name: "Acme Ltd") }
            try a.write { try $0.set(.customer, id, field: "notes", to: "before the restart") }
        }
        fixture.clocks[0].setSkew(-60 * Self.minute)
        let reopened = try Replica.open(at: fixture.directory(1), wallClock: fixture.clocks[0].reading)
        #expect(reopened.nodeID == ReplicaFixture.nodeID(1))
        try reopened.write { try $0.set(.customer, id, field: "notes", to: "after the restart") }
        let notes = try reopened.history(of: id, field: "notes")
        #expect(notes.count == 2)
        #expect(notes.filter(\.isCurrent).map(\.value) == ["after the restart"])
        #expect(try reopened.conflicts().isEmpty)
        let contact = try reopened.write { try $0.createContact(customer: id, name: "Anna Schmidt") }
        #expect(contact > id, "ids made after the restart still sort after earlier ones")
    }
}
