import Foundation
import Model
import Replication
import TestSupport
import Testing

@Suite("Customer merges: which are in force, and in which order", .offThePool)
struct CustomerMergeTests {
    /// Regression, found by the simulation: merges were taken in the order of `merged_at`, the
    /// merging node's wall clock. A node whose clock read earlier than that of a node whose
    /// merge it had received merged C (merged into D there) into K: its merge was taken first,
    /// C went to K and then D's merge of C moved K into D — the customer the user kept was gone
    /// from the list on every node, and the node's own merge returned K while K's folder was D's.
    @Test("a merge made after seeing another is taken after it, whatever the wall clocks say")
    func mergeAfterSeeingAnother() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2, skew: -3 * 60 * 1000)
        let c = try fixture.customer(on: a)
        let d = try fixture.customer(on: a)
        let k = try fixture.customer(on: a, sharedWith: [b])
        fixture.time.advance(by: 1_000)
        try a.write { _ = try $0.mergeCustomers(keep: d, duplicate: c, by: "anna") }
        try fixture.sync(a, to: b)
        fixture.time.advance(by: 1_000)
        let kept = try b.write { try $0.mergeCustomers(keep: k, duplicate: c, by: "bob").keep }
        #expect(kept == k)
        try fixture.sync(b, to: a)
        for replica in [a, b] {
            for id in [c, d, k] {
                #expect(try replica.folder(id).customer.id == k, "node \(replica.nodeID.short), customer \(id)")
            }
            #expect(try replica.customerIDs() == [k])
        }
    }

    /// Regression, found while adding merges to the simulation: `merged_at` is written with
    /// milliseconds only when there are any, so as text a merge at 00:00:01.500 sorted before
    /// one at 00:00:01 — the earlier of two opposite merges made apart changed nothing.
    @Test("of two opposite merges made apart, the earlier one holds, also within one second")
    func oppositeMergesWithinOneSecond() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let first = try fixture.customer(on: a)
        let second = try fixture.customer(on: a, sharedWith: [b])
        // SimulatedTime starts on a whole second: a's merge is at hh:mm:01, b's at hh:mm:01.500.
        fixture.time.advance(by: 1_000)
        try a.write { _ = try $0.mergeCustomers(keep: second, duplicate: first, by: "anna") }
        fixture.time.advance(by: 500)
        try b.write { _ = try $0.mergeCustomers(keep: first, duplicate: second, by: "bob") }
        try fixture.sync(a, to: b)
        try fixture.sync(b, to: a)
        for replica in [a, b] {
            #expect(try replica.folder(first).customer.id == second, "node \(replica.nodeID.short)")
            #expect(try replica.customerIDs() == [second], "node \(replica.nodeID.short)")
        }
    }

    /// Two offices that share customer "Real Ltd"; hq revoked the laptop, which then made
    /// "Thief Ltd" and gave it to the branch — which has not heard of the revocation yet.
    static func thiefAfterRevocation() throws -> (
        fleet: ReplicaRevocationTests.Fleet, hq: Replica, branch: Replica, real: EntityID, thief: EntityID
    ) {
        typealias Identity = ReplicaRevocationTests.Identity
        let fleet = ReplicaRevocationTests.Fleet()
        let (hqID, branchID, laptopID) = (Identity("hq"), Identity("branch"), Identity("laptop"))
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        try hq.addPeer(branchID.nodeID, name: "branch", address: nil, role: .office)
        try branch.addPeer(hqID.nodeID, name: "hq", address: nil, role: .office)
        let real = try branch.write { try $0.createCustomer(name: "Real Ltd") }
        try fleet.sync(branch, to: hq)
        _ = try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        let thief = try laptop.write { try $0.createCustomer(name: "Thief Ltd") }
        try fleet.sync(laptop, to: branch)
        return (fleet, hq, branch, real, thief)
    }

    /// Regression, found by the simulation: a merge into a customer that a revoked node made
    /// after its revocation (kept by no other write) pointed the duplicate at a customer with no
    /// row once the revocation arrived: the duplicate left the list, and its folder — contacts,
    /// journal, documents — could no longer be opened on any node. A merge is in force only
    /// where both its customers exist.
    @Test("a merge into a customer a revocation takes back hides no folder")
    func mergeIntoRevokedCustomer() throws {
        let (fleet, hq, branch, real, thief) = try Self.thiefAfterRevocation()
        try branch.write { _ = try $0.mergeCustomers(keep: thief, duplicate: real, by: "bob") }
        #expect(try branch.folder(real).customer.id == thief, "before the revocation arrives")
        try fleet.sync(hq, to: branch)
        try fleet.sync(branch, to: hq)
        for replica in [hq, branch] {
            #expect(try replica.folder(real).customer.id == real, "node \(replica.nodeID.short)")
            #expect(try replica.customerIDs() == [real], "node \(replica.nodeID.short)")
        }
    }

    /// Regression, found by the simulation (seeds 4805, 5542, 5844): a revocation that dropped
    /// the row of a customer merged into another (one the revoked node made after its
    /// revocation) left that other customer's search row holding the dropped one's contacts:
    /// `check()` found the index out of date.
    @Test("a revocation that drops a merged customer's row keeps the search index of its folder")
    func revokedMergedCustomerSearch() throws {
        let (fleet, hq, branch, real, thief) = try Self.thiefAfterRevocation()
        try branch.write { writer in
            _ = try writer.createContact(customer: thief, name: "Zebedee Quixote")
            _ = try writer.mergeCustomers(keep: real, duplicate: thief, by: "bob")
        }
        try fleet.sync(hq, to: branch)
        try fleet.sync(branch, to: hq)
        for replica in [hq, branch] {
            #expect(try replica.check().isEmpty, "node \(replica.nodeID.short)")
            #expect(try replica.folder(real).contacts.isEmpty, "node \(replica.nodeID.short)")
        }
    }
}
