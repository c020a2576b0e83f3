import Foundation
import GRDB
import Model
import Testing

@testable import Replication

/// Who wrote each change: carried by the codec (version 2), stored in the log, never part of a
/// change's content, shown with its node; and the change feed read by an index.
@Suite("Persons: the codec, the log, the feed", .offThePool)
struct PersonTests {
    static let alice = ChangeBatchFixtures.node("alice")
    static let bob = ChangeBatchFixtures.node("bob")

    static func change(_ seq: UInt64, person: String?, value: String = "Acme") -> Change {
        Change(
            origin: alice,
            seq: seq,
            time: HybridTime(milliseconds: 1_790_000_000_000 + seq, counter: 0),
            entity: .customer,
            entityID: EntityID(milliseconds: 1_790_000_000_000, counter: UInt16(seq), node: alice.discriminator),
            field: "name",
            operation: .assign,
            value: value,
            person: person
        )
    }

    // MARK: The codec

    @Test func personsRoundTripInVersion2AndABatchWithoutThemStaysVersion1() throws {
        let batch = ChangeBatch(
            changes: [
                Self.change(1, person: "Ann Smith"), Self.change(2, person: nil), Self.change(3, person: "Zoë Müller"),
                Self.change(4, person: "Ann Smith"),
            ]
        )
        let bytes = try ChangeBatchCodec.encode(batch)
        #expect(bytes[4] == 2, "a batch with persons is version 2")
        #expect(try ChangeBatchCodec.decode(bytes) == batch)

        let plain = batch.withoutPersons
        #expect(plain.changes.allSatisfy { $0.person == nil })
        let plainBytes = try ChangeBatchCodec.encode(plain)
        #expect(plainBytes[4] == 1, "a batch without persons is version 1, which 0.2.0 reads")
        #expect(try ChangeBatchCodec.decode(plainBytes) == plain)
    }

    @Test func theEncoderRefusesAPersonNameThatIsNone() throws {
        for bad in [String(repeating: "a", count: 201), "Ann\u{7}", "", " Ann"] {
            #expect(throws: CodecError.self) {
                try ChangeBatchCodec.encode(ChangeBatch(changes: [Self.change(1, person: bad)]))
            }
        }
    }

    /// A version 2 body by hand: the malformed-input suite's first change, then the persons.
    static func body(persons: [UInt8], personIndex: [UInt8] = [1]) -> [UInt8] {
        let cases = ChangeBatchCodecMalformedTests.self
        return [1] + cases.alice + [0] + [1, 4] + Array("name".utf8) + persons + [1] + cases.change + personIndex
            + [1, 0x78]
    }

    static func string(_ bytes: [UInt8]) -> [UInt8] {
        ChangeBatchCodecMalformedTests.varint(UInt64(bytes.count)) + bytes
    }

    @Test(
        "hostile person names and indexes are refused with a clear error",
        arguments: [
            ("valid", [1] + string(Array("Ann".utf8)), [1], nil),
            ("no person", [0], [0], nil),
            ("201 bytes", [1] + string([UInt8](repeating: 0x61, count: 201)), [1], CodecError.Code.tooLarge),
            ("200 bytes", [1] + string([UInt8](repeating: 0x61, count: 200)), [1], nil),
            ("not UTF-8", [1] + string([0x41, 0xFF, 0xFE]), [1], .malformed),
            ("a control character", [1] + string([0x41, 0x1B, 0x5B]), [1], .malformed),
            ("a line break", [1] + string([0x41, 0x0A, 0x42]), [1], .malformed),
            ("empty", [1] + string([]), [1], .malformed),
            ("twice", [2] + string([0x41]) + string([0x41]), [1], .malformed),
            ("index beyond the table", [1] + string([0x41]), [2], .malformed),
            ("count beyond the bytes", [0x7F] + string([0x41]), [1], .truncated),
            ("count over the limit", [0x80, 0x80, 0x80, 0x01], [1], .tooLarge),
        ] as [(String, [UInt8], [UInt8], CodecError.Code?)]
    )
    func hostilePersons(_ name: String, _ persons: [UInt8], _ index: [UInt8], _ expected: CodecError.Code?) throws {
        let body = Self.body(persons: persons, personIndex: index)
        if let expected {
            let error = try #require(throws: CodecError.self) {
                try BodyDecoder.decode(body, version: 2, limits: ChangeBatchCodec.Limits(maxChanges: 1000))
            }
            #expect(error.code == expected, "\(name): \(error)")
            #expect(!error.message.isEmpty)
        } else {
            let batch = try BodyDecoder.decode(body, version: 2, limits: .default)
            #expect(batch.changes.count == 1)
        }
        // Fed whole through the codec (magic, version 2, zlib), the same verdict.
        let bytes = ChangeBatchCodec.magic + [2] + (try ZlibBody.deflate(body))
        if expected != nil {
            #expect(throws: CodecError.self) { try ChangeBatchCodec.decode(bytes, limits: .init(maxChanges: 1000)) }
        } else {
            _ = try ChangeBatchCodec.decode(bytes)
        }
    }

    /// The torture suite's richest sample, with persons on most changes (some long, some not
    /// Latin, some repeated, some absent).
    static let tortured: ChangeBatch = {
        var batch = ChangeBatchCodecTortureTests.samples[2]
        let names = ["Ann", "Zoë Müller", "渡辺 裕子", String(repeating: "é", count: 100), "Bob"]
        for index in batch.changes.indices where index % 7 != 3 {
            batch.changes[index].person = names[index % names.count]
        }
        return batch
    }()

    @Test func everyTruncationOfAVersion2BatchThrows() throws {
        let bytes = try ChangeBatchCodec.encode(Self.tortured)
        #expect(bytes[4] == 2)
        for length in 0..<bytes.count {
            let code = ChangeBatchCodecTortureTests.decodeOrRefuse(Array(bytes.prefix(length)))
            #expect(code == .truncated, "prefix of \(length) of \(bytes.count) bytes gave \(String(describing: code))")
        }
        let body = try BodyEncoder.encode(Self.tortured, version: 2, limits: .default)
        for length in 0..<body.count {
            #expect(throws: CodecError.self, "body prefix \(length)") {
                try BodyDecoder.decode(Array(body.prefix(length)), version: 2, limits: .default)
            }
        }
    }

    @Test func mutationsOfAVersion2BodyThrowOrReencodeConsistently() throws {
        let body = try BodyEncoder.encode(Self.tortured, version: 2, limits: .default)
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 0xFE25)
        var decoded = 0
        for _ in 0..<4_000 {
            var mutated = body
            let position = Int.random(in: 0..<mutated.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: mutated[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: mutated[position] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            case 2: mutated.remove(at: position)
            default: mutated.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            }
            do {
                let batch = try BodyDecoder.decode(mutated, version: 2, limits: .default)
                decoded += 1
                #expect(batch.changes.allSatisfy { $0.person.map { PersonName.problem($0) == nil } ?? true })
                let again = try BodyEncoder.encode(batch, version: 2, limits: .default)
                #expect(try BodyDecoder.decode(again, version: 2, limits: .default) == batch)
            } catch is CodecError {
                continue
            }
        }
        #expect(decoded > 0 && decoded < 4_000)
    }

    @Test func aVersion1BodyStillDecodesAndAnUnknownVersionIsRefused() throws {
        let body = ChangeBatchCodecMalformedTests.body()
        #expect(try BodyDecoder.decode(body, version: 1, limits: .default).changes.first?.person == nil)
        let bytes = ChangeBatchCodec.magic + [3] + (try ZlibBody.deflate(body))
        let error = try #require(throws: CodecError.self) { try ChangeBatchCodec.decode(bytes) }
        #expect(error.code == .unsupportedVersion)
    }

    // MARK: The log

    @Test func thePersonIsStoredSentAndShownButIsNoPartOfAChangesContent() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try a.write(as: "Ann Smith") { try $0.createCustomer(name: "Acme Ltd") }
        try a.write { try $0.set(.customer, id, field: "phone", to: "555-0100") }
        #expect(throws: ReplicationError.self) { try a.write(as: "Ann\u{1B}") { _ in } }

        let batch = try #require(try a.nextBatch(after: VersionVector()))
        #expect(batch.changes.first?.person == "Ann Smith")
        #expect(batch.changes.last?.person == "node 1", "no one named: the node's name")

        // The same changes first without persons (through a node of an earlier release), then
        // with them: duplicates, never clones; the log learns the persons.
        let outcome = try b.apply(batch.withoutPersons)
        #expect(outcome.applied == batch.changes.count)
        #expect(try b.history(of: id).allSatisfy { !$0.by.personRecorded && $0.by.person == $0.by.node.short })
        let again = try b.apply(batch)
        #expect(again.duplicates == batch.changes.count && again.held == 0)
        #expect(try b.heldChanges().isEmpty)
        let history = try b.history(of: id)
        #expect(history.first { $0.field == "name" }?.by.person == "Ann Smith")
        #expect(history.first { $0.field == "phone" }?.by.person == "node 1")
        #expect(history.allSatisfy { $0.by.node == ReplicaFixture.nodeID(1) && $0.by.personRecorded })

        // Sent on, the person goes with the change.
        let c = try fixture.node(3)
        try fixture.sync(b, to: c)
        #expect(try c.history(of: id).first { $0.field == "name" }?.by.person == "Ann Smith")
        #expect(try c.creators(of: [id])[id]?.person == "Ann Smith")
    }

    @Test func aReplicaOfThePreviousSchemaKeepsItsRowsWithTheNodeNameAsPerson() throws {
        let fixture = ReplicaFixture()
        var replica: Replica? = try fixture.node(1)
        let id = try #require(try replica?.write { try $0.createCustomer(name: "Acme Ltd") })
        try replica?.write { try $0.set(.customer, id, field: "phone", to: "555-0100") }
        replica = nil
        // Back to the schema before persons: the log of release 0.2.0, row for row.
        let file = fixture.directory(1).appendingPathComponent("replica.sqlite")
        do {
            let queue = try DatabaseQueue(path: file.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        DROP INDEX changes_by_time;
                        ALTER TABLE changes DROP COLUMN person;
                        ALTER TABLE held_changes DROP COLUMN person;
                        ALTER TABLE peers DROP COLUMN reads_persons;
                        DELETE FROM grdb_migrations WHERE identifier = ?;
                        """,
                    arguments: [Schema.personsMigration]
                )
            }
            let columns = try queue.read { db in try db.columns(in: "changes").map(\.name) }
            #expect(!columns.contains("person"))
        }
        let reopened = try Replica.open(at: fixture.directory(1), wallClock: fixture.clocks[0].reading)
        let history = try reopened.history(of: id)
        #expect(history.count >= 2)
        #expect(history.allSatisfy { $0.by.person == "node 1" && !$0.by.personRecorded && $0.by.nodeName == "node 1" })
        let feed = try reopened.changeFeed(customer: id)
        #expect(feed.map(\.field).contains("phone"))
        // New writes carry their person from now on.
        try reopened.write(as: "Ann") { try $0.set(.customer, id, field: "phone", to: "555-0199") }
        #expect(try reopened.changeFeed(limit: 1).first?.by.person == "Ann")
    }

    // MARK: The feed

    @Test func theFeedReadsTheLogByAnIndexNeverByAScan() throws {
        let fixture = ReplicaFixture()
        let replica = try fixture.node(1)
        let id = try replica.write { try $0.createCustomer(name: "Acme Ltd") }
        let since = Date(timeIntervalSince1970: 1_790_000_000)
        for (customer, limit) in [(nil, nil), (nil, 10), (id, nil), (id, 10)] as [(EntityID?, Int?)] {
            for start in [nil, since] {
                let query = Replica.changeFeedQuery(schema: .standard, since: start, customer: customer, limit: limit)
                let plan = try replica.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: query.arguments)
                        .map { $0["detail"] as String }
                }
                let text = plan.joined(separator: "\n")
                // The log is read through an index; only the small lookups may name other tables
                // (`customer_merges`, a handful of rows, is read whole for a folder's merges).
                #expect(
                    !plan.contains { ($0 == "SCAN c" || $0.hasPrefix("SCAN c ")) && !$0.contains("INDEX") },
                    "a scan of the log's rows:\n\(text)"
                )
                if customer != nil {
                    #expect(text.contains("changes_by_entity"), "\(text)")
                } else if start != nil || limit != nil {
                    #expect(text.contains("changes_by_time"), "\(text)")
                }
                #expect(!text.contains("USE TEMP B-TREE FOR ORDER BY") || customer != nil, "\(text)")
            }
        }
        // Without --since or --customer, the whole feed is in time order by the index too.
        let all = Replica.changeFeedQuery(schema: .standard, since: nil, customer: nil, limit: nil)
        let plan = try replica.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + all.sql, arguments: all.arguments).map {
                $0["detail"] as String
            }
        }
        print("changes feed query plan (all):\n" + plan.joined(separator: "\n"))
    }
}

/// The `persons` feature: batches keep their persons only when both hellos announce it.
@Suite("Persons: negotiated in the hello")
struct PersonNegotiationTests {
    @Test(
        arguments: [
            ([Capabilities.personsFeature], [Capabilities.personsFeature], true),
            ([Capabilities.personsFeature], [], false),
            ([], [Capabilities.personsFeature], false),
        ] as [([String], [String], Bool)]
    )
    func aPeerOfAnEarlierReleaseGetsBatchesWithoutPersons(ours: [String], theirs: [String], kept: Bool) throws {
        var session = SyncSession(
            localNodeID: SyncSamples.alice,
            localName: "Alice",
            localVector: VersionVector(),
            capabilities: Capabilities(release: "0.3.0", features: ours)
        )
        _ = session.start()
        let bob = SyncFixtures.node("bob")
        let actions = session.received(
            .hello(
                Hello(nodeID: bob, name: "Bob", vector: VersionVector(), capabilities: Capabilities(features: theirs))
            )
        )
        #expect(actions.contains { if case .fetchBatch = $0 { true } else { false } })
        let batch = ChangeBatch(changes: [
            PersonTests.change(1, person: "Ann Smith"), PersonTests.change(2, person: nil),
        ])
        let sent = session.batchReady(batch).compactMap { action -> ChangeBatch? in
            if case .send(.batch(let batch)) = action { return batch }
            return nil
        }
        let first = try #require(sent.first)
        #expect(first.changes.map(\.person) == (kept ? ["Ann Smith", nil] : [nil, nil]))
        // What the peer reads: version 2 only when persons go.
        #expect(try ChangeBatchCodec.encode(first)[4] == (kept ? 2 : 1))
    }

    @Test func thisBuildAnnouncesPersons() {
        #expect(FolderSchema.standard.capabilities.supports(feature: Capabilities.personsFeature))
    }
}
