import NIOCore
import Replication

/// Messages of every kind, with the awkward values (empty, largest, non-ASCII) a real session
/// meets, and helpers to frame and decode bytes.
enum SyncSamples {
    static let alice = SyncFixtures.node("alice")
    static let bob = SyncFixtures.node("bob")
    static let carol = SyncFixtures.node("carol")
    static let digestA = SyncFixtures.digest(Array("invoice 2026-114.pdf".utf8))
    static let digestB = SyncFixtures.digest(Array("scan of the contract".utf8))

    /// Capabilities with every extension filled, awkward values included.
    static let capabilities = Capabilities(
        release: "0.2.0-beta+Zürich",
        kinds: [
            Capabilities.Kind(code: 1, name: "customer", fields: ["name", "address", "vatNumber", "tags"]),
            Capabilities.Kind(code: 0, name: "", fields: []),
            Capabilities.Kind(code: 255, name: String(repeating: "k", count: 64), fields: ["é", ""]),
        ],
        operations: [0, 1, 2, 3, 255],
        features: ["", "zstd-batches"]
    )

    static let messages: [SyncMessage] = [
        .hello(Hello(nodeID: alice, name: "", vector: VersionVector())),
        .hello(
            Hello(
                nodeID: bob,
                name: "Empfang – Zürich 🏔",
                vector: VersionVector([alice: 1, bob: 300, carol: UInt64.max])
            )
        ),
        .hello(Hello(nodeID: carol, name: String(repeating: "é", count: 127) + "x", vector: VersionVector([carol: 7]))),
        .hello(Hello(nodeID: alice, name: "Front desk", vector: VersionVector([alice: 5]), capabilities: capabilities)),
        .batch(SyncFixtures.batch(alice, count: 3)),
        .batch(SyncFixtures.batch(bob, from: 41, count: 25)),
        .batch(ChangeBatch(base: VersionVector([alice: 9]), changes: [])),
        .applied(VersionVector()),
        .applied(VersionVector([alice: 128, bob: 16_384, carol: 1])),
        .doneSending,
        .wantBlobs([]),
        .wantBlobs([
            BlobRequest(digest: digestA),
            BlobRequest(digest: digestB, offset: 1234),
            BlobRequest(digest: String(repeating: "f", count: 64), offset: UInt64.max),
        ]),
        .blobChunk(BlobChunk(digest: digestA, offset: 0, total: 10, bytes: Array(0..<4))),
        .blobChunk(BlobChunk(digest: digestA, offset: 4, total: 10, bytes: Array(4..<10))),
        .blobChunk(BlobChunk(digest: digestB, offset: 0, total: 0, bytes: [])),
        .blobChunk(BlobChunk(digest: digestB, offset: 77, total: 77, bytes: [])),
        .blobChunk(
            BlobChunk(
                digest: digestB,
                offset: 1 << 40,
                total: (1 << 40) + (1 << 20),
                bytes: SyncFixtures.document(5, count: 1 << 20)
            )
        ),
        .blobMissing(digest: String(repeating: "0", count: 64)),
        .refusal(code: "unsupported-version", message: "node 'Empfang' (ABCDEFG) speaks version 1, not version 2"),
        .refusal(code: "", message: ""),
        .goodbye,
    ]

    /// One frame around `payload`, with the right length unless `length` says otherwise.
    static func frame(type: UInt8, _ payload: [UInt8], length: UInt32? = nil) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(length ?? UInt32(payload.count + 1))
        buffer.writeInteger(type)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }

    /// The frame of a message, as the encoder writes it.
    static func encoded(_ message: SyncMessage) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try SyncFrameEncoder().encode(data: message, out: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Every message the bytes hold, decoded in one go; throws what the decoder throws.
    static func decodeAll(_ bytes: [UInt8], decoder: SyncFrameDecoder = SyncFrameDecoder()) throws -> [SyncMessage] {
        var decoder = decoder
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [SyncMessage] = []
        while let message = try decoder.decode(buffer: &buffer) { messages.append(message) }
        return messages
    }

    /// A hello payload, field by field, for hand-made (and broken) hellos. By default a
    /// version 2 hello without extensions.
    static func helloPayload(
        magic: String = "NXSY",
        version: UInt16 = 2,
        node: NodeID = alice,
        name: [UInt8] = Array("Front desk".utf8),
        vector: [UInt8] = [0],
        extensions: [UInt8] = [0]
    ) -> [UInt8] {
        Array(magic.utf8) + [UInt8(version >> 8), UInt8(version & 0xFF)] + node.digest + varint(UInt64(name.count))
            + name
            + vector
            + extensions
    }

    /// One hello extension: tag, length, bytes.
    static func helloExtension(tag: UInt64, _ bytes: [UInt8]) -> [UInt8] {
        varint(tag) + varint(UInt64(bytes.count)) + bytes
    }

    /// A string field: its varint byte count, then its UTF-8.
    static func string(_ text: String) -> [UInt8] {
        varint(UInt64(text.utf8.count)) + Array(text.utf8)
    }

    /// An unsigned LEB128 varint, shortest form.
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    /// The 32 bytes of a digest.
    static func raw(_ digest: String) -> [UInt8] {
        let utf8 = Array(digest.utf8)
        return stride(from: 0, to: utf8.count, by: 2).map {
            UInt8(String(decoding: utf8[$0..<($0 + 2)], as: UTF8.self), radix: 16) ?? 0
        }
    }
}
