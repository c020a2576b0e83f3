import Foundation
import GRDB
import Model
import Testing

@testable import Replication

/// Reclaiming removed set elements' rows by acknowledgement (docs/ARCHITECTURE.md,
/// "Reclaiming what removals leave behind"): never before every member of the fleet is known
/// to hold the remove, and never changing what a folder shows.
@Suite("Reclamation by acknowledgement")
struct ReclamationTests {
    /// Three offices that each wrote (so each is a member), sharing one customer with the
    /// category "VIP", which node 1 then removes.
    struct Fleet {
        let fixture = ReplicaFixture()
        let nodes: [Replica]
        let customer: EntityID

        init() throws {
            let fixture = self.fixture
            let nodes = try (1...3).map { try fixture.node($0) }
            let customer = try nodes[0].write {
                try $0.createCustomer(name: "Acme Ltd", categories: ["VIP", "Trade"])
            }
            for node in nodes.dropFirst() {
                try node.write { _ = try $0.createCustomer(name: "Own \(node.nodeID.short)") }
            }
            self.nodes = nodes
            self.customer = customer
            try everyoneSyncs()
            try nodes[0].write { try $0.remove(.customer, customer, field: "categories", element: "VIP") }
        }

        func everyoneSyncs() throws {
            for source in nodes { for target in nodes where target !== source { try fixture.sync(source, to: target) } }
        }

        /// `source` tells `target` what it knows of the fleet (as its hello would).
        @discardableResult
        func acknowledge(_ source: Replica, to target: Replica) throws -> Int {
            try target.receiveAcknowledgements(try source.acknowledgementsToSend())
        }

        /// The rows of `customer`'s categories in `set_elements` on `node`: (element, removed).
        func rows(_ node: Replica) throws -> [String] {
            let queue = try DatabaseQueue(path: node.directory.appendingPathComponent(Replica.fileName).path)
            return try queue.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT element || CASE WHEN removed_by IS NULL THEN '' ELSE ' (removed)' END
                        FROM set_elements WHERE entity_id = ? AND field = 'categories' ORDER BY 1
                        """,
                    arguments: [customer.description]
                )
            }
        }

        func categories(_ node: Replica) throws -> [String] {
            try node.folder(customer).customer.categories.sorted()
        }
    }

    @Test("a removed element's row stays until every member acknowledged its remove, then goes on each node")
    func waitsForEveryMember() throws {
        let fleet = try Fleet()
        let (one, two, three) = (fleet.nodes[0], fleet.nodes[1], fleet.nodes[2])
        try fleet.everyoneSyncs()
        #expect(try fleet.rows(one) == ["Trade", "VIP (removed)"])
        // Node 2 holds the remove and says so; node 3 has not said so yet.
        #expect(try fleet.acknowledge(two, to: one) == 0)
        #expect(try fleet.rows(one) == ["Trade", "VIP (removed)"])
        #expect(try one.reclamationStatus().waitingFor == [three.origin])
        // Node 3's word arrives: node 1 drops the row; the folder is the same.
        #expect(try fleet.acknowledge(three, to: one) == 1)
        #expect(try fleet.rows(one) == ["Trade"])
        #expect(try fleet.categories(one) == ["Trade"])
        #expect(try one.reclamationStatus() == ReclamationStatus(kept: 0, reclaimed: 1, waitingFor: []))
        // Node 1 passes on what it heard: node 2 learns node 3's word through it.
        #expect(try fleet.acknowledge(one, to: two) == 1)
        #expect(try fleet.rows(two) == ["Trade"])
        #expect(try one.check().isEmpty && two.check().isEmpty)
    }

    @Test("an acknowledgement from before the remove does not let it go")
    func anOldAcknowledgementIsNotEnough() throws {
        let fixture = ReplicaFixture()
        let one = try fixture.node(1)
        let two = try fixture.node(2)
        let customer = try one.write { try $0.createCustomer(name: "Acme Ltd", categories: ["VIP"]) }
        try two.write { _ = try $0.createCustomer(name: "Branch") }
        try fixture.sync(one, to: two)
        try fixture.sync(two, to: one)
        // Node 2 said what it held before the remove was made.
        let early = try two.acknowledgementsToSend()
        try one.write { try $0.remove(.customer, customer, field: "categories", element: "VIP") }
        try fixture.sync(one, to: two)
        #expect(try one.receiveAcknowledgements(early) == 0)
        #expect(try one.reclamationStatus().kept == 1)
        #expect(try one.reclamationStatus().waitingFor == [two.origin])
        #expect(try one.receiveAcknowledgements(try two.acknowledgementsToSend()) == 1)
    }

    @Test("a member that said it holds more of its own writes than this node does holds everything back")
    func aMemberAheadHoldsBack() throws {
        let fleet = try Fleet()
        let (one, two, three) = (fleet.nodes[0], fleet.nodes[1], fleet.nodes[2])
        try fleet.everyoneSyncs()
        // Node 3 writes again and does not send it; its acknowledgement says it holds that write.
        try three.write { _ = try $0.createCustomer(name: "Unsent") }
        try fleet.acknowledge(two, to: one)
        #expect(try fleet.acknowledge(three, to: one) == 0)
        #expect(try one.reclamationStatus().waitingFor == [three.origin])
        // A revocation node 3 might have signed before its word would be in that write: once
        // node 1 holds it, the row may go.
        try fleet.fixture.sync(three, to: one)
        #expect(try one.receiveAcknowledgements([]) == 1)
    }

    @Test(
        "a node offline through the remove and its reclamation comes back: its re-add stands, nothing removed returns"
    )
    func anOfflineNodeComesBack() throws {
        let fixture = ReplicaFixture()
        let nodes = try (1...3).map { try fixture.node($0) }
        let (one, two, three) = (nodes[0], nodes[1], nodes[2])
        let customer = try one.write { try $0.createCustomer(name: "Acme Ltd", categories: ["VIP", "Gold"]) }
        for node in [two, three] { try node.write { _ = try $0.createCustomer(name: "Own") } }
        for source in nodes { for target in nodes where target !== source { try fixture.sync(source, to: target) } }
        // Node 3 leaves for months, holding every add. Meanwhile node 1 removes both; node 2 holds it.
        try one.write {
            try $0.remove(.customer, customer, field: "categories", element: "VIP")
            try $0.remove(.customer, customer, field: "categories", element: "Gold")
        }
        try fixture.sync(one, to: two)
        try one.receiveAcknowledgements(try two.acknowledgementsToSend())
        #expect(try one.reclamationStatus().kept == 2, "node 3 has not acknowledged: nothing goes")
        // Offline, node 3 adds "VIP" again (it saw the old add: a concurrent re-add) and edits.
        try three.write { try $0.add(.customer, customer, field: "categories", element: "VIP") }
        try three.write { try $0.set(.customer, customer, field: "notes", to: "called from the road") }
        // It comes back: both ways, then everyone's word.
        for source in nodes { for target in nodes where target !== source { try fixture.sync(source, to: target) } }
        for _ in 0..<2 {
            for source in nodes {
                for target in nodes where target !== source {
                    try target.receiveAcknowledgements(try source.acknowledgementsToSend())
                }
            }
        }
        for node in nodes {
            #expect(try node.folder(customer).customer.categories == ["VIP"], "the re-add stands, Gold stays removed")
            #expect(try node.reclamationStatus().kept == 0)
            #expect(try node.check().isEmpty)
        }
        #expect(try one.reclamationStatus().reclaimed == 2)
    }

    @Test(
        "a superseded origin is no member; a node of an earlier release, which never acknowledges, holds everything back"
    )
    func membership() throws {
        let fleet = try Fleet()
        let (one, two) = (fleet.nodes[0], fleet.nodes[1])
        try fleet.everyoneSyncs()
        try fleet.acknowledge(two, to: one)
        // Node 3 runs an earlier release: it syncs, but its hello carries no acknowledgements.
        #expect(try one.receiveAcknowledgements([]) == 0)
        #expect(try one.reclamationStatus().waitingFor == [fleet.nodes[2].origin])
    }

    @Test("an acknowledgement from a node nobody here knows is ignored: a made-up node is never waited for")
    func aMadeUpNodeIsIgnored() throws {
        let fleet = try Fleet()
        let (one, two, three) = (fleet.nodes[0], fleet.nodes[1], fleet.nodes[2])
        try fleet.everyoneSyncs()
        let stranger = ReplicaFixture.nodeID(99)
        let madeUp = Acknowledgement(origin: stranger, node: stranger, vector: VersionVector())
        try fleet.acknowledge(two, to: one)
        #expect(try one.receiveAcknowledgements([madeUp] + (try three.acknowledgementsToSend())) == 1)
        #expect(try one.reclamationStatus().waitingFor.isEmpty)
        #expect(try one.acknowledgementsToSend().allSatisfy { $0.node != stranger })
    }

    @Test("an office this node trusts is waited for though it never wrote: its revocations are the ones in force here")
    func aTrustedOfficeIsWaitedFor() throws {
        let fixture = ReplicaFixture()
        let one = try fixture.node(1)
        let two = try fixture.node(2)
        let office = try fixture.node(3)
        try one.addPeer(office.nodeID, name: "office", address: nil, role: .office)
        let customer = try one.write { try $0.createCustomer(name: "Acme Ltd", categories: ["VIP"]) }
        try two.write { _ = try $0.createCustomer(name: "Branch") }
        try fixture.sync(one, to: two)
        try fixture.sync(two, to: one)
        try one.write { try $0.remove(.customer, customer, field: "categories", element: "VIP") }
        try fixture.sync(one, to: two)
        #expect(try one.receiveAcknowledgements(try two.acknowledgementsToSend()) == 0)
        #expect(try one.reclamationStatus().waitingFor == [office.nodeID])
        try fixture.sync(one, to: office)
        #expect(try one.receiveAcknowledgements(try office.acknowledgementsToSend()) == 1)
    }
}
