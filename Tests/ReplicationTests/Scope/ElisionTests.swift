import Foundation
import GRDB
import Model
import Testing

@testable import Replication

/// Scoped streams to a laptop (``Elision``): runs of other folders' changes arrive as elisions,
/// the laptop's log stays contiguous, nothing elided is ever handed on, and a folder assigned
/// later fills its place.
@Suite("Elisions: a laptop's scoped log")
struct ElisionTests {
    struct Fleet {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nextsoft-elision-\(UUID().uuidString)"
        )
        func node(_ byte: UInt8, _ name: String, role: NodeRole) throws -> Replica {
            try Replica.create(
                at: root.appendingPathComponent(name),
                nodeID: NodeID(digest: [UInt8](repeating: byte, count: 32)),
                name: name,
                role: role
            )
        }
    }

    /// Streams everything `target` lacks from `source`, scoped to `scope` when given.
    @discardableResult
    static func stream(_ source: Replica, to target: Replica, scope: Set<String>? = nil) throws -> Int {
        var known = try target.versionVector()
        var sent = 0
        while let batch = try source.nextBatch(after: known, maxChanges: 7, scope: scope) {
            try target.apply(batch)
            sent += batch.changes.count
            known = known.advanced(by: batch)
        }
        return sent
    }

    static func names(_ replica: Replica) throws -> [String] {
        try replica.read { db in try String.fetchAll(db, sql: "SELECT name FROM customers ORDER BY name") }
    }

    static func journal(_ replica: Replica) throws -> [String] {
        try replica.read { db in try String.fetchAll(db, sql: "SELECT notes FROM journal_entries ORDER BY notes") }
    }

    /// HQ writes three customers, interleaved, with journal entries and edits.
    static func office(_ fleet: Fleet) throws -> (Replica, [EntityID]) {
        let hq = try fleet.node(1, "hq", role: .office)
        var customers: [EntityID] = []
        for name in ["Acme Ltd", "Bolt GmbH", "Cork SARL"] {
            customers.append(try hq.write { try $0.createCustomer(name: name) })
        }
        for round in 0..<4 {
            for (index, customer) in customers.enumerated() {
                try hq.write { writer in
                    try writer.set(.customer, customer, field: "phone", to: "555-0\(round)\(index)")
                    _ = try writer.addJournalEntry(
                        customer: customer,
                        at: Date(timeIntervalSince1970: 1_790_000_000 + Double(round * 10 + index)),
                        kind: .note,
                        parties: "",
                        notes: "round \(round) of customer \(index)",
                        author: "hq"
                    )
                }
            }
        }
        return (hq, customers)
    }

    @Test func aLaptopHoldsItsFoldersAndItsVectorMovesPastTheOthers() throws {
        let fleet = Fleet()
        let (hq, customers) = try Self.office(fleet)
        let van = try fleet.node(9, "van", role: .laptop)
        try Self.stream(hq, to: van, scope: [customers[1].description])
        #expect(try Self.names(van) == ["Bolt GmbH"])
        #expect(try Self.journal(van) == (0..<4).map { "round \($0) of customer 1" })
        #expect(try van.versionVector() == hq.versionVector())
        let runs = try van.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM elided_changes") ?? 0 }
        #expect(runs > 0)
        // Nothing more to send either way.
        #expect(try hq.nextBatch(after: van.versionVector(), scope: [customers[1].description]) == nil)
    }

    @Test func whatALaptopElidedItNeverHandsOnAndTheOfficeSendsItLater() throws {
        let fleet = Fleet()
        let (hq, customers) = try Self.office(fleet)
        let van = try fleet.node(9, "van", role: .laptop)
        let branch = try fleet.node(2, "branch", role: .office)
        try Self.stream(hq, to: van, scope: [customers[1].description])
        try van.write { writer in
            _ = try writer.addJournalEntry(
                customer: customers[1],
                at: Date(timeIntervalSince1970: 1_790_100_000),
                kind: .call,
                parties: "",
                notes: "the van's call",
                author: "van"
            )
        }
        // The van meets the branch first: it hands on only what it holds contiguously, and its
        // own write; the branch's vector never claims what the van elided.
        try Self.stream(van, to: branch)
        let hqOrigin = try hq.versionVector().entries.first { $0.value > 0 && $0.key != van.nodeID }!.key
        let firstElided = try van.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT min(e.first_seq) FROM elided_changes e JOIN origins o ON o.id = e.origin WHERE o.node_id = ?
                    """,
                arguments: [hqOrigin.description]
            )
        }
        #expect(try branch.versionVector()[hqOrigin] == UInt64(try #require(firstElided)) - 1)
        #expect(try Self.journal(branch).contains("the van's call"))
        // Then the branch meets HQ and holds everything: the same as HQ after HQ meets the van.
        try Self.stream(hq, to: branch)
        try Self.stream(van, to: hq)
        try Self.stream(branch, to: hq)
        try Self.stream(hq, to: branch)
        #expect(try Self.names(branch) == Self.names(hq))
        #expect(try Self.journal(branch) == Self.journal(hq))
        #expect(try Self.names(branch).count == 3)
    }

    @Test func aFolderAssignedLaterFillsItsPlaceInTheLog() throws {
        let fleet = Fleet()
        let (hq, customers) = try Self.office(fleet)
        let van = try fleet.node(9, "van", role: .laptop)
        try Self.stream(hq, to: van, scope: [customers[1].description])
        let before = try van.versionVector()
        // Cork is assigned: its history below the van's vector, then the rest scoped to both.
        let grant: Set<String> = [customers[1].description, customers[2].description]
        let history = try hq.folderHistory(of: [customers[2].description], below: before)
        #expect(history.count == 1 + 4 * 2)  // its name, then four phones and four entries
        let batch = ChangeBatch(base: before, changes: try hq.changes(at: history))
        let outcome = try van.apply(batch)
        #expect(outcome.applied == history.count)
        #expect(try van.versionVector() == before)
        #expect(try Self.names(van) == ["Bolt GmbH", "Cork SARL"])
        #expect(try Self.journal(van).filter { $0.hasSuffix("customer 2") }.count == 4)
        // Applying it again is applying it once; Acme is still elided.
        #expect(try van.apply(batch).applied == 0)
        try Self.stream(hq, to: van, scope: grant)
        #expect(try !Self.names(van).contains("Acme Ltd"))
        let phone = try van.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT phone FROM customers WHERE id = ?",
                arguments: [customers[2].description]
            )
        }
        #expect(phone == "555-032")
    }

    @Test func anOfficeTakesNoElisionAndAHostileOneChangesNothing() throws {
        let fleet = Fleet()
        let (hq, _) = try Self.office(fleet)
        let branch = try fleet.node(2, "branch", role: .office)
        let van = try fleet.node(9, "van", role: .laptop)
        let origin = hq.nodeID
        let before = try branch.versionVector()
        // An office ignores an elision: its vector does not move, and what follows waits.
        let elision = Elision.change(origin: origin, last: 5, count: 5)
        #expect(try branch.apply(ChangeBatch(base: before, changes: [elision])).elided == 1)
        #expect(try branch.versionVector() == before)
        // A laptop: malformed elisions (count 0, longer than its number, a value that is no
        // count, a field, one ahead of the next number) are passed over.
        let malformed = [
            Elision.change(origin: origin, last: 5, count: 0),
            Elision.change(origin: origin, last: 5, count: 6),
            Change(
                origin: origin,
                seq: 3,
                time: HybridTime(packed: 0),
                entity: Elision.kind,
                entityID: Elision.entityID,
                field: "",
                operation: .record,
                value: "03"
            ),
            Change(
                origin: origin,
                seq: 3,
                time: HybridTime(packed: 0),
                entity: Elision.kind,
                entityID: Elision.entityID,
                field: "x",
                operation: .record,
                value: "3"
            ),
            Elision.change(origin: origin, last: 9, count: 2),
            Elision.change(origin: van.nodeID, last: 1, count: 1),
        ]
        let start = try van.versionVector()
        for change in malformed {
            _ = try van.apply(ChangeBatch(base: try van.versionVector(), changes: [change]))
        }
        #expect(try van.versionVector() == start)
        #expect(try van.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM elided_changes") } == 0)
        // A well-formed one moves it; the same run again is a duplicate.
        #expect(try van.apply(ChangeBatch(base: VersionVector(), changes: [elision])).elided == 1)
        #expect(try van.versionVector()[origin] == 5)
        #expect(try van.apply(ChangeBatch(base: try van.versionVector(), changes: [elision])).duplicates == 1)
        // Streaming from the van after that hands nothing of the run on.
        #expect(try van.nextBatch(after: start) == nil)
    }
}
