import NIOCore
import Replication
import Testing

/// The role in the hello (extension tag 5): what it carries, and the refusal of a peer that
/// is not what it is trusted as.
struct HelloRoleTests {
    static func hello(role: NodeRole?) -> Hello {
        Hello(nodeID: SyncSamples.bob, name: "Van 3", vector: VersionVector(), role: role)
    }

    @Test(arguments: [NodeRole.office, .laptop])
    func roundTrips(role: NodeRole) throws {
        let decoded = try SyncSamples.decodeAll(SyncSamples.encoded(.hello(Self.hello(role: role))))
        #expect(decoded == [.hello(Self.hello(role: role))])
    }

    @Test func isTagFiveAfterTheCapabilities() throws {
        let bytes = try SyncSamples.encoded(.hello(Self.hello(role: .laptop)))
        let tail = Array(bytes.suffix(2 + 7))
        #expect(tail == [5, 7] + SyncSamples.string("laptop"))
        let without = try SyncSamples.encoded(.hello(Self.hello(role: nil)))
        #expect(bytes.count == without.count + 9)
    }

    @Test func anUnknownRoleIsKeptAsTextAndATrailingByteIsRefused() throws {
        let known = SyncSamples.helloExtension(tag: 5, SyncSamples.string("janitor"))
        let frame = HelloExtensionTests.frame(extensions: [1] + known)
        guard case .hello(let hello)? = try SyncSamples.decodeAll(frame).first else {
            Issue.record("no hello")
            return
        }
        #expect(hello.role == nil && hello.unknownRole == "janitor")
        let trailing = SyncSamples.helloExtension(tag: 5, SyncSamples.string("office") + [0])
        #expect(throws: ProtocolError.self) {
            try SyncSamples.decodeAll(HelloExtensionTests.frame(extensions: [1] + trailing))
        }
    }

    static func session(expecting role: NodeRole) -> SyncSession {
        SyncSession(
            localNodeID: SyncSamples.alice,
            localName: "HQ",
            localVector: VersionVector(),
            role: .office,
            expectedPeerRole: role
        )
    }

    @Test func aPeerThatIsNotWhatItIsTrustedAsIsRefused() throws {
        var hq = Self.session(expecting: .office)
        _ = hq.start()
        let refused = try #require(SyncSessionTests.refusal(hq.received(.hello(Self.hello(role: .laptop)))))
        #expect(refused.code == "role-mismatch")
        #expect(refused.message.contains("trusts node 'Van 3' as an office, but it says it is a laptop"))
        #expect(refused.error.message.contains("--role laptop"), "\(refused.error.message)")
        #expect(hq.isClosed)
    }

    @Test func aHelloWithoutARoleIsAnOffice() throws {
        var asOffice = Self.session(expecting: .office)
        _ = asOffice.start()
        #expect(SyncSessionTests.refusal(asOffice.received(.hello(Self.hello(role: nil)))) == nil)
        var asLaptop = Self.session(expecting: .laptop)
        _ = asLaptop.start()
        let refused = try #require(SyncSessionTests.refusal(asLaptop.received(.hello(Self.hello(role: nil)))))
        #expect(refused.code == "role-mismatch")
    }

    @Test func theHelloSentCarriesTheRole() {
        var hq = Self.session(expecting: .laptop)
        guard case .send(.hello(let hello))? = hq.start().first else {
            Issue.record("no hello sent")
            return
        }
        #expect(hello.role == .office)
    }
}
