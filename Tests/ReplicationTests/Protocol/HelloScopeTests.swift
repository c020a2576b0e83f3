import Model
import NIOCore
import Replication
import Testing

/// The hello's scope (tag 7, a laptop's) and grant (tag 8, an office's to a laptop).
struct HelloScopeTests {
    static let customers = [
        EntityID(high: 0x01a2_5379_0000_7000, low: 0x8000_0000_0000_0001),
        EntityID(high: 0x01a2_5379_0000_7000, low: 0x8000_0000_0000_0002),
    ]

    static func hello(scope: [EntityID]?, grant: [EntityID]?) -> Hello {
        Hello(
            nodeID: SyncSamples.bob,
            name: "van-3",
            vector: VersionVector([SyncSamples.bob: 2]),
            capabilities: SyncSamples.capabilities,
            scope: scope,
            grant: grant
        )
    }

    @Test(
        "round trips",
        arguments: [
            (nil, nil), ([], nil), (nil, []), (customers, nil), (nil, customers), (customers, [customers[1]]),
        ] as [([EntityID]?, [EntityID]?)]
    )
    func roundTrips(scope: [EntityID]?, grant: [EntityID]?) throws {
        let hello = Self.hello(scope: scope, grant: grant)
        #expect(try SyncSamples.decodeAll(SyncSamples.encoded(.hello(hello))) == [.hello(hello)])
    }

    @Test func aLaptopsCompleteVectorRoundTrips() throws {
        var hello = Self.hello(scope: Self.customers, grant: nil)
        hello.complete = VersionVector([SyncSamples.alice: 7, SyncSamples.carol: 3])
        #expect(try SyncSamples.decodeAll(SyncSamples.encoded(.hello(hello))) == [.hello(hello)])
        // A vector with a byte too many is malformed.
        var body = ByteBuffer()
        body.writeBytes([1] + SyncSamples.alice.digest + [7, 0])
        let extensions: [UInt8] = [1] + SyncSamples.helloExtension(tag: 9, Array(body.readableBytesView))
        #expect(throws: ProtocolError.self) {
            try SyncSamples.decodeAll(HelloExtensionTests.frame(extensions: extensions))
        }
    }

    @Test func absentLeavesTheExtensionsOut() throws {
        let without = try SyncSamples.encoded(.hello(Self.hello(scope: nil, grant: nil)))
        let with = try SyncSamples.encoded(.hello(Self.hello(scope: Self.customers, grant: nil)))
        // Tag 7, a length of 33, a count of 2, two 16-byte ids.
        #expect(with.count - without.count == 1 + 1 + 1 + 32)
    }

    @Test func moreThanOneHelloCarriesIsRefusedBeforeSending() throws {
        let many = (0..<UInt64(Hello.maxScopeCustomers + 1)).map {
            EntityID(high: 0x01a2_5379_0000_7000, low: 0x8000_0000_0000_0000 | $0)
        }
        #expect(throws: ProtocolError.self) { try SyncSamples.encoded(.hello(Self.hello(scope: many, grant: nil))) }
        let most = Array(many.dropLast())
        let decoded = try SyncSamples.decodeAll(SyncSamples.encoded(.hello(Self.hello(scope: nil, grant: most))))
        guard case .hello(let back)? = decoded.first else {
            Issue.record("no hello")
            return
        }
        #expect(back.grant == most)
    }

    @Test(
        "a malformed scope or grant is refused",
        arguments: [
            ("trailing byte", 7, [1] + customers[0].bytes + [0]),
            ("missing byte", 8, [1] + Array(customers[0].bytes.dropLast())),
            ("an id twice", 7, [2] + customers[0].bytes + customers[0].bytes),
            ("count beyond the bytes", 8, [3] + customers[0].bytes),
        ] as [(String, UInt64, [UInt8])]
    )
    func malformed(_ name: String, _ tag: UInt64, _ body: [UInt8]) throws {
        let extensions: [UInt8] = [1] + SyncSamples.helloExtension(tag: tag, body)
        #expect(throws: ProtocolError.self, "\(name)") {
            try SyncSamples.decodeAll(HelloExtensionTests.frame(extensions: extensions))
        }
    }
}
