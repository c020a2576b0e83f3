import NIOCore
import Replication
import Testing

/// Every message through the frame encoder and decoder, exact bytes, and what each side refuses.
struct SyncMessageCodingTests {
    @Test(arguments: SyncSamples.messages)
    func roundTripsThroughTheFrameCodec(message: SyncMessage) throws {
        let bytes = try SyncSamples.encoded(message)
        #expect(try SyncSamples.decodeAll(bytes) == [message])
        // The length prefix counts the type byte and the payload.
        let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(length == bytes.count - 4)
    }

    @Test(arguments: SyncSamples.messages)
    func plainFunctionsAgreeWithTheFrameCodec(message: SyncMessage) throws {
        var buffer = ByteBuffer()
        try message.encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == (try SyncSamples.encoded(message)))
        buffer.moveReaderIndex(forwardBy: 4)
        let type = buffer.readInteger(as: UInt8.self) ?? 0
        #expect(try SyncMessage.decode(type: type, payload: buffer) == message)
    }

    @Test func layoutsAreByteExact() throws {
        #expect(try SyncSamples.encoded(.doneSending) == [0, 0, 0, 1, 4])
        #expect(try SyncSamples.encoded(.goodbye) == [0, 0, 0, 1, 9])
        let digest = SyncSamples.digestA
        #expect(try SyncSamples.encoded(.blobMissing(digest: digest)) == [0, 0, 0, 33, 7] + SyncSamples.raw(digest))
        // applied: count 1, node, seq 300 = varint AC 02.
        let applied = try SyncSamples.encoded(.applied(VersionVector([SyncSamples.bob: 300])))
        #expect(applied == [0, 0, 0, 36, 3, 1] + SyncSamples.bob.digest + [0xAC, 0x02])
        let hello = try SyncSamples.encoded(
            .hello(Hello(nodeID: SyncSamples.alice, name: "Front desk", vector: VersionVector([SyncSamples.alice: 5])))
        )
        // Version 2, then the four extensions this build writes, each empty: release "",
        // no kinds, no operations, no features.
        let payload =
            Array("NXSY".utf8) + [0, 2] + SyncSamples.alice.digest + [10] + Array("Front desk".utf8)
            + [1] + SyncSamples.alice.digest + [5]
            + [4, 1, 1, 0, 2, 1, 0, 3, 1, 0, 4, 1, 0]
        #expect(hello == SyncSamples.frame(type: 1, payload))
        let chunk = try SyncSamples.encoded(
            .blobChunk(BlobChunk(digest: digest, offset: 200, total: 203, bytes: [7, 8, 9]))
        )
        #expect(chunk == SyncSamples.frame(type: 6, SyncSamples.raw(digest) + [0xC8, 0x01, 0xCB, 0x01, 7, 8, 9]))
        let refusal = try SyncSamples.encoded(.refusal(code: "x", message: "ü"))
        #expect(refusal == SyncSamples.frame(type: 8, [1, 0x78, 2, 0xC3, 0xBC]))
    }

    @Test func vectorsAreWrittenSortedByNode() throws {
        let vector = VersionVector([SyncSamples.carol: 3, SyncSamples.alice: 1, SyncSamples.bob: 2])
        let bytes = try SyncSamples.encoded(.applied(vector))
        let sorted = [SyncSamples.alice, SyncSamples.bob, SyncSamples.carol].sorted()
        let expected: [UInt8] = [3] + sorted.flatMap { node -> [UInt8] in node.digest + [UInt8(vector[node])] }
        #expect(Array(bytes.dropFirst(5)) == expected)
    }

    static let unsendable: [(String, SyncMessage, ProtocolError.Code)] = [
        ("upper-case digest", .blobMissing(digest: SyncSamples.digestA.uppercased()), .malformed),
        ("short digest", .blobMissing(digest: "abc123"), .malformed),
        ("digest with a space", .wantBlobs([BlobRequest(digest: String(repeating: "a", count: 63) + " ")]), .malformed),
        (
            "chunk past total",
            .blobChunk(BlobChunk(digest: SyncSamples.digestA, offset: 8, total: 10, bytes: [1, 2, 3])), .malformed
        ),
        (
            "empty chunk before total",
            .blobChunk(BlobChunk(digest: SyncSamples.digestA, offset: 3, total: 10, bytes: [])), .malformed
        ),
        (
            "chunk over 1 MiB",
            .blobChunk(
                BlobChunk(
                    digest: SyncSamples.digestA,
                    offset: 0,
                    total: 1 << 21,
                    bytes: Array(repeating: 1, count: (1 << 20) + 1)
                )
            ),
            .malformed
        ),
        (
            "offset overflowing",
            .blobChunk(BlobChunk(digest: SyncSamples.digestA, offset: UInt64.max, total: UInt64.max, bytes: [1])),
            .malformed
        ),
        (
            "name of 256 bytes",
            .hello(Hello(nodeID: SyncSamples.alice, name: String(repeating: "n", count: 256), vector: VersionVector())),
            .malformed
        ),
        ("refusal code of 65 bytes", .refusal(code: String(repeating: "c", count: 65), message: ""), .malformed),
        (
            "refusal message of 4097 bytes", .refusal(code: "x", message: String(repeating: "m", count: 4097)),
            .malformed
        ),
    ]

    @Test(arguments: unsendable)
    func encoderRefusesWhatAPeerWouldRefuse(name: String, message: SyncMessage, code: ProtocolError.Code) {
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB])
        let error = #expect(throws: ProtocolError.self, "\(name)") {
            try SyncFrameEncoder().encode(data: message, out: &buffer)
        }
        #expect(error?.code == code, "\(name): \(error?.message ?? "")")
        #expect(Array(buffer.readableBytesView) == [0xAA, 0xBB], "\(name): the buffer must be left as it was")
    }

    @Test func encoderRefusesFramesOverItsLimit() throws {
        let hello = SyncMessage.hello(Hello(nodeID: SyncSamples.alice, name: "Front desk", vector: VersionVector()))
        let size = try SyncSamples.encoded(hello).count - 4
        var buffer = ByteBuffer()
        try SyncFrameEncoder(maxFrameLength: size).encode(data: hello, out: &buffer)
        let error = #expect(throws: ProtocolError.self) {
            try SyncFrameEncoder(maxFrameLength: size - 1).encode(data: hello, out: &buffer)
        }
        #expect(error?.code == .frameTooLarge)
        #expect(buffer.readableBytes == size + 4)
    }

    @Test(arguments: [UInt16(0), 1, 3, 7, 0xFFFF])
    func helloOfAnotherVersionDecodesItsPrefixOnly(version: UInt16) throws {
        // A future hello: the frozen prefix, then fields this build does not know.
        let future = SyncSamples.helloPayload(
            version: version,
            name: Array("Büro Nord".utf8),
            vector: [0xFF, 0xFE, 0x00, 9, 9]
        )
        let messages = try SyncSamples.decodeAll(SyncSamples.frame(type: 1, future))
        let expected = Hello(version: version, nodeID: SyncSamples.alice, name: "Büro Nord", vector: VersionVector())
        #expect(messages == [.hello(expected)])
    }

    static let undecodable: [(String, [UInt8], ProtocolError.Code)] = [
        ("zero length", [0, 0, 0, 0], .malformed),
        ("length over 16 MiB", [0x01, 0x00, 0x00, 0x01, 1], .frameTooLarge),
        ("length 4 GiB", [0xFF, 0xFF, 0xFF, 0xFF], .frameTooLarge),
        ("type 0", SyncSamples.frame(type: 0, []), .unknownMessage),
        ("type 10", SyncSamples.frame(type: 10, [1, 2]), .unknownMessage),
        ("type 255", SyncSamples.frame(type: 255, []), .unknownMessage),
        ("doneSending with a payload", SyncSamples.frame(type: 4, [0]), .malformed),
        ("goodbye with a payload", SyncSamples.frame(type: 9, [0, 0, 0]), .malformed),
        ("hello with the wrong magic", SyncSamples.frame(type: 1, SyncSamples.helloPayload(magic: "NXCB")), .malformed),
        ("hello cut in its version", SyncSamples.frame(type: 1, Array("NXSY".utf8) + [0]), .malformed),
        (
            "future hello without a node id", SyncSamples.frame(type: 1, Array("NXSY".utf8) + [0, 2, 1, 2, 3]),
            .malformed
        ),
        (
            "hello without a vector",
            SyncSamples.frame(type: 1, SyncSamples.helloPayload(vector: [], extensions: [])), .malformed
        ),
        (
            "hello without extensions",
            SyncSamples.frame(type: 1, SyncSamples.helloPayload(extensions: [])), .malformed
        ),
        (
            "hello with trailing bytes", SyncSamples.frame(type: 1, SyncSamples.helloPayload(extensions: [0, 0])),
            .malformed
        ),
        (
            "hello name not UTF-8", SyncSamples.frame(type: 1, SyncSamples.helloPayload(name: [0x41, 0xC3, 0x28])),
            .malformed
        ),
        (
            "hello name of 300 bytes",
            SyncSamples.frame(type: 1, SyncSamples.helloPayload(name: Array(repeating: 0x61, count: 300))), .malformed
        ),
        (
            "vector with nodes out of order",
            SyncSamples.frame(
                type: 3,
                [2] + max(SyncSamples.alice, SyncSamples.bob).digest + [1]
                    + min(SyncSamples.alice, SyncSamples.bob).digest + [1]
            ),
            .malformed
        ),
        (
            "vector with a node twice",
            SyncSamples.frame(type: 3, [2] + SyncSamples.bob.digest + [1] + SyncSamples.bob.digest + [2]), .malformed
        ),
        ("vector with seq 0", SyncSamples.frame(type: 3, [1] + SyncSamples.bob.digest + [0]), .malformed),
        ("vector count not shortest", SyncSamples.frame(type: 3, [0x80, 0x00]), .malformed),
        (
            "varint of 11 bytes",
            SyncSamples.frame(type: 3, [1] + SyncSamples.bob.digest + Array(repeating: 0xFF, count: 10) + [1]),
            .malformed
        ),
        (
            "varint over 64 bits",
            SyncSamples.frame(type: 3, [1] + SyncSamples.bob.digest + Array(repeating: 0xFF, count: 9) + [0x02]),
            .malformed
        ),
        ("vector count beyond the bytes", SyncSamples.frame(type: 3, [100] + SyncSamples.bob.digest + [1]), .malformed),
        (
            "vector cut in a node id", SyncSamples.frame(type: 3, [1] + Array(SyncSamples.bob.digest.prefix(20))),
            .malformed
        ),
        ("wantBlobs count of 2^64-1", SyncSamples.frame(type: 5, SyncSamples.varint(UInt64.max)), .malformed),
        (
            "wantBlobs missing an entry", SyncSamples.frame(type: 5, [2] + SyncSamples.raw(SyncSamples.digestA) + [0]),
            .malformed
        ),
        (
            "chunk offset past total", SyncSamples.frame(type: 6, SyncSamples.raw(SyncSamples.digestA) + [9, 5, 1]),
            .malformed
        ),
        (
            "empty chunk before total", SyncSamples.frame(type: 6, SyncSamples.raw(SyncSamples.digestA) + [0, 5]),
            .malformed
        ),
        ("chunk cut in its digest", SyncSamples.frame(type: 6, Array(repeating: 0xAB, count: 31)), .malformed),
        ("blobMissing with 33 bytes", SyncSamples.frame(type: 7, Array(repeating: 1, count: 33)), .malformed),
        ("refusal with trailing bytes", SyncSamples.frame(type: 8, [1, 0x78, 0, 0x21]), .malformed),
        ("refusal code cut short", SyncSamples.frame(type: 8, [5, 0x78]), .malformed),
        ("refusal message not UTF-8", SyncSamples.frame(type: 8, [0, 2, 0xFF, 0xFE]), .malformed),
        ("batch of garbage", SyncSamples.frame(type: 2, Array("not a batch at all".utf8)), .malformed),
        ("empty batch payload", SyncSamples.frame(type: 2, []), .malformed),
    ]

    @Test(arguments: undecodable)
    func decoderRefusesMalformedFrames(name: String, bytes: [UInt8], code: ProtocolError.Code) {
        let error = #expect(throws: ProtocolError.self, "\(name)") { try SyncSamples.decodeAll(bytes) }
        #expect(error?.code == code, "\(name): \(error?.message ?? "")")
        #expect(error.map { !$0.message.isEmpty && !$0.message.contains("\n") } ?? false, "\(name): one line")
    }

    @Test func truncatedBatchIsMalformed() throws {
        let bytes = try SyncSamples.encoded(.batch(SyncFixtures.batch(SyncSamples.alice, count: 40)))
        let payload = Array(bytes.dropFirst(5))
        for cut in [5, payload.count / 2, payload.count - 1] {
            let error = #expect(throws: ProtocolError.self) {
                try SyncSamples.decodeAll(SyncSamples.frame(type: 2, Array(payload.prefix(cut))))
            }
            #expect(error?.code == .malformed)
            #expect(error?.message.hasPrefix("batch:") == true)
        }
    }

    @Test func decoderHonoursAConfiguredLimit() throws {
        let bytes = try SyncSamples.encoded(.refusal(code: "x", message: String(repeating: "m", count: 100)))
        #expect(try SyncSamples.decodeAll(bytes, decoder: SyncFrameDecoder(maxFrameLength: bytes.count - 4)).count == 1)
        let error = #expect(throws: ProtocolError.self) {
            try SyncSamples.decodeAll(bytes, decoder: SyncFrameDecoder(maxFrameLength: bytes.count - 5))
        }
        #expect(error?.code == .frameTooLarge)
    }
}
