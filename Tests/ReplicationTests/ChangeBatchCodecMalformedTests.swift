import Foundation
import Model
import Testing

@testable import Replication

@Suite("Change batch codec: hand-made bad input")
struct ChangeBatchCodecMalformedTests {
    /// A body that breaks one rule of the format, with the code the decoder must throw.
    struct MalformedBody: Sendable, CustomTestStringConvertible {
        let name: String
        let body: [UInt8]
        let expected: CodecError.Code?
        var testDescription: String { name }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarint(value)
        return writer.bytes
    }

    static func signed(_ value: Int64) -> [UInt8] { varint(Varint.zigzag(value)) }

    static let alice = ChangeBatchFixtures.node("alice").digest
    static let bob = ChangeBatchFixtures.node("bob").digest
    static let ms: Int64 = 1_790_000_000_000
    /// A valid first change: new origin 0, has a value, compact id of the origin, assign.
    static let change: [UInt8] = [0xA1, 0, 0] + signed(ms) + [0, 1] + signed(ms) + [0, 0]
    static let changeWithoutField = Array(change.dropLast())
    static let changeWithPredecessors = [0xE1] + change.dropFirst()

    /// A body from its five sections, each given as raw bytes.
    static func body(
        nodes: [UInt8] = [1] + alice,
        base: [UInt8] = [0],
        fields: [UInt8] = [1, 4] + Array("name".utf8),
        changes: [UInt8] = [1] + change,
        values: [UInt8] = [1, 0x78]
    ) -> [UInt8] {
        nodes + base + fields + changes + values
    }

    static let cases: [MalformedBody] = [
        MalformedBody(name: "valid", body: body(), expected: nil),
        MalformedBody(name: "node count over the limit", body: varint(10_001), expected: .tooLarge),
        MalformedBody(name: "fewer digests than nodes", body: body(nodes: [2] + alice), expected: .truncated),
        MalformedBody(name: "a node twice", body: body(nodes: [2] + alice + alice), expected: .malformed),
        MalformedBody(
            name: "base longer than the node table",
            body: body(base: [2, 0, 1, 0, 1]),
            expected: .malformed
        ),
        MalformedBody(name: "base node out of range", body: body(base: [1, 1, 5]), expected: .malformed),
        MalformedBody(name: "base seq zero", body: body(base: [1, 0, 0]), expected: .malformed),
        MalformedBody(
            name: "base nodes out of order",
            body: body(nodes: [2] + alice + bob, base: [2, 1, 5, 0, 5]),
            expected: .malformed
        ),
        MalformedBody(name: "field name not UTF-8", body: body(fields: [1, 1, 0xFF]), expected: .malformed),
        MalformedBody(name: "field name overlong UTF-8", body: body(fields: [1, 2, 0xC0, 0x80]), expected: .malformed),
        MalformedBody(
            name: "field name a lone surrogate",
            body: body(fields: [1, 3, 0xED, 0xA0, 0x80]),
            expected: .malformed
        ),
        MalformedBody(name: "field count over the limit", body: body(fields: varint(1 << 40)), expected: .tooLarge),
        MalformedBody(
            name: "field count beyond the bytes",
            body: body(fields: varint(1_000) + [0, 0]),
            expected: .truncated
        ),
        MalformedBody(name: "change count over the limit", body: body(changes: varint(1_000_001)), expected: .tooLarge),
        // A later release's operation or kind decodes (and is held by the replica).
        MalformedBody(
            name: "unknown operation decodes",
            body: body(changes: [1, 0xA1 | 5 << 2] + change.dropFirst()),
            expected: nil
        ),
        MalformedBody(
            name: "unknown entity kind decodes",
            body: body(changes: [1, 0xA1, 0, 0] + signed(ms) + [0, 9] + signed(ms) + [0, 0]),
            expected: nil
        ),
        MalformedBody(
            name: "first change: same entity",
            body: body(changes: [1, 0xA0, 0, 0] + signed(ms) + [0, 0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "first change: no origin",
            body: body(changes: [1, 0x21, 0] + signed(ms) + [0, 1] + signed(ms) + [0, 0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "origin out of range",
            body: body(changes: [1, 0xA1, 1] + change.dropFirst(2)),
            expected: .malformed
        ),
        MalformedBody(
            name: "time counter over 16 bits",
            body: body(changes: [1, 0xA1, 0, 0] + signed(ms) + varint(65_536) + [1] + signed(ms) + [0, 0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "entity id time over 48 bits",
            body: body(changes: [1, 0xA1, 0, 0] + signed(ms) + [0, 1] + signed(1 << 48) + [0, 0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "entity node out of range",
            body: body(changes: [1, 0xA2, 0, 0] + signed(ms) + [0, 1, 3] + signed(ms) + [0, 0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "field out of range",
            body: body(changes: [1] + changeWithoutField + [1]),
            expected: .malformed
        ),
        MalformedBody(
            name: "predecessors flagged but none",
            body: body(changes: [1] + changeWithPredecessors + [0]),
            expected: .malformed
        ),
        MalformedBody(
            name: "predecessor count over the limit",
            body: body(changes: [1] + changeWithPredecessors + varint(10_001)),
            expected: .tooLarge
        ),
        MalformedBody(
            name: "predecessor count at the limit, no bytes",
            body: body(changes: [1] + changeWithPredecessors + varint(10_000), values: []),
            expected: .truncated
        ),
        MalformedBody(
            name: "predecessor node out of range",
            body: body(changes: [1] + changeWithPredecessors + [1, 4, 1]),
            expected: .malformed
        ),
        MalformedBody(
            name: "value over 1 MiB",
            body: body(values: varint(1 << 20 + 1) + [UInt8](repeating: 0x61, count: 1 << 20 + 1)),
            expected: .tooLarge
        ),
        MalformedBody(name: "value not UTF-8", body: body(values: [2, 0xC3, 0x28]), expected: .malformed),
        MalformedBody(name: "value missing", body: body(values: []), expected: .truncated),
        MalformedBody(name: "a byte after the values", body: body(values: [1, 0x78, 0]), expected: .malformed),
        MalformedBody(name: "varint with a redundant zero", body: [0x81, 0x00], expected: .malformed),
        MalformedBody(
            name: "varint over 64 bits",
            body: [UInt8](repeating: 0xFF, count: 9) + [0x02],
            expected: .malformed
        ),
        MalformedBody(
            name: "varint of eleven bytes",
            body: [UInt8](repeating: 0x80, count: 10) + [0x01],
            expected: .malformed
        ),
        MalformedBody(name: "empty body", body: [], expected: .truncated),
    ]

    @Test("each broken rule throws its code, alone and inside a batch", arguments: cases)
    func brokenRule(_ input: MalformedBody) throws {
        let direct = ChangeBatchCodecTortureTests.decodeBodyOrRefuse(input.body)
        #expect(direct == input.expected)
        let wrapped = Array("NXCB".utf8) + [1] + (try ZlibBody.deflate(input.body))
        #expect(ChangeBatchCodecTortureTests.decodeOrRefuse(wrapped) == input.expected)
    }

    @Test("a later release's kind and operation codes decode as unknown and re-encode unchanged")
    func unknownCodesRoundTrip() throws {
        let operation = try BodyDecoder.decode(
            Self.body(changes: [1, 0xA1 | 5 << 2] + Self.change.dropFirst()),
            limits: .default
        )
        #expect(operation.changes.first?.operation == .unknown(5))
        let kind = try BodyDecoder.decode(
            Self.body(changes: [1, 0xA1, 0, 0] + Self.signed(Self.ms) + [0, 120] + Self.signed(Self.ms) + [0, 0]),
            limits: .default
        )
        #expect(kind.changes.first?.entity == EntityKind(code: 120))
        #expect(kind.changes.first?.entity.name == "kind-120")
        for batch in [operation, kind] {
            #expect(try ChangeBatchCodec.decode(try ChangeBatchCodec.encode(batch)) == batch)
        }
    }

    @Test(
        "headers",
        arguments: [
            ([], CodecError.Code.truncated),
            (Array("NX".utf8), .truncated),
            (Array("NXCA".utf8), .malformed),
            (Array("nxcb".utf8) + [1], .malformed),
            (Array("NXCB".utf8), .truncated),
            (Array("NXCB".utf8) + [0], .unsupportedVersion),
            (Array("NXCB".utf8) + [3, 0x78, 0x9C], .unsupportedVersion),
            (Array("NXCB".utf8) + [2, 0x78, 0x9C], .truncated),
            (Array("NXCB".utf8) + [1], .truncated),
            (Array("NXCB".utf8) + [1] + Array("hello".utf8), .decompression),
            (Array("NXCB".utf8) + [1, 0x78, 0x9C], .truncated),
        ] as [([UInt8], CodecError.Code)]
    )
    func header(bytes: [UInt8], expected: CodecError.Code) {
        #expect(ChangeBatchCodecTortureTests.decodeOrRefuse(bytes) == expected)
    }

    @Test("messages name the problem and the offset")
    func messages() {
        do {
            _ = try BodyDecoder.decode(Self.body(changes: [1, 0xA1, 1] + Self.change.dropFirst(2)), limits: .default)
            Issue.record("an out-of-range origin decoded")
        } catch let error as CodecError {
            #expect(error.code == .malformed)
            #expect(error.offset == 1 + 32 + 1 + 6 + 1 + 1)
            #expect(
                error.message == "origin of change 0 1 is out of range (there are 1) at body offset \(error.offset)"
            )
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// Past crashers and hand-made nasty inputs, one file each, named `<expected code>-<what>.bin`
    /// (`ok-` for inputs that must decode).
    static let crashers: [String] = {
        let names = try? FileManager.default.contentsOfDirectory(atPath: crashersDirectory.path)
        return (names ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }()

    static var crashersDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Crashers")
    }

    @Test("the crashers folder is there")
    func crashersFound() {
        #expect(Self.crashers.count >= 20)
    }

    @Test("replay crashers", arguments: crashers)
    func replay(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.crashersDirectory.appendingPathComponent(name)))
        let codes: [String: CodecError.Code?] = [
            "ok": nil, "truncated": .truncated, "malformed": .malformed, "unsupportedVersion": .unsupportedVersion,
            "tooLarge": .tooLarge, "decompression": .decompression,
        ]
        let prefix = String(name.prefix { $0 != "-" })
        guard let expected = codes[prefix] else {
            Issue.record("crasher \(name) does not start with an expected code")
            return
        }
        #expect(ChangeBatchCodecTortureTests.decodeOrRefuse(bytes) == expected)
    }
}
