import Model
import Testing

@testable import Replication

@Suite("Change batch codec: round trips")
struct ChangeBatchCodecTests {
    /// A batch with a name, for table-driven round trips.
    struct NamedBatch: Sendable, CustomTestStringConvertible {
        let name: String
        let batch: ChangeBatch
        var testDescription: String { name }
    }

    typealias F = ChangeBatchFixtures
    static let alice = F.node("alice")
    static let bob = F.node("bob")
    static let carol = F.node("carol")

    static let batches: [NamedBatch] = {
        let alice = Self.alice
        let bob = Self.bob
        let carol = Self.carol
        let t = HybridTime(milliseconds: 1_790_000_000_000, counter: 7)
        var result: [NamedBatch] = [
            NamedBatch(name: "empty", batch: ChangeBatch()),
            NamedBatch(name: "base only", batch: ChangeBatch(base: VersionVector([alice: 12, bob: 3]))),
            NamedBatch(name: "one change", batch: ChangeBatch(changes: [F.change(alice, 1)])),
            NamedBatch(
                name: "unicode",
                batch: ChangeBatch(changes: [
                    F.change(alice, 1, field: "naïve-𝔣ield", value: "Müller & Söhne GmbH 🏭"),
                    F.change(alice, 2, field: "notes", value: "日本語のメモ\n\t\"quoted\" \u{0}nul"),
                    F.change(alice, 3, field: "", operation: .record, value: "{\"emoji\":\"👩‍👩‍👧‍👦🇸🇪\"}"),
                    F.change(alice, 4, field: "e\u{301}", value: "\u{FEFF}BOM and e\u{301} combining"),
                ])
            ),
            NamedBatch(
                name: "nil and empty values",
                batch: ChangeBatch(changes: [
                    F.change(alice, 1, value: nil),
                    F.change(alice, 2, value: ""),
                    F.change(alice, 3, field: "phone", value: nil),
                ])
            ),
            NamedBatch(
                name: "predecessors",
                batch: ChangeBatch(
                    base: VersionVector([alice: 4, bob: 9]),
                    changes: [
                        F.change(carol, 1, value: "x", predecessors: [WriteID(origin: alice, seq: 4)]),
                        F.change(
                            carol,
                            2,
                            operation: .remove,
                            value: "retail",
                            predecessors: [
                                WriteID(origin: bob, seq: 9), WriteID(origin: alice, seq: 2),
                                WriteID(origin: carol, seq: 1),
                            ]
                        ),
                    ]
                )
            ),
            NamedBatch(
                name: "large values",
                batch: ChangeBatch(changes: [
                    F.change(alice, 1, field: "notes", value: String(repeating: "long note ", count: 50_000)),
                    F.change(
                        alice,
                        2,
                        entity: .document,
                        operation: .record,
                        value: String(repeating: "é", count: 200_000)
                    ),
                ])
            ),
            NamedBatch(
                name: "extreme numbers",
                batch: ChangeBatch(
                    base: VersionVector([alice: UInt64.max - 1]),
                    changes: [
                        F.change(alice, UInt64.max, time: HybridTime(milliseconds: UInt64.max, counter: UInt16.max)),
                        F.change(bob, 0, time: HybridTime(milliseconds: 0, counter: 0)),
                        F.change(bob, 17, time: .zero, id: EntityID(high: 0, low: 0)),
                        F.change(bob, 3, time: t, id: EntityID(high: .max, low: .max)),
                    ]
                )
            ),
        ]
        // Many origins, interleaved, writing each other's entities, with ids of every form.
        let origins = (0..<300).map { F.node("origin \($0)") }
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 42)
        var changes: [Change] = []
        var seqs = [UInt64](repeating: 0, count: origins.count)
        for step in 0..<3_000 {
            let writer = Int.random(in: 0..<origins.count, using: &generator)
            let maker = Int.random(in: 0..<origins.count, using: &generator)
            seqs[writer] += 1
            let millis = 1_790_000_000_000 + UInt64(step / 3)
            let id: EntityID =
                switch step % 4 {
                case 0: EntityID(milliseconds: millis, counter: UInt16(step % 7), node: origins[writer].discriminator)
                case 1: EntityID(milliseconds: millis - 500, counter: 3, node: origins[maker].discriminator)
                case 2: EntityID(high: generator.next(), low: generator.next())
                default: changes.last?.entityID ?? EntityID(high: 1, low: 2)
                }
            changes.append(
                F.change(
                    origins[writer],
                    seqs[writer],
                    time: HybridTime(milliseconds: millis - UInt64(step % 5), counter: UInt16(step % 11)),
                    entity: [EntityKind.customer, .contact, .journal, .document][step % 4],
                    id: id,
                    field: ["name", "phone", "tags", ""][step % 4],
                    operation: Operation(code: UInt8(step % 4)),
                    value: step % 9 == 0 ? nil : "value \(step)",
                    predecessors: step % 5 == 0 ? [WriteID(origin: origins[maker], seq: UInt64(step))] : []
                )
            )
        }
        result.append(
            NamedBatch(name: "many origins", batch: ChangeBatch(base: VersionVector([alice: 1]), changes: changes))
        )
        return result
    }()

    @Test("round trips", arguments: batches)
    func roundTrip(_ named: NamedBatch) throws {
        let bytes = try ChangeBatchCodec.encode(named.batch)
        #expect(Array(bytes.prefix(5)) == Array("NXCB".utf8) + [1])
        let decoded = try ChangeBatchCodec.decode(bytes)
        #expect(decoded == named.batch)
        // Encoding is deterministic.
        #expect(try ChangeBatchCodec.encode(decoded) == bytes)
    }

    @Test("a batch over the default limits is refused when encoding")
    func encodeRefusesOversizedBatches() {
        let huge = String(repeating: "x", count: (1 << 20) + 1)
        let cases: [ChangeBatch] = [
            ChangeBatch(changes: [F.change(Self.alice, 1, value: huge)]),
            ChangeBatch(changes: [F.change(Self.alice, 1, field: huge)]),
            ChangeBatch(changes: [
                F.change(Self.alice, 1, predecessors: (1...10_001).map { WriteID(origin: Self.bob, seq: UInt64($0)) })
            ]),
        ]
        for batch in cases {
            #expect(throws: CodecError(.tooLarge, at: 0, "")) { try ChangeBatchCodec.encode(batch) }
        }
    }

    @Test("ids of the origin and of table nodes are written compactly")
    func compactIDs() throws {
        let made = { (node: NodeID, ms: UInt64) in EntityID(milliseconds: ms, counter: 1, node: node.discriminator) }
        let own = ChangeBatch(
            changes: (1...100).map {
                F.change(Self.alice, UInt64($0), id: made(Self.alice, 1_790_000_000_000 + UInt64($0)))
            }
        )
        let raw = ChangeBatch(
            changes: (1...100).map {
                F.change(Self.alice, UInt64($0), id: EntityID(high: UInt64($0) * 0x9E37_79B9, low: 77))
            }
        )
        let ownBody = try BodyEncoder.encode(own, limits: .default)
        let rawBody = try BodyEncoder.encode(raw, limits: .default)
        // About 8 bytes a change for a compact id, 22 for a raw one.
        #expect(ownBody.count < rawBody.count - 100 * 10)
        #expect(try ChangeBatchCodec.decode(ChangeBatchCodec.encode(raw)) == raw)
    }

    @Test("W1-like workload: 10,000 customers, 130,000 changes")
    func w1Size() throws {
        let batch = F.w1(customers: 10_000)
        #expect(batch.changes.count == 130_000)
        let body = try BodyEncoder.encode(batch, limits: .default)
        let bytes = try ChangeBatchCodec.encode(batch)
        print("W1 batch: \(batch.changes.count) changes, body \(body.count) bytes, encoded \(bytes.count) bytes")
        #expect(bytes.count < 2_000_000)
        #expect(try ChangeBatchCodec.decode(bytes) == batch)
    }
}
