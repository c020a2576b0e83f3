import NIOCore
import Replication
import Testing

/// The version 2 hello's extensions: what they carry, what a receiver skips, what it refuses.
struct HelloExtensionTests {
    typealias Kind = Capabilities.Kind

    /// A version 2 hello frame of Alice named "Front desk" holding nothing, with these
    /// extension bytes (count included).
    static func frame(extensions: [UInt8], node: NodeID = SyncSamples.alice) -> [UInt8] {
        SyncSamples.frame(type: 1, SyncSamples.helloPayload(node: node, extensions: extensions))
    }

    static func decodedCapabilities(_ extensions: [UInt8]) throws -> Capabilities? {
        guard case .hello(let hello)? = try SyncSamples.decodeAll(frame(extensions: extensions)).first else {
            return nil
        }
        return hello.capabilities
    }

    @Test func roundTripsWithEveryExtension() throws {
        let hello = Hello(
            nodeID: SyncSamples.bob,
            name: "Büro Nord",
            vector: VersionVector([SyncSamples.alice: 3, SyncSamples.bob: 9]),
            capabilities: SyncSamples.capabilities
        )
        let decoded = try SyncSamples.decodeAll(SyncSamples.encoded(.hello(hello)))
        #expect(decoded == [.hello(hello)])
        guard case .hello(let back)? = decoded.first else { return }
        #expect(back.capabilities.release == "0.2.0-beta+Zürich")
        #expect(back.capabilities.kinds.map(\.code) == [1, 0, 255])
        #expect(back.capabilities.kinds[0].fields == ["name", "address", "vatNumber", "tags"])
        #expect(back.capabilities.operations == [0, 1, 2, 3, 255])
        #expect(back.capabilities.features == ["", "zstd-batches"])
    }

    @Test func extensionsAreByteExact() throws {
        let capabilities = Capabilities(
            release: "0.2.0",
            kinds: [Kind(code: 1, name: "customer", fields: ["name"])],
            operations: [0, 1],
            features: ["x"]
        )
        let bytes = try SyncSamples.encoded(
            .hello(
                Hello(
                    nodeID: SyncSamples.alice,
                    name: "Front desk",
                    vector: VersionVector(),
                    capabilities: capabilities
                )
            )
        )
        let kinds: [UInt8] = [1, 1] + SyncSamples.string("customer") + [1] + SyncSamples.string("name")
        let extensions: [UInt8] =
            [4]
            + SyncSamples.helloExtension(tag: 1, SyncSamples.string("0.2.0"))
            + SyncSamples.helloExtension(tag: 2, kinds)
            + SyncSamples.helloExtension(tag: 3, [2, 0, 1])
            + SyncSamples.helloExtension(tag: 4, [1] + SyncSamples.string("x"))
        #expect(bytes == Self.frame(extensions: extensions))
        #expect(Array(extensions.prefix(9)) == [4, 1, 6, 5, 0x30, 0x2E, 0x32, 0x2E, 0x30])
    }

    /// The version 2 example of docs/PROTOCOL.md: a hello with one extension, the release.
    @Test func theDocumentedExampleDecodes() throws {
        let payload =
            Array("NXSY".utf8) + [0x00, 0x02] + SyncSamples.alice.digest + SyncSamples.string("Front desk")
            + [0x01] + SyncSamples.alice.digest + [0x05]
            + [0x01, 0x01, 0x06, 0x05] + Array("0.2.0".utf8)
        let frame = SyncSamples.frame(type: 1, payload)
        #expect(Array(frame.prefix(5)) == [0x00, 0x00, 0x00, 0x5D, 0x01])
        let expected = Hello(
            nodeID: SyncSamples.alice,
            name: "Front desk",
            vector: VersionVector([SyncSamples.alice: 5]),
            capabilities: Capabilities(release: "0.2.0")
        )
        #expect(try SyncSamples.decodeAll(frame) == [.hello(expected)])
    }

    @Test func unknownExtensionsAreSkipped() throws {
        // What a later release might send: tags this build does not know, before, between
        // and after the ones it does, with bytes that would be nonsense in any known one.
        let extensions: [UInt8] =
            [5]
            + SyncSamples.helloExtension(tag: 0, [0xFF, 0xFF, 0xFF])
            + SyncSamples.helloExtension(tag: 1, SyncSamples.string("0.3.0"))
            + SyncSamples.helloExtension(tag: 3, [5, 0, 1, 2, 3, 4])
            + SyncSamples.helloExtension(
                tag: 99,
                [0x80, 0x80, 0x80, 0x00, 0xC3, 0x28] + Array(repeating: 7, count: 300)
            )
            + SyncSamples.helloExtension(tag: 1 << 40, [])
        let capabilities = try #require(try Self.decodedCapabilities(extensions))
        #expect(capabilities == Capabilities(release: "0.3.0", operations: [0, 1, 2, 3, 4]))

        // A session takes such a hello as any other and goes on to stream.
        var session = SyncSessionTests.session()
        _ = session.start()
        let hello = try #require(
            try SyncSamples.decodeAll(Self.frame(extensions: extensions, node: SyncSamples.bob)).first
        )
        let actions = session.received(hello)
        #expect(actions == [.fetchBatch(after: VersionVector(), maxChanges: 10)])
        #expect(session.summary.peerRelease == "0.3.0")
        #expect(session.summary.peerCapabilities?.understands(operationCode: 4) == true)
    }

    @Test func absentExtensionsReadAsEmpty() throws {
        #expect(try Self.decodedCapabilities([0]) == Capabilities())
        let onlyFeatures = [1] + SyncSamples.helloExtension(tag: 4, [1] + SyncSamples.string("later"))
        #expect(try Self.decodedCapabilities(onlyFeatures) == Capabilities(features: ["later"]))
    }

    static let tooManyFields =
        [1, 7] + SyncSamples.string("k") + SyncSamples.varint(1001) + Array(repeating: 0, count: 1001)
    static let malformed: [(String, [UInt8])] = [
        ("no extension count", []),
        ("extension count over 64", SyncSamples.varint(65) + Array(repeating: 0, count: 200)),
        ("extension count beyond the bytes", [3] + SyncSamples.helloExtension(tag: 1, [0])),
        (
            "tags not increasing",
            [2] + SyncSamples.helloExtension(tag: 3, [0]) + SyncSamples.helloExtension(tag: 1, [0])
        ),
        ("a tag twice", [2] + SyncSamples.helloExtension(tag: 99, []) + SyncSamples.helloExtension(tag: 99, [])),
        ("length past the end", [1, 99, 10, 1, 2, 3]),
        ("length over 64 KiB", [1, 99] + SyncSamples.varint(65537) + Array(repeating: 0, count: 65537)),
        ("release with a trailing byte", [1, 1, 7] + SyncSamples.string("0.2.0") + [0]),
        ("empty release extension", [1] + SyncSamples.helloExtension(tag: 1, [])),
        (
            "release running into the next extension",
            [2, 1, 3, 5, 0x30, 0x2E] + SyncSamples.helloExtension(tag: 3, [0])
        ),
        ("release not UTF-8", [1] + SyncSamples.helloExtension(tag: 1, [2, 0xC3, 0x28])),
        (
            "release of 65 bytes",
            [1] + SyncSamples.helloExtension(tag: 1, SyncSamples.string(String(repeating: "9", count: 65)))
        ),
        ("kind count beyond the extension", [1] + SyncSamples.helloExtension(tag: 2, [5, 1, 0, 0])),
        (
            "kind count over 256",
            [1] + SyncSamples.helloExtension(tag: 2, SyncSamples.varint(257) + Array(repeating: 0, count: 800))
        ),
        ("kind cut in its name", [1] + SyncSamples.helloExtension(tag: 2, [1, 1, 4, 0x61])),
        ("kind with 1001 fields", [1] + SyncSamples.helloExtension(tag: 2, tooManyFields)),
        (
            "field of 65 bytes",
            [1]
                + SyncSamples.helloExtension(
                    tag: 2,
                    [1, 1, 0, 1] + SyncSamples.string(String(repeating: "f", count: 65))
                )
        ),
        ("kinds with a trailing byte", [1] + SyncSamples.helloExtension(tag: 2, [0, 0])),
        ("operation count beyond the extension", [1] + SyncSamples.helloExtension(tag: 3, [4, 0, 1])),
        ("operations with a trailing byte", [1] + SyncSamples.helloExtension(tag: 3, [1, 0, 1])),
        ("feature not UTF-8", [1] + SyncSamples.helloExtension(tag: 4, [1, 1, 0xFF])),
        (
            "feature count over 256",
            [1] + SyncSamples.helloExtension(tag: 4, SyncSamples.varint(257) + Array(repeating: 0, count: 257))
        ),
        ("extensions then trailing bytes", [1] + SyncSamples.helloExtension(tag: 1, [0]) + [0]),
    ]

    @Test(arguments: malformed)
    func malformedExtensionsAreRefused(name: String, extensions: [UInt8]) {
        let error = #expect(throws: ProtocolError.self, "\(name)") {
            try SyncSamples.decodeAll(Self.frame(extensions: extensions))
        }
        #expect(error?.code == .malformed, "\(name): \(error?.message ?? "")")
        #expect(error?.message.hasPrefix("hello: ") == true, "\(name): \(error?.message ?? "")")
    }

    @Test func errorsNameTheExtensionAndTheOffset() throws {
        let prefix = SyncSamples.helloPayload(extensions: []).count
        let trailing = [1, 1, 7] + SyncSamples.string("0.2.0") + [0]
        let error = #expect(throws: ProtocolError.self) { try SyncSamples.decodeAll(Self.frame(extensions: trailing)) }
        #expect(
            error?.message
                == "hello: 1 trailing bytes in the release extension (tag 1) at payload offset \(prefix + 9)"
        )
        let short = [2, 1, 3, 5, 0x30, 0x2E] + SyncSamples.helloExtension(tag: 3, [0])
        let cut = #expect(throws: ProtocolError.self) { try SyncSamples.decodeAll(Self.frame(extensions: short)) }
        #expect(cut?.message.contains("needs more than the 2 bytes left in the release extension (tag 1)") == true)
        let overrun = [2] + SyncSamples.helloExtension(tag: 2, []) + SyncSamples.helloExtension(tag: 3, [0])
        let past = #expect(throws: ProtocolError.self) { try SyncSamples.decodeAll(Self.frame(extensions: overrun)) }
        #expect(past?.message.contains("the kind count runs past the end of the kinds extension (tag 2)") == true)
    }

    static let unsendable: [(String, Capabilities)] = [
        ("release of 65 bytes", Capabilities(release: String(repeating: "1", count: 65))),
        (
            "kind name of 65 bytes",
            Capabilities(kinds: [Kind(code: 1, name: String(repeating: "k", count: 65), fields: [])])
        ),
        (
            "field of 65 bytes",
            Capabilities(kinds: [Kind(code: 1, name: "k", fields: [String(repeating: "f", count: 65)])])
        ),
        ("257 kinds", Capabilities(kinds: Array(repeating: Kind(code: 1, name: "k", fields: []), count: 257))),
        ("1001 fields", Capabilities(kinds: [Kind(code: 1, name: "k", fields: Array(repeating: "f", count: 1001))])),
        ("257 operations", Capabilities(operations: Array(repeating: 0, count: 257))),
        ("feature of 65 bytes", Capabilities(features: [String(repeating: "x", count: 65)])),
        ("257 features", Capabilities(features: Array(repeating: "x", count: 257))),
        (
            "kinds over 64 KiB",
            Capabilities(
                kinds: (0..<256).map { Kind(code: UInt8($0), name: "k", fields: Array(repeating: "field", count: 50)) }
            )
        ),
    ]

    @Test(arguments: unsendable)
    func encoderRefusesCapabilitiesOverTheLimits(name: String, capabilities: Capabilities) {
        let hello = Hello(nodeID: SyncSamples.alice, name: "A", vector: VersionVector(), capabilities: capabilities)
        var buffer = ByteBuffer(bytes: [0xAA])
        let error = #expect(throws: ProtocolError.self, "\(name)") {
            try SyncFrameEncoder().encode(data: .hello(hello), out: &buffer)
        }
        #expect(error?.code == .malformed, "\(name): \(error?.message ?? "")")
        #expect(Array(buffer.readableBytesView) == [0xAA], "\(name): the buffer must be left as it was")
    }

    @Test func capabilitiesAtTheLimitsAreSent() throws {
        let name = String(repeating: "n", count: Capabilities.maxNameBytes)
        let capabilities = Capabilities(
            release: String(repeating: "r", count: Capabilities.maxReleaseBytes),
            kinds: [Kind(code: 9, name: name, fields: Array(repeating: "f", count: Capabilities.maxFieldsPerKind))],
            operations: (0...255).map { UInt8($0) },
            features: Array(repeating: name, count: Capabilities.maxFeatures)
        )
        let hello = Hello(nodeID: SyncSamples.alice, name: "A", vector: VersionVector(), capabilities: capabilities)
        #expect(try SyncSamples.decodeAll(SyncSamples.encoded(.hello(hello))) == [.hello(hello)])
    }

    @Test func helpersAnswerFromTheAnnouncement() {
        let capabilities = SyncSamples.capabilities
        #expect(capabilities.understands(kindCode: 1))
        #expect(capabilities.understands(kindCode: 0))
        #expect(!capabilities.understands(kindCode: 2))
        #expect(capabilities.understands(kindCode: 1, field: "vatNumber"))
        #expect(!capabilities.understands(kindCode: 1, field: "vat"))
        #expect(!capabilities.understands(kindCode: 2, field: "name"))
        #expect(capabilities.understands(kindCode: 255, field: ""))
        #expect(capabilities.understands(operationCode: 255))
        #expect(!capabilities.understands(operationCode: 4))
        #expect(capabilities.supports(feature: "zstd-batches"))
        #expect(!capabilities.supports(feature: "zstd"))
        #expect(!Capabilities().understands(kindCode: 1))
    }
}
