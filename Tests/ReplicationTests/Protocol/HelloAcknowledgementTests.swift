import NIOCore
import Replication
import Testing

/// The hello's acknowledgements (extension tag 6): what the sender says the fleet holds.
struct HelloAcknowledgementTests {
    static let carolSays = Acknowledgement(
        origin: SyncSamples.carol,
        node: SyncSamples.carol,
        vector: VersionVector([SyncSamples.alice: 4, SyncSamples.carol: 12])
    )

    static func hello(_ acknowledgements: [Acknowledgement]) -> Hello {
        Hello(
            nodeID: SyncSamples.bob,
            name: "Branch",
            vector: VersionVector([SyncSamples.bob: 2]),
            capabilities: SyncSamples.capabilities,
            acknowledgements: acknowledgements
        )
    }

    @Test func roundTripOwnFirstThenHeard() throws {
        let own = Acknowledgement(
            origin: SyncSamples.bob,
            node: SyncSamples.bob,
            vector: VersionVector([SyncSamples.bob: 2])
        )
        let hello = Self.hello([own, Self.carolSays])
        let decoded = try SyncSamples.decodeAll(SyncSamples.encoded(.hello(hello)))
        #expect(decoded == [.hello(hello)])
    }

    @Test func noneLeavesTheExtensionOut() throws {
        let without = try SyncSamples.encoded(.hello(Self.hello([])))
        let with = try SyncSamples.encoded(.hello(Self.hello([Self.carolSays])))
        // Tag 6, a two-byte length (132), a count of 1, two node ids and a two-entry vector.
        #expect(with.count - without.count == 1 + 2 + 1 + 64 + (1 + 2 * 33))
    }

    @Test func whatDoesNotFitIsLeftOutNotRefused() throws {
        // 300 origins each: about 10 KB an acknowledgement; a hello carries what fits in 64 KiB.
        let wide = VersionVector(
            Dictionary(uniqueKeysWithValues: (0..<300).map { (SyncFixtures.node("origin \($0)"), UInt64($0 + 1)) })
        )
        let many = (0..<20).map {
            Acknowledgement(origin: SyncFixtures.node("acker \($0)"), node: SyncSamples.carol, vector: wide)
        }
        let decoded = try SyncSamples.decodeAll(SyncSamples.encoded(.hello(Self.hello(many))))
        guard case .hello(let back)? = decoded.first else {
            Issue.record("no hello")
            return
        }
        #expect(back.acknowledgements.count == 6)
        #expect(back.acknowledgements == Array(many.prefix(6)), "the first ones, in order")
    }

    @Test(
        "a malformed acknowledgements extension is refused",
        arguments: [
            ("trailing byte", [1] + [UInt8](repeating: 7, count: 64) + [0] + [0xFF]),
            ("count over the limit", [0x81, 0x10]),
            ("count beyond the bytes", [2] + [UInt8](repeating: 7, count: 64) + [0]),
            ("seq of zero", [1] + [UInt8](repeating: 7, count: 64) + [1] + [UInt8](repeating: 9, count: 32) + [0]),
        ] as [(String, [UInt8])]
    )
    func malformed(_ name: String, _ body: [UInt8]) throws {
        let extensions: [UInt8] = [1] + SyncSamples.helloExtension(tag: 6, body)
        #expect(throws: ProtocolError.self, "\(name)") {
            try SyncSamples.decodeAll(HelloExtensionTests.frame(extensions: extensions))
        }
    }

    @Test func aWellFormedExtensionAloneDecodes() throws {
        let body: [UInt8] = [1] + [UInt8](repeating: 7, count: 64) + [0]
        let decoded = try SyncSamples.decodeAll(
            HelloExtensionTests.frame(extensions: [1] + SyncSamples.helloExtension(tag: 6, body))
        )
        guard case .hello(let hello)? = decoded.first else {
            Issue.record("no hello")
            return
        }
        #expect(hello.acknowledgements.count == 1 && hello.acknowledgements[0].vector == VersionVector())
    }
}
