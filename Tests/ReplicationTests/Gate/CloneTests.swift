import Foundation
import Model
import Replication
import TestSupport
import Testing

/// Two copies of one node writing on: nothing either wrote is lost, and every node that holds
/// writes of both names the node (``Replica/clones()``).
@Suite("Clones: two copies of one node", .offThePool)
struct CloneTests {
    @Test(
        "a folder copied and run twice: the copy writes under a new origin, both copies' writes apply, the node is named a clone"
    )
    func copiedFolderBeginsANewIncarnation() throws {
        let fixture = ReplicaFixture()
        let hq = try fixture.node(2)
        let id: EntityID
        do {
            let laptop = try fixture.node(1)
            id = try fixture.customer(on: laptop, sharedWith: [hq])
        }
        // The folder is copied (as `cp -a` would) and both copies run on.
        try FileManager.default.copyItem(at: fixture.directory(1), to: fixture.directory(5))
        let original = try Replica.open(at: fixture.directory(1), wallClock: fixture.clocks[0].reading)
        let copy = try Replica.open(at: fixture.directory(5), wallClock: fixture.clocks[0].reading)
        #expect(original.origin == original.nodeID)
        #expect(copy.nodeID == original.nodeID && copy.origin != copy.nodeID, "the copy is a new incarnation")
        #expect(try copy.restoredAt() != nil && original.restoredAt() == nil)
        fixture.time.advance(by: 5)
        try original.write { try $0.set(.customer, id, field: "notes", to: "written on the original") }
        try copy.write { try $0.set(.customer, id, field: "phone", to: "written on the copy") }

        try fixture.sync(copy, to: hq)
        #expect(try hq.clones().isEmpty, "a restored node is not a clone")
        try fixture.sync(original, to: hq)
        #expect(try hq.heldChanges().isEmpty)
        let customer = try hq.folder(id).customer
        #expect(customer.notes == "written on the original" && customer.phone == "written on the copy")
        #expect(try hq.clones().map(\.node) == [original.nodeID])
        #expect(try hq.restoredAt(of: original.nodeID) != nil)
        let problems = try hq.check()
        #expect(problems.count == 1 && problems[0].contains("is a clone"), "\(problems)")
        // The copy gets the original's writes too: they are a peer's now.
        try fixture.sync(hq, to: copy)
        #expect(try copy.folder(id).customer.notes == "written on the original")
        #expect(try copy.heldChanges().isEmpty)
    }
}
