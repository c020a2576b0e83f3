import Foundation
import Model
import Replication
import Testing

/// Content is bound to a change's id: two copies of one node writing on are detected by every
/// node that receives writes of both, and nothing either copy wrote is lost.
@Suite("Clones: two different changes under one number")
struct CloneTests {
    @Test(
        "a node copied and run twice: the second copy's colliding changes are held as clone, listed and named by check"
    )
    func liveCloneIsDetected() throws {
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
        try original.write { try $0.set(.customer, id, field: "notes", to: "written on the original") }
        fixture.time.advance(by: 5)
        try copy.write { try $0.set(.customer, id, field: "phone", to: "written on the copy") }

        #expect(try fixture.sync(original, to: hq).applied == 1)
        // Everything the copy holds, as a full bundle carries it: its change under the number
        // the original's change took is not taken for that one.
        let everything = try #require(try copy.nextBatch(after: VersionVector()))
        let outcome = try hq.apply(everything)
        #expect(outcome.applied == 0)
        let held = try hq.heldChanges()
        #expect(held.map(\.reason) == [.clone])
        #expect(held.first?.value == "written on the copy", "the copy's write is kept")
        #expect(try hq.folder(id).customer.notes == "written on the original")
        #expect(try hq.clones().map(\.node) == [original.nodeID])
        let problems = try hq.check()
        #expect(problems.count == 1 && problems[0].contains("is a clone"), "\(problems)")
        // The same change again is still one held change; an identical duplicate is not a clone.
        try hq.apply(everything)
        try hq.apply(try #require(try original.nextBatch(after: VersionVector())))
        #expect(try hq.heldChanges().count == 1)
    }
}
