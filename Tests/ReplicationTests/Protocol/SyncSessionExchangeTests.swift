import Replication
import TestSupport
import Testing

/// Two sessions wired together in memory converge: both directions, with documents, under many
/// interleavings; and a session cut short resumes from what was acknowledged.
@Suite(.offThePool)
struct SyncSessionExchangeTests {
    /// Alice and Bob share some history, each wrote on their own, Alice relays Carol's writes;
    /// documents: each holds some, one is partial at Bob (a resumed download), one is held by
    /// nobody, one is larger than a chunk.
    static func world() -> (
        alice: SyncTestReplica, aliceBlobs: SyncTestBlobStore, bob: SyncTestReplica, bobBlobs: SyncTestBlobStore
    ) {
        let (alice, bob, carol) = (SyncSamples.alice, SyncSamples.bob, SyncSamples.carol)
        var shared = SyncTestReplica()
        for index in 0..<5 { shared.write(alice, field: "name", value: "Shared \(index)") }
        var a = shared
        var b = shared
        var aliceBlobs = SyncTestBlobStore()
        var bobBlobs = SyncTestBlobStore()
        for index in 0..<37 { a.write(alice, field: "phone", value: "+41 44 \(index) 00 00") }
        for index in 0..<12 { a.write(carol, field: "city", value: "Genève \(index)") }
        for index in 0..<23 {
            b.write(bob, field: "notes", value: "Rückruf \(index)", predecessors: [WriteID(origin: alice, seq: 5)])
        }
        let big = SyncFixtures.document(1, count: (5 << 19) + 17)  // 2.5 MiB and a bit
        a.fileDocument(alice, digest: aliceBlobs.put(big), title: "plans.pdf")
        a.fileDocument(alice, digest: aliceBlobs.put(SyncFixtures.document(2, count: 900)), title: "offer.pdf")
        let resumed = SyncFixtures.document(3, count: 3000)
        let resumedDigest = aliceBlobs.put(resumed)
        a.fileDocument(alice, digest: resumedDigest, title: "contract.pdf")
        bobBlobs.partial[resumedDigest] = Array(resumed.prefix(1000))
        a.fileDocument(alice, digest: SyncFixtures.digest(Array("lost scan".utf8)), title: "lost.pdf")
        b.fileDocument(bob, digest: bobBlobs.put(SyncFixtures.document(4, count: 10)), title: "note.txt")
        b.fileDocument(bob, digest: bobBlobs.put([]), title: "empty.txt")
        return (a, aliceBlobs, b, bobBlobs)
    }

    static let settings: [(seed: UInt64, maxBatchChanges: Int, maxBatchesInFlight: Int)] = [
        (1, 5000, 4), (2, 10, 4), (3, 1, 1), (4, 7, 16), (5, 3, 2), (6, 1, 4), (7, 25, 3), (8, 2, 100),
    ]

    @Test(arguments: settings)
    func convergesBothWaysWithDocuments(seed: UInt64, maxBatchChanges: Int, maxBatchesInFlight: Int) throws {
        let world = Self.world()
        var link = SyncTestLink(
            ("Alice", world.alice, world.aliceBlobs),
            ("Bob", world.bob, world.bobBlobs),
            seed: seed,
            maxBatchChanges: maxBatchChanges,
            maxBatchesInFlight: maxBatchesInFlight
        )
        let settled = link.run()
        #expect(settled)
        let (a, b) = (link.sides[0], link.sides[1])
        #expect(a.error == nil, "\(a.error?.message ?? "")")
        #expect(b.error == nil, "\(b.error?.message ?? "")")
        let aliceSummary = try #require(a.summary)
        let bobSummary = try #require(b.summary)

        // The replicas hold the same changes.
        #expect(a.replica.vector == b.replica.vector)
        #expect(Set(a.replica.log.map(\.id)) == Set(b.replica.log.map(\.id)))
        #expect(a.replica.log.count == 5 + 37 + 12 + 23 + 4 + 2)
        // Each sent exactly what the other lacked, nothing twice.
        #expect(aliceSummary.changesSent == 37 + 12 + 4)
        #expect(bobSummary.changesSent == 23 + 2)
        #expect(aliceSummary.changesReceived == bobSummary.changesSent)
        #expect(aliceSummary.batchesSent == (53 + maxBatchChanges - 1) / maxBatchChanges)
        #expect(aliceSummary.localVector == a.replica.vector)
        #expect(bobSummary.localVector == b.replica.vector)
        #expect(aliceSummary.peerVector == b.replica.vector)
        #expect(aliceSummary.peerName == "Bob")
        #expect(bobSummary.peerNodeID == SyncSamples.alice)

        // Every document is held by both, except the one nobody had.
        let lost = SyncFixtures.digest(Array("lost scan".utf8))
        for digest in a.replica.referencedDigests where digest != lost {
            #expect(a.blobs.complete[digest] != nil)
            #expect(a.blobs.complete[digest] == b.blobs.complete[digest])
        }
        #expect(a.blobs.partial.isEmpty && b.blobs.partial.isEmpty)
        #expect(aliceSummary.blobsMissing == [lost])
        #expect(bobSummary.blobsMissing == [lost])
        #expect(bobSummary.blobsReceived == 3)
        #expect(aliceSummary.blobsReceived == 2)
        // The resumed download fetched only the 2000 bytes Bob lacked.
        #expect(bobSummary.blobBytesReceived == UInt64((5 << 19) + 17 + 900 + 2000))
        #expect(aliceSummary.blobBytesSent == bobSummary.blobBytesReceived)
        // Both said goodbye last.
        #expect(a.sent.last == .goodbye && b.sent.last == .goodbye)
    }

    @Test func emptyReplicasSayHelloAndGoodbye() throws {
        var link = SyncTestLink(
            ("Alice", SyncTestReplica(), SyncTestBlobStore()),
            ("Bob", SyncTestReplica(), SyncTestBlobStore()),
            seed: 9
        )
        let settled = link.run()
        #expect(settled)
        for side in link.sides {
            #expect(side.error == nil)
            #expect(side.sent.map(\.kindName) == ["hello", "doneSending", "wantBlobs", "goodbye"])
            #expect(side.summary?.changesSent == 0)
        }
    }

    @Test(arguments: [(UInt64(21), 1), (22, 3), (23, 6), (24, 9)])
    func interruptedSessionResumesWithTheRest(seed: UInt64, appliedBeforeCut: Int) throws {
        var alice = SyncTestReplica()
        for index in 0..<100 { alice.write(SyncSamples.alice, field: "name", value: "Kunde \(index)") }
        var first = SyncTestLink(
            ("Alice", alice, SyncTestBlobStore()),
            ("Bob", SyncTestReplica(), SyncTestBlobStore()),
            seed: seed,
            maxBatchChanges: 10
        )
        first.interrupt = { $0.sides[1].replica.batchesApplied == appliedBeforeCut }
        let interrupted = first.run()
        #expect(interrupted)
        first.cut()
        #expect(first.sides[0].error?.code == .interrupted)
        #expect(first.sides[1].error?.code == .interrupted)
        #expect(first.sides[1].replica.vector[SyncSamples.alice] == UInt64(10 * appliedBeforeCut))

        // The next session starts from Bob's hello, which holds what he applied.
        var second = SyncTestLink(
            ("Alice", first.sides[0].replica, first.sides[0].blobs),
            ("Bob", first.sides[1].replica, first.sides[1].blobs),
            seed: seed + 1,
            maxBatchChanges: 10
        )
        let settled = second.run()
        #expect(settled)
        let summary = try #require(second.sides[0].summary)
        #expect(summary.changesSent == 100 - 10 * appliedBeforeCut)
        #expect(second.sides[1].replica.vector == alice.vector)
        guard case .hello(let hello)? = second.sides[1].sent.first else {
            Issue.record("Bob's first message is not a hello")
            return
        }
        #expect(hello.vector[SyncSamples.alice] == UInt64(10 * appliedBeforeCut))
    }

    @Test func applyFailureIsRefusedToThePeer() throws {
        var alice = SyncTestReplica()
        for index in 0..<30 { alice.write(SyncSamples.alice, field: "name", value: "Kunde \(index)") }
        var link = SyncTestLink(
            ("Alice", alice, SyncTestBlobStore()),
            ("Bob", SyncTestReplica(), SyncTestBlobStore()),
            seed: 31
        )
        // Bob's hello claims ten of Alice's changes his replica does not hold, so Alice's first
        // batch assumes what Bob lacks and his replica refuses it.
        link.sides[1].session = SyncSession(
            localNodeID: SyncSamples.bob,
            localName: "Bob",
            localVector: VersionVector([SyncSamples.alice: 10])  // a stale, wrong claim
        )
        let settled = link.run()
        #expect(settled)
        #expect(link.sides[1].error?.code == .localFailure)
        #expect(link.sides[1].sent.last?.kindName == "refusal")
        #expect(link.sides[0].error?.code == .refused)
        #expect(link.sides[0].error?.message.contains("apply-failed") == true)
        #expect(link.sides[0].error?.message.contains("missing prerequisites") == true)
    }

    @Test func aDocumentThatDoesNotMatchItsDigestFailsTheSession() throws {
        var alice = SyncTestReplica()
        var aliceBlobs = SyncTestBlobStore()
        let digest = aliceBlobs.put(SyncFixtures.document(8, count: 5000))
        aliceBlobs.complete[digest]?[4321] ^= 0x01  // bit rot in Alice's copy
        alice.fileDocument(SyncSamples.alice, digest: digest, title: "rotten.pdf")
        var link = SyncTestLink(("Alice", alice, aliceBlobs), ("Bob", SyncTestReplica(), SyncTestBlobStore()), seed: 41)
        let settled = link.run()
        #expect(settled)
        #expect(link.sides[1].error?.code == .localFailure)
        #expect(link.sides[1].error?.message.contains("does not match its digest") == true)
        #expect(link.sides[1].blobs.complete[digest] == nil)
        #expect(link.sides[0].error?.code == .refused)
        // The changes were applied before the blob phase: they stay.
        #expect(link.sides[1].replica.vector == alice.vector)
    }
}
