import NIOCore
import Replication
import Testing

/// One session driven by hand: the order it allows, what it refuses, and what it tells the peer.
struct SyncSessionTests {
    typealias Action = SyncSession.Action

    static func session(_ name: String = "Alice", vector: VersionVector = VersionVector(), window: Int = 4)
        -> SyncSession
    {
        SyncSession(
            localNodeID: SyncFixtures.node(name.lowercased()),
            localName: name,
            localVector: vector,
            maxBatchChanges: 10,
            maxBatchesInFlight: window
        )
    }

    static func hello(
        _ name: String = "Bob",
        version: UInt16 = Hello.currentVersion,
        vector: VersionVector = VersionVector()
    )
        -> SyncMessage
    {
        .hello(Hello(version: version, nodeID: SyncFixtures.node(name.lowercased()), name: name, vector: vector))
    }

    /// The refusal sent and the error failed with, if the actions end the session that way.
    static func refusal(_ actions: [Action]) -> (code: String, message: String, error: ProtocolError)? {
        guard actions.count == 3, case .send(.refusal(let code, let message)) = actions[0],
            case .fail(let error) = actions[1], actions[2] == .close
        else { return nil }
        return (code, message, error)
    }

    @Test func startSendsTheHelloOnce() {
        var session = Self.session(vector: VersionVector([SyncSamples.carol: 4]))
        let actions = session.start()
        let expected = Hello(
            nodeID: SyncFixtures.node("alice"),
            name: "Alice",
            vector: VersionVector([SyncSamples.carol: 4])
        )
        #expect(actions == [.send(.hello(expected))])
        #expect(session.start().isEmpty)
    }

    @Test func startSendsTheCapabilitiesAndTheSummaryHasThePeers() throws {
        var alice = SyncSession(
            localNodeID: SyncSamples.alice,
            localName: "Alice",
            localVector: VersionVector(),
            capabilities: SyncSamples.capabilities
        )
        guard case .send(.hello(let sent))? = alice.start().first else {
            Issue.record("no hello")
            return
        }
        #expect(sent.version == 2)
        #expect(sent.capabilities == SyncSamples.capabilities)
        #expect(alice.summary.peerRelease == nil && alice.summary.peerCapabilities == nil)

        var bob = Self.session("Bob")
        _ = bob.start()
        _ = bob.received(.hello(sent))
        #expect(bob.summary.peerRelease == "0.2.0-beta+Zürich")
        #expect(bob.summary.peerCapabilities == SyncSamples.capabilities)
        // A hello that announces no release leaves the release unknown.
        _ = alice.received(Self.hello("Bob"))
        #expect(alice.summary.peerRelease == nil)
        #expect(alice.summary.peerCapabilities == Capabilities())
    }

    static func releaseSession(_ release: String) -> SyncSession {
        SyncSession(
            localNodeID: SyncSamples.alice,
            localName: "Alice",
            localVector: VersionVector(),
            capabilities: Capabilities(release: release)
        )
    }

    @Test(arguments: [UInt16(0), 1])
    func olderPeerIsToldToUpgrade(version: UInt16) throws {
        var alice = Self.releaseSession("0.2.0")
        _ = alice.start()
        let refused = try #require(Self.refusal(alice.received(Self.hello(version: version))))
        let release = version == 1 ? " (release 0.1.0)" : ""
        let bob = "node 'Bob' (\(SyncFixtures.node("bob").short)) speaks sync protocol \(version)\(release)"
        #expect(refused.code == "upgrade-required")
        #expect(
            refused.message
                == "\(bob); node 'Alice' (\(SyncSamples.alice.short)) runs release 0.2.0 (protocol 2): "
                + "upgrade node 'Bob' to 0.2.0 or later"
        )
        #expect(refused.error.code == .unsupportedVersion)
        #expect(
            refused.error.message
                == "\(bob); this node runs release 0.2.0 (protocol 2): upgrade node 'Bob' to 0.2.0 or later"
        )
        #expect(alice.summary.peerRelease == (version == 1 ? "0.1.0" : nil))
        #expect(alice.received(.doneSending).isEmpty)
    }

    @Test func withoutAReleaseTheAdviceNamesTheProtocol() throws {
        var alice = Self.releaseSession("")
        _ = alice.start()
        let refused = try #require(Self.refusal(alice.received(Self.hello(version: 1))))
        #expect(refused.code == "upgrade-required")
        #expect(
            refused.error.message.hasSuffix(
                "this node runs protocol 2: upgrade node 'Bob' to a release that speaks protocol 2"
            )
        )
    }

    @Test func newerPeerIsRefusedAndThisNodeIsToUpgrade() throws {
        // A version 3 hello as it would arrive: the frozen prefix, then fields unknown here.
        let payload = SyncSamples.helloPayload(
            version: 3,
            node: SyncFixtures.node("bob"),
            name: Array("Bob".utf8),
            vector: [9, 9, 9]
        )
        let decoded = try SyncSamples.decodeAll(SyncSamples.frame(type: 1, payload))
        var alice = Self.releaseSession("0.2.0")
        _ = alice.start()
        let foreignHello = try #require(decoded.first)
        let refused = try #require(Self.refusal(alice.received(foreignHello)))
        let bob = "node 'Bob' (\(SyncFixtures.node("bob").short)) speaks sync protocol 3"
        #expect(refused.error.code == .unsupportedVersion)
        #expect(
            refused.error.message
                == "\(bob); this node runs release 0.2.0 (protocol 2): "
                + "upgrade this node ('Alice') to a release that speaks protocol 3"
        )
        #expect(refused.code == "unsupported-version")
        #expect(
            refused.message
                == "\(bob); node 'Alice' (\(SyncSamples.alice.short)) runs release 0.2.0 (protocol 2): "
                + "upgrade node 'Alice' to a release that speaks protocol 3"
        )
        #expect(alice.summary.peerRelease == nil && alice.summary.peerCapabilities == nil)
        #expect(alice.received(.doneSending).isEmpty)

        // The other side (Bob, refused) fails with the refusal's words, on the wire and back.
        var bobSession = Self.session("Bob")
        _ = bobSession.start()
        _ = bobSession.received(Self.hello("Alice"))
        let wire = try SyncSamples.decodeAll(
            SyncSamples.encoded(.refusal(code: refused.code, message: refused.message))
        )
        let refusal = try #require(wire.first)
        let actions = bobSession.received(refusal)
        guard case .fail(let error)? = actions.first else {
            Issue.record("Bob did not fail: \(actions)")
            return
        }
        #expect(actions.count == 2 && actions.last == .close)
        #expect(error.code == .refused)
        #expect(error.message.contains("unsupported-version") && error.message.contains("protocol 3"))
        #expect(error.message.contains("upgrade node 'Alice'"))
    }

    /// Brings a session to a point of the flow, returning it ready for the next message.
    enum Point: String, CaseIterable, Sendable {
        case beforeStart, awaitingHello, streaming, streamingPeerDone, blobs, blobsWantsSent, finished

        func session() -> SyncSession {
            var session = SyncSessionTests.session()
            guard self != .beforeStart else { return session }
            _ = session.start()
            guard self != .awaitingHello else { return session }
            _ = session.received(SyncSessionTests.hello())
            guard self != .streaming else { return session }
            _ = session.received(.doneSending)
            guard self != .streamingPeerDone else { return session }
            _ = session.batchReady(nil)
            guard self != .blobs else { return session }
            _ = session.missingBlobs([BlobRequest(digest: SyncSamples.digestA)])
            guard self != .blobsWantsSent else { return session }
            _ = session.received(.wantBlobs([]))
            _ = session.received(.blobMissing(digest: SyncSamples.digestA))
            _ = session.received(.goodbye)
            return session
        }
    }

    static let chunk = SyncMessage.blobChunk(
        BlobChunk(digest: SyncSamples.digestA, offset: 0, total: 3, bytes: [1, 2, 3])
    )
    static let otherChunk = SyncMessage.blobChunk(
        BlobChunk(digest: SyncSamples.digestB, offset: 0, total: 3, bytes: [1, 2, 3])
    )
    static let batch = SyncMessage.batch(SyncFixtures.batch(SyncSamples.bob, count: 2))

    static let outOfOrder: [(Point, SyncMessage)] = [
        (.beforeStart, hello()),
        (.beforeStart, .goodbye),
        (.awaitingHello, batch),
        (.awaitingHello, .applied(VersionVector())),
        (.awaitingHello, .doneSending),
        (.awaitingHello, .wantBlobs([])),
        (.awaitingHello, .goodbye),
        (.streaming, hello()),
        (.streaming, .applied(VersionVector())),
        (.streaming, .wantBlobs([])),
        (.streaming, chunk),
        (.streaming, .blobMissing(digest: SyncSamples.digestA)),
        (.streaming, .goodbye),
        (.streamingPeerDone, batch),
        (.streamingPeerDone, .doneSending),
        (.blobs, batch),
        (.blobs, .doneSending),
        (.blobs, chunk),
        (.blobs, .goodbye),
        (.blobsWantsSent, otherChunk),
        (.blobsWantsSent, .blobMissing(digest: SyncSamples.digestB)),
        (.blobsWantsSent, .goodbye),
        (.blobsWantsSent, hello()),
    ]

    @Test(arguments: outOfOrder)
    func outOfOrderMessagesAreRefused(point: Point, message: SyncMessage) throws {
        var session = point.session()
        let refused = try #require(Self.refusal(session.received(message)), "\(point) \(message.kindName)")
        #expect(refused.error.code == .unexpectedMessage)
        #expect(refused.code == "unexpected-message")
        #expect(refused.message.contains(message.kindName))
        #expect(session.isClosed)
        #expect(session.received(.goodbye).isEmpty)
        #expect(session.batchReady(nil).isEmpty)
    }

    @Test func aFinishedSessionIgnoresEverything() {
        var session = Point.finished.session()
        #expect(session.isClosed)
        #expect(session.received(.goodbye).isEmpty)
        #expect(session.connectionClosed().isEmpty)
        #expect(session.refuse(code: "x", message: "y").isEmpty)
    }

    @Test func theLastStepsFinishWithASummary() {
        var session = Point.blobsWantsSent.session()
        #expect(session.received(.wantBlobs([])).isEmpty)
        #expect(session.received(.blobMissing(digest: SyncSamples.digestA)) == [.send(.goodbye)])
        let actions = session.received(.goodbye)
        guard case .finish(let summary)? = actions.first else {
            Issue.record("no finish: \(actions)")
            return
        }
        #expect(actions.last == .close)
        #expect(summary.blobsMissing == [SyncSamples.digestA])
        #expect(summary.peerName == "Bob")
    }

    @Test func aDocumentWhoseBytesDoNotMatchIsRejectedAndTheOthersKeepComing() {
        var session = Point.blobs.session()
        _ = session.missingBlobs([BlobRequest(digest: SyncSamples.digestA), BlobRequest(digest: SyncSamples.digestB)])
        #expect(session.received(.wantBlobs([])).isEmpty)
        #expect(
            session.received(Self.chunk) == [
                .storeBlobChunk(BlobChunk(digest: SyncSamples.digestA, offset: 0, total: 3, bytes: [1, 2, 3]))
            ]
        )
        #expect(session.blobChunkRejected(digest: SyncSamples.digestA).isEmpty, "the next document is still wanted")
        #expect(session.received(Self.otherChunk).count == 1)
        #expect(session.blobChunkStored() == [.send(.goodbye)])
        let actions = session.received(.goodbye)
        guard case .finish(let summary)? = actions.first else {
            Issue.record("no finish: \(actions)")
            return
        }
        #expect(summary.blobsRejected == [SyncSamples.digestA])
        #expect(summary.blobsReceived == 1)
    }

    @Test func damagedBytesHereAreNeverServed() {
        var session = Point.blobsWantsSent.session()
        let reads = session.received(.wantBlobs([BlobRequest(digest: SyncSamples.digestB)]))
        #expect(reads == [.readBlobChunk(digest: SyncSamples.digestB, offset: 0, maxBytes: SyncLimits.maxChunkBytes)])
        #expect(
            session.blobUnavailable(digest: SyncSamples.digestB, damaged: true) == [
                .send(.blobMissing(digest: SyncSamples.digestB))
            ]
        )
        #expect(session.received(.blobMissing(digest: SyncSamples.digestA)) == [.send(.goodbye)])
        guard case .finish(let summary)? = session.received(.goodbye).first else {
            Issue.record("no finish")
            return
        }
        #expect(summary.blobsDamagedHere == [SyncSamples.digestB])
        #expect(summary.blobsSent == 0)
    }

    @Test func pipelinesAtMostTheWindow() {
        var session = Self.session(window: 3)
        _ = session.start()
        var fetches = session.received(Self.hello())
        var sent = 0
        var seq: UInt64 = 1
        // The driver answers every fetch at once; the peer acknowledges nothing.
        while case .fetchBatch(let after, let maxChanges)? = fetches.first {
            #expect(maxChanges == 10)
            #expect(after[SyncSamples.alice] == seq - 1)
            let batch = SyncFixtures.batch(SyncSamples.alice, from: seq, count: 10)
            seq += 10
            let actions = session.batchReady(batch)
            #expect(actions.first == .send(.batch(batch)))
            sent += 1
            fetches = Array(actions.dropFirst())
        }
        #expect(sent == 3)
        // One acknowledgement opens the window for one more fetch.
        let next = session.received(.applied(VersionVector([SyncSamples.alice: 10])))
        #expect(next == [.fetchBatch(after: VersionVector([SyncSamples.alice: 30]), maxChanges: 10)])
    }

    @Test func dropsChangesThePeerSentMeanwhile() {
        var session = Self.session()
        _ = session.start()
        _ = session.received(Self.hello())
        let peerBatch = SyncFixtures.batch(SyncSamples.bob, count: 4)
        #expect(session.received(.batch(peerBatch)) == [.apply(peerBatch)])
        // The fetch was asked before Bob's batch arrived, so the driver's batch holds it too.
        var stale = SyncFixtures.batch(SyncSamples.alice, count: 2)
        stale.changes += peerBatch.changes
        let actions = session.batchReady(stale)
        guard case .send(.batch(let sent))? = actions.first else {
            Issue.record("nothing sent: \(actions)")
            return
        }
        #expect(sent.changes.map(\.origin) == [SyncSamples.alice, SyncSamples.alice])
    }

    @Test func refusesAPeerThatFloodsUnacknowledgedBatches() throws {
        var session = Self.session()
        _ = session.start()
        _ = session.received(Self.hello())
        for index in 0..<SyncLimits.maxUnacknowledgedBatches {
            let batch = SyncFixtures.batch(SyncSamples.bob, from: UInt64(index * 2 + 1), count: 2)
            #expect(session.received(.batch(batch)) == [.apply(batch)])
        }
        let refused = try #require(Self.refusal(session.received(Self.batch)))
        #expect(refused.error.code == .unexpectedMessage)
        #expect(refused.message.contains("16"))
    }

    static let wrongPeers: [(String, String)] = [("alice", "same-node"), ("mallory", "wrong-node")]

    @Test(arguments: wrongPeers)
    func refusesAHelloFromTheWrongNode(name: String, code: String) throws {
        var session = SyncSession(
            localNodeID: SyncFixtures.node("alice"),
            localName: "Alice",
            localVector: VersionVector(),
            expectedPeer: SyncFixtures.node("bob")
        )
        _ = session.start()
        let refused = try #require(Self.refusal(session.received(Self.hello(name.capitalized))))
        #expect(refused.code == code)
        #expect(refused.error.code == .refused)
    }

    @Test func decodingFailureIsToldToThePeer() throws {
        var session = Self.session()
        _ = session.start()
        let error = #expect(throws: ProtocolError.self) { try SyncSamples.decodeAll([0xFF, 0xFF, 0xFF, 0xFF]) }
        let thrown = try #require(error)
        let refused = try #require(Self.refusal(session.decodingFailed(thrown)))
        #expect(refused.code == "frame-too-large")
        #expect(refused.error.code == .frameTooLarge)
    }

    @Test func driverRefusalAndFailureAreToldToThePeer() throws {
        var trusted = Self.session()
        _ = trusted.start()
        let refused = try #require(
            Self.refusal(trusted.refuse(code: "not-trusted", message: "Bob is not in the office's list"))
        )
        #expect(refused.code == "not-trusted")
        #expect(refused.message == "Bob is not in the office's list")
        #expect(refused.error.code == .refused)

        var failing = Self.session()
        _ = failing.start()
        _ = failing.received(Self.hello())
        struct DiskFull: Error {}
        let failed = try #require(Self.refusal(failing.driverFailed(DiskFull())))
        #expect(failed.code == "local-failure")
        #expect(failed.error.code == .localFailure)
    }

    @Test func driverReportsNobodyAskedForFailTheSession() throws {
        let misuses: [(inout SyncSession) -> [Action]] = [
            { (session: inout SyncSession) in session.batchReady(nil) },
            { (session: inout SyncSession) in session.batchApplied(newVector: VersionVector()) },
            { (session: inout SyncSession) in session.blobChunkStored() },
            { (session: inout SyncSession) in session.blobUnavailable(digest: SyncSamples.digestA) },
            { (session: inout SyncSession) in session.missingBlobs([]) },
        ]
        for misuse in misuses {
            var session = Self.session()
            _ = session.start()
            let refused = try #require(Self.refusal(misuse(&session)))
            #expect(refused.error.code == .localFailure)
        }
    }

    @Test func connectionLostMidwayIsInterrupted() {
        var session = Point.streaming.session()
        let actions = session.connectionClosed()
        guard case .fail(let error)? = actions.first else {
            Issue.record("no failure: \(actions)")
            return
        }
        #expect(error.code == .interrupted)
        #expect(error.message.contains("'Bob'"))
        #expect(actions == [.fail(error), .close])
    }

    @Test func longNamesAndMessagesAreClippedToTheLimits() throws {
        var session = SyncSession(
            localNodeID: SyncSamples.alice,
            localName: String(repeating: "ü", count: 200),
            localVector: VersionVector()
        )
        guard case .send(let hello)? = session.start().first else {
            Issue.record("no hello")
            return
        }
        #expect(try SyncSamples.decodeAll(SyncSamples.encoded(hello)) == [hello])
        let refused = try #require(
            Self.refusal(
                session.refuse(code: String(repeating: "c", count: 100), message: String(repeating: "€", count: 5000))
            )
        )
        let bytes = try SyncSamples.encoded(.refusal(code: refused.code, message: refused.message))
        #expect(try SyncSamples.decodeAll(bytes).count == 1)
        #expect(refused.code.utf8.count == SyncLimits.maxRefusalCodeBytes)
    }
}
