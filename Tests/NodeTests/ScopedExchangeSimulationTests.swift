import Foundation
import GRDB
import Model
import Replication
import Testing

@testable import Node

/// Scoped laptops under random work (docs/PROTOCOL.md, "Laptops hold only their customers"):
/// two offices and two laptops write, assign and unassign, and meet in random pairs, streaming
/// as the sync driver does (``ScopedFeed`` from a node to a laptop, plain batches otherwise,
/// small batches so that runs are cut anywhere). After every meeting of a laptop with an office
/// the laptop holds, of each customer granted to it, at least what the office holds; a laptop
/// never holds a customer that was never granted to it nor made by it; at the end no write is
/// stranded and the offices converge. `SCOPE_SEEDS` seeds (default 150), or `SCOPE_SEED` one.
/// It found that a folder held whole through one office's grant could miss a change another
/// office had elided and the first had not yet received: the laptop now says how far its scope
/// is whole (``Replica/scopeComplete()``), and an office sends what lies above that.
@Suite("Scoped exchange under random work")
struct ScopedExchangeSimulationTests {
    static let seeds: [UInt64] = {
        if let one = ProcessInfo.processInfo.environment["SCOPE_SEED"].flatMap(UInt64.init) { return [one] }
        let count = ProcessInfo.processInfo.environment["SCOPE_SEEDS"].flatMap(Int.init) ?? 150
        return (0..<UInt64(max(count, 1))).map { $0 }
    }()

    /// SplitMix64: the same seed, the same run.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// The simulated wall clock (the test is single-threaded).
    final class Clock: @unchecked Sendable {
        var now: UInt64 = 1_790_000_000_000
    }

    final class World {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nextsoft-scope-\(UUID().uuidString)")
        var offices: [Replica] = []
        var laptops: [Replica] = []
        /// Per laptop: every customer ever granted to it, and those it made.
        var allowed: [Set<String>] = []
        /// Every journal entry written, by its text: the customer it is of.
        var written: [String: String] = [:]
        let time = Clock()
        var clock: UInt64 {
            get { time.now }
            set { time.now = newValue }
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func node(_ byte: UInt8, role: NodeRole) throws -> Replica {
            try Replica.create(
                at: root.appendingPathComponent("node-\(byte)"),
                nodeID: NodeID(digest: [UInt8](repeating: byte, count: 32)),
                name: "node \(byte)",
                role: role,
                wallClock: { [time] in time.now }
            )
        }
    }

    static func customers(_ replica: Replica) throws -> Set<String> {
        try replica.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM customers")) }
    }

    static func journal(_ replica: Replica, of customer: String? = nil) throws -> Set<String> {
        try replica.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: "SELECT notes FROM journal_entries WHERE ?1 IS NULL OR customer_id = ?1",
                    arguments: [customer]
                )
            )
        }
    }

    /// `source` streams to `target` as the driver does: scoped through ``ScopedFeed`` when
    /// `target` is a laptop `source` trusts as one; returns the grant used, if any.
    @discardableResult
    static func stream(_ source: Replica, to target: Replica, laptop: Bool) throws -> Set<String>? {
        var known = try target.versionVector()
        if laptop {
            let grant = try source.scopeGrant(for: target.nodeID)
            let office = try source.role() == .office
            var feed = try ScopedFeed(
                replica: source,
                grant: grant,
                laptopHolds: try target.heldScope(),
                laptopComplete: try target.scopeComplete(),
                known: known,
                office: office
            )
            while let batch = try feed.next(source, after: known, maxChanges: 5, maxBytes: 2_000) {
                try target.apply(office ? batch : batch.withoutElisions)
                known = known.advanced(by: batch)
            }
            return grant
        }
        while let batch = try source.nextBatch(after: known, maxChanges: 5) {
            try target.apply(batch)
            known = known.advanced(by: batch)
        }
        return nil
    }

    /// A laptop meets an office: both streams, then the laptop records the grant (as the
    /// driver does when the session finishes); checks the laptop's granted folders are whole.
    static func meet(laptop index: Int, office: Replica, in world: World) throws {
        let laptop = world.laptops[index]
        let officeHeld = try office.versionVector()
        let grant = try #require(try stream(office, to: laptop, laptop: true))
        try stream(laptop, to: office, laptop: false)
        try laptop.recordScope(granted: grant, officeHeld: officeHeld)
        world.allowed[index].formUnion(grant)
        for customer in grant.sorted() {
            // What the office holds of it, at least (the laptop may hold more: another laptop's
            // entries that reach the offices from that laptop).
            let missing = try journal(office, of: customer).subtracting(try journal(laptop, of: customer))
            #expect(missing.isEmpty, "laptop \(index) lacks \(missing.sorted()) of customer \(customer)")
        }
    }

    @Test("random work", arguments: seeds)
    func randomWork(seed: UInt64) throws {
        var random = Random(state: seed)
        let world = World()
        world.offices = [try world.node(1, role: .office), try world.node(2, role: .office)]
        world.laptops = [try world.node(8, role: .laptop), try world.node(9, role: .laptop)]
        world.allowed = [[], []]
        for office in world.offices {
            for laptop in world.laptops { try office.addPeer(laptop.nodeID, name: nil, address: nil, role: .laptop) }
        }
        var customers: [EntityID] = []
        for index in 0..<6 {
            customers.append(try world.offices[0].write { try $0.createCustomer(name: "Customer \(index)") })
        }
        try Self.stream(world.offices[0], to: world.offices[1], laptop: false)
        var serial = 0

        for _ in 0..<40 {
            world.clock += 1_000
            switch random.next(10) {
            case 0...3:  // a journal entry on a random node, of a customer it holds
                let all = world.offices + world.laptops
                let node = all[random.next(all.count)]
                let held = try Self.customers(node).sorted()
                guard !held.isEmpty else { continue }
                let customer = held[random.next(held.count)]
                serial += 1
                let text = "entry \(serial)"
                try node.write { writer in
                    _ = try writer.addJournalEntry(
                        customer: EntityID(customer)!,
                        at: Date(timeIntervalSince1970: Double(world.clock) / 1000),
                        kind: .note,
                        parties: "",
                        notes: text,
                        author: "sim"
                    )
                }
                world.written[text] = customer
            case 4:  // a laptop makes a customer: assigned to it
                let index = random.next(world.laptops.count)
                serial += 1
                let made = try world.laptops[index].write { try $0.createCustomer(name: "Made \(serial)") }
                world.allowed[index].insert(made.description)
                customers.append(made)
            case 5:  // an office assigns or unassigns
                let office = world.offices[random.next(world.offices.count)]
                let index = random.next(world.laptops.count)
                let known = try Self.customers(office).sorted()
                guard !known.isEmpty else { continue }
                let customer = EntityID(known[random.next(known.count)])!
                let action: AssignmentAction = random.next(3) == 0 ? .unassign : .assign
                try office.write {
                    _ = try $0.recordAssignment(
                        action,
                        customers: [customer],
                        node: world.laptops[index].nodeID,
                        nodeName: "laptop \(index)"
                    )
                }
            case 6...7:  // a laptop meets an office
                try Self.meet(
                    laptop: random.next(world.laptops.count),
                    office: world.offices[random.next(world.offices.count)],
                    in: world
                )
            case 8:  // the offices meet
                let first = random.next(2)
                try Self.stream(world.offices[first], to: world.offices[1 - first], laptop: false)
                try Self.stream(world.offices[1 - first], to: world.offices[first], laptop: false)
            default:  // the laptops meet (each scopes what it sends the other)
                let first = random.next(2)
                for (from, to) in [(first, 1 - first), (1 - first, first)] {
                    let grant = try Self.stream(world.laptops[from], to: world.laptops[to], laptop: true)
                    world.allowed[to].formUnion(grant ?? [])
                }
            }
            for (index, laptop) in world.laptops.enumerated() {
                let strays = try Self.customers(laptop).subtracting(world.allowed[index])
                #expect(strays.isEmpty, "seed \(seed): laptop \(index) holds customers never granted to it: \(strays)")
                let entries = try Self.journal(laptop)
                let foreign = entries.filter { !world.allowed[index].contains(world.written[$0] ?? "") }
                #expect(foreign.isEmpty, "seed \(seed): laptop \(index) holds others' entries: \(foreign.sorted())")
            }
        }

        // The end: every laptop meets an office, the offices meet twice each way.
        for index in world.laptops.indices { try Self.meet(laptop: index, office: world.offices[index % 2], in: world) }
        for _ in 0..<2 {
            try Self.stream(world.offices[0], to: world.offices[1], laptop: false)
            try Self.stream(world.offices[1], to: world.offices[0], laptop: false)
        }
        let everything = Set(world.written.keys)
        for office in world.offices {
            let held = try Self.journal(office)
            #expect(held == everything, "seed \(seed): stranded writes \(everything.subtracting(held).sorted())")
        }
        #expect(try world.offices[0].versionVector() == world.offices[1].versionVector())
        #expect(try Self.customers(world.offices[0]) == Self.customers(world.offices[1]))
        // Each laptop, meeting an office once more, holds its grant whole.
        for index in world.laptops.indices { try Self.meet(laptop: index, office: world.offices[0], in: world) }
    }
}
