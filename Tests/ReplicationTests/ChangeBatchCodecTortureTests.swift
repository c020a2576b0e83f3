import Model
import TestSupport
import Testing

@testable import Replication

/// The decoder fed everything but a good batch: every truncation, single-byte mutations,
/// garbage, bombs and hand-made bodies that each break one rule. It must throw a
/// ``CodecError`` or decode to a batch that re-encodes to itself; it must never trap.
@Suite("Change batch codec: decoder torture", .offThePool)
struct ChangeBatchCodecTortureTests {
    typealias F = ChangeBatchFixtures

    /// Small batches that between them use every part of the format.
    static let samples: [ChangeBatch] = {
        let alice = F.node("alice")
        let bob = F.node("bob")
        var manyOrigins: [Change] = []
        var seqs: [NodeID: UInt64] = [:]
        let nodes = (0..<7).map { F.node("n\($0)") }
        for step in 0..<60 {
            let origin = nodes[step % nodes.count]
            seqs[origin, default: 0] += 1
            let maker = nodes[(step * 3) % nodes.count]
            manyOrigins.append(
                F.change(
                    origin,
                    seqs[origin] ?? 1,
                    time: HybridTime(milliseconds: 1_790_000_000_000 + UInt64(step), counter: UInt16(step % 3)),
                    entity: [EntityKind.customer, .contact, .journal, .document][step % 4],
                    id: step % 5 == 4
                        ? EntityID(high: UInt64(step), low: 9)
                        : EntityID(
                            milliseconds: 1_790_000_000_000,
                            counter: UInt16(step / 2),
                            node: maker.discriminator
                        ),
                    field: ["name", "tags", "", "ü"][step % 4],
                    operation: Operation(code: UInt8(step % 4)),
                    value: step % 6 == 0 ? nil : "v\(step) ✓",
                    predecessors: step % 4 == 1 ? [WriteID(origin: maker, seq: UInt64(step))] : []
                )
            )
        }
        return [
            ChangeBatch(changes: [F.change(alice, 1)]),
            ChangeBatch(
                base: VersionVector([alice: 3, bob: 1]),
                changes: [
                    F.change(bob, 2, value: "Ωmega", predecessors: [WriteID(origin: alice, seq: 3)]),
                    F.change(bob, 3, field: "phone", value: nil),
                    F.change(alice, 4, entity: .journal, field: "", operation: .record, value: "{\"a\":1}"),
                ]
            ),
            ChangeBatch(base: VersionVector([alice: 1]), changes: manyOrigins),
        ]
    }()

    /// Decodes; a batch that decodes must re-encode to bytes that decode to it again. Returns
    /// the error code, or nil if the bytes decoded.
    @discardableResult
    static func decodeOrRefuse(_ bytes: [UInt8], limits: ChangeBatchCodec.Limits = .default) -> CodecError.Code? {
        do {
            let batch = try ChangeBatchCodec.decode(bytes, limits: limits)
            do {
                #expect(try ChangeBatchCodec.decode(ChangeBatchCodec.encode(batch)) == batch)
            } catch {
                Issue.record("a decoded batch failed to re-encode: \(error)")
            }
            return nil
        } catch let error as CodecError {
            #expect(!error.message.isEmpty)
            return error.code
        } catch {
            Issue.record("decode threw a \(type(of: error)), not a CodecError: \(error)")
            return nil
        }
    }

    /// Decodes a raw body the same way.
    @discardableResult
    static func decodeBodyOrRefuse(_ body: [UInt8]) -> CodecError.Code? {
        do {
            let batch = try BodyDecoder.decode(body, limits: .default)
            #expect(try BodyDecoder.decode(BodyEncoder.encode(batch, limits: .default), limits: .default) == batch)
            return nil
        } catch let error as CodecError {
            return error.code
        } catch {
            Issue.record("body decode threw a \(type(of: error)): \(error)")
            return nil
        }
    }

    @Test("every truncation of an encoded batch throws", arguments: 0..<3)
    func everyTruncationThrows(sample: Int) throws {
        let bytes = try ChangeBatchCodec.encode(Self.samples[sample])
        for length in 0..<bytes.count {
            let code = Self.decodeOrRefuse(Array(bytes.prefix(length)))
            #expect(code == .truncated, "prefix of \(length) of \(bytes.count) bytes gave \(String(describing: code))")
        }
    }

    @Test("every truncation of a body throws .truncated", arguments: 0..<3)
    func everyBodyTruncationThrows(sample: Int) throws {
        let body = try BodyEncoder.encode(Self.samples[sample], limits: .default)
        for length in 0..<body.count {
            #expect(Self.decodeBodyOrRefuse(Array(body.prefix(length))) == .truncated, "body prefix \(length)")
        }
    }

    @Test("seeded single-byte mutations of bodies throw or re-encode consistently", arguments: 0..<3)
    func bodyMutations(sample: Int) throws {
        let body = try BodyEncoder.encode(Self.samples[sample], limits: .default)
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 0xB0D1 + UInt64(sample))
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
            if Self.decodeBodyOrRefuse(mutated) == nil { decoded += 1 }
        }
        // Some mutations (a value's letter, a time) still make a valid batch; most do not.
        #expect(decoded > 0 && decoded < 4_000)
    }

    @Test("seeded single-byte mutations of encoded batches never crash", arguments: 0..<3)
    func encodedMutations(sample: Int) throws {
        let bytes = try ChangeBatchCodec.encode(Self.samples[sample])
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 0xC0DEC + UInt64(sample))
        for _ in 0..<1_500 {
            var mutated = bytes
            let position = Int.random(in: 0..<mutated.count, using: &generator)
            mutated[position] = UInt8.random(in: 0...255, using: &generator)
            Self.decodeOrRefuse(mutated)
        }
    }

    @Test("pure garbage is refused")
    func garbage() {
        var generator = ChangeBatchFixtures.SeededGenerator(seed: 7)
        let header = Array("NXCB".utf8) + [1]
        for round in 0..<3_000 {
            let length = Int.random(in: 0..<300, using: &generator)
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            switch round % 3 {
            case 0: Self.decodeOrRefuse(noise)
            case 1: Self.decodeOrRefuse(header + noise)
            default:
                // Noise that zlib accepts: only the body decoder stands between it and a batch.
                if let stream = try? ZlibBody.deflate(noise) { Self.decodeOrRefuse(header + stream) }
                Self.decodeBodyOrRefuse(noise)
            }
        }
    }

    @Test("batches back to back in one buffer are refused, as is a byte after the stream")
    func concatenated() throws {
        let one = try ChangeBatchCodec.encode(Self.samples[0])
        let two = try ChangeBatchCodec.encode(Self.samples[1])
        #expect(Self.decodeOrRefuse(one + two) == .malformed)
        #expect(Self.decodeOrRefuse(one + [0]) == .malformed)
        #expect(Self.decodeOrRefuse(one) == nil)
    }

    @Test("a body that inflates beyond the limit throws .tooLarge")
    func bomb() throws {
        let header = Array("NXCB".utf8) + [1]
        let zeros = try ZlibBody.deflate([UInt8](repeating: 0, count: 3 << 20))
        #expect(zeros.count < 8_000)
        let small = ChangeBatchCodec.Limits(maxDecompressedBytes: 1 << 20)
        #expect(Self.decodeOrRefuse(header + zeros, limits: small) == .tooLarge)
        // Within the limit the zeros inflate, and the body decoder refuses them.
        #expect(Self.decodeOrRefuse(header + zeros) == .malformed)
        // A real batch just over a limit.
        let w1 = try ChangeBatchCodec.encode(F.w1(customers: 100))
        #expect(Self.decodeOrRefuse(w1, limits: ChangeBatchCodec.Limits(maxDecompressedBytes: 50_000)) == .tooLarge)
        #expect(Self.decodeOrRefuse(w1, limits: ChangeBatchCodec.Limits(maxChanges: 1_299)) == .tooLarge)
        #expect(Self.decodeOrRefuse(w1, limits: ChangeBatchCodec.Limits(maxChanges: 1_300)) == nil)
        #expect(Self.decodeOrRefuse(w1, limits: ChangeBatchCodec.Limits(maxStringBytes: 100)) == .tooLarge)
        #expect(Self.decodeOrRefuse(w1, limits: ChangeBatchCodec.Limits(maxNodes: 0)) == .tooLarge)
    }
}
