import Foundation
import NIOCore
import Replication
import Testing

/// Hellos as other releases put them on the wire, byte for byte: what release 0.1.0 sends (and
/// is refused with), and the 0.2.0 hello committed in Transcripts/ that every later release
/// must still read.
struct HelloTranscriptTests {
    /// A node id of fixed bytes: a0 a1 … bf.
    static let frontDesk = NodeID(digest: (0..<32).map { UInt8(0xA0 + $0) })

    /// The hello frame a release 0.1.0 node named "Front desk" sends holding five of its own
    /// changes, written from the 0.1.0 layout in docs/PROTOCOL.md (not by any encoder).
    static let helloOf010: [UInt8] =
        [0x00, 0x00, 0x00, 0x54]  // length 84
        + [0x01]  // type: hello
        + [0x4E, 0x58, 0x53, 0x59]  // "NXSY"
        + [0x00, 0x01]  // version 1
        + frontDesk.digest
        + [0x0A] + Array("Front desk".utf8)  // name: 10 bytes
        + [0x01] + frontDesk.digest + [0x05]  // vector: one entry, seq 5

    static func backOffice() -> SyncSession {
        SyncSession(
            localNodeID: SyncSamples.bob,
            localName: "Back office",
            localVector: VersionVector(),
            capabilities: Capabilities(release: "0.2.0", operations: [0, 1, 2, 3])
        )
    }

    @Test func helloOf010DecodesItsFrozenPrefix() throws {
        #expect(Self.helloOf010.count == 4 + 84)
        let decoded = try SyncSamples.decodeAll(Self.helloOf010)
        #expect(
            decoded == [.hello(Hello(version: 1, nodeID: Self.frontDesk, name: "Front desk", vector: VersionVector()))]
        )
    }

    @Test func a010PeerIsToldToUpgrade() throws {
        var session = Self.backOffice()
        _ = session.start()
        let hello = try #require(try SyncSamples.decodeAll(Self.helloOf010).first)
        let refused = try #require(SyncSessionTests.refusal(session.received(hello)))
        let peer = "node 'Front desk' (\(Self.frontDesk.short))"
        #expect(refused.code == "upgrade-required")
        #expect(
            refused.message
                == "\(peer) speaks sync protocol 1 (release 0.1.0); node 'Back office' (\(SyncSamples.bob.short)) "
                + "runs release 0.2.0 (protocol 2): upgrade node 'Front desk' to 0.2.0 or later"
        )
        #expect(refused.error.code == .unsupportedVersion)
        #expect(
            refused.error.message
                == "\(peer) speaks sync protocol 1 (release 0.1.0); this node runs release 0.2.0 (protocol 2): "
                + "upgrade node 'Front desk' to 0.2.0 or later"
        )
        #expect(session.summary.peerName == "Front desk")
        #expect(session.summary.peerRelease == "0.1.0")
        #expect(session.summary.peerCapabilities == nil)
        #expect(session.isClosed)
        // The refusal fits its frame; the 0.1.0 node reads it as any refusal.
        #expect(
            try SyncSamples.decodeAll(SyncSamples.encoded(.refusal(code: refused.code, message: refused.message))).count
                == 1
        )

        // The 0.1.0 node refuses our version 2 hello on its own, after its hello: too late to
        // change the outcome here.
        let its =
            Array("node 'Front desk' (\(Self.frontDesk.short)) speaks sync protocol version 1, ".utf8)
            + Array("not version 2: update the older node".utf8)
        let refusal = SyncSamples.frame(
            type: 8,
            SyncSamples.string("unsupported-version") + SyncSamples.varint(UInt64(its.count)) + its
        )
        let late = try #require(try SyncSamples.decodeAll(refusal).first)
        #expect(session.received(late).isEmpty)
    }

    /// What a 0.1.0 node reads of our hello: the frozen prefix it knows, with version 2.
    @Test func ourHelloKeepsThePrefixA010NodeReads() throws {
        var session = Self.backOffice()
        guard case .send(let hello)? = session.start().first else {
            Issue.record("no hello")
            return
        }
        let bytes = try SyncSamples.encoded(hello)
        let prefix: [UInt8] =
            [0x01, 0x4E, 0x58, 0x53, 0x59, 0x00, 0x02] + SyncSamples.bob.digest + [0x0B] + Array("Back office".utf8)
        #expect(Array(bytes.dropFirst(4).prefix(prefix.count)) == prefix)
    }

    // MARK: The committed 0.2.0 hello

    static let transcriptURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Transcripts").appendingPathComponent("hello-0.2.0.bin")

    static let otherNode = NodeID(digest: (0..<32).map { UInt8(0x10 + $0) })

    /// Writes Transcripts/hello-0.2.0.bin. Run once, by hand, with WRITE_TRANSCRIPTS=1; the file
    /// is committed and must never change: later releases test that they still read it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["WRITE_TRANSCRIPTS"] == "1"))
    func writeTheTranscript() throws {
        let hello = Hello(
            nodeID: Self.frontDesk,
            name: "Front desk",
            vector: VersionVector([Self.frontDesk: 42, Self.otherNode: 7]),
            capabilities: Capabilities(
                release: "0.2.0",
                kinds: [
                    Capabilities.Kind(code: 1, name: "customer", fields: ["name", "address", "tags"]),
                    Capabilities.Kind(code: 3, name: "journal", fields: ["text", "author"]),
                ],
                operations: [0, 1, 2, 3]
            )
        )
        try Data(SyncSamples.encoded(.hello(hello))).write(to: Self.transcriptURL)
    }

    @Test func theCommitted020HelloStillReads() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.transcriptURL))
        let length = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(length == bytes.count - 4)
        #expect(bytes.count > 5 && bytes[4] == 1)
        let messages = try SyncSamples.decodeAll(bytes)
        guard messages.count == 1, case .hello(let hello) = messages[0] else {
            Issue.record("not one hello: \(messages)")
            return
        }
        #expect(hello.version == 2)
        #expect(hello.nodeID.digest == (0xA0...0xBF).map { UInt8($0) })
        #expect(hello.name == "Front desk")
        #expect(hello.vector.entries.count == 2)
        #expect(hello.vector[Self.frontDesk] == 42)
        #expect(hello.vector[NodeID(digest: (0x10...0x2F).map { UInt8($0) })] == 7)
        let capabilities = hello.capabilities
        #expect(capabilities.release == "0.2.0")
        #expect(capabilities.kinds.count == 2)
        #expect(
            capabilities.kinds.first
                == Capabilities.Kind(code: 1, name: "customer", fields: ["name", "address", "tags"])
        )
        #expect(capabilities.kinds.last == Capabilities.Kind(code: 3, name: "journal", fields: ["text", "author"]))
        #expect(capabilities.operations == [0, 1, 2, 3])
        #expect(capabilities.features == [])

        // A session of this build takes it and streams.
        var session = Self.backOffice()
        _ = session.start()
        let actions = session.received(messages[0])
        #expect(actions.count == 1)
        #expect(session.summary.peerRelease == "0.2.0")
        #expect(session.summary.peerCapabilities == capabilities)
    }
}
