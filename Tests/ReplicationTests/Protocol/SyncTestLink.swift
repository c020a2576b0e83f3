import NIOCore
import Replication

/// Two sessions wired together in memory, each with its in-memory replica and blob store, their
/// messages travelling as frames through ``SyncFrameEncoder`` and ``SyncFrameDecoder``.
///
/// A seeded scheduler picks each step: deliver a random run of bytes one way, or let one side's
/// driver perform its oldest pending piece of work. So batches pipeline, acknowledgements
/// overtake fetches, frames arrive cut anywhere, and a failing seed replays.
struct SyncTestLink {
    /// One side: its session, what its driver holds, and what happened to it.
    struct Side {
        enum Work {
            case fetch(VersionVector, Int)
            case apply(ChangeBatch)
            case computeMissing
            case read(String, UInt64, Int)
            case store(BlobChunk)
        }

        var session: SyncSession
        var replica: SyncTestReplica
        var blobs: SyncTestBlobStore
        var work: [Work] = []
        var sent: [SyncMessage] = []
        var summary: SyncSession.Summary?
        var error: ProtocolError?
        var closed = false
        var decoder = SyncFrameDecoder()
        /// Bytes written and not yet delivered to the other side.
        var wire = ByteBuffer()
    }

    var sides: [Side]
    var random: SyncTestRandom
    /// Stops the run when it returns true (e.g. to cut the connection).
    var interrupt: (SyncTestLink) -> Bool = { _ in false }

    init(
        _ a: (name: String, replica: SyncTestReplica, blobs: SyncTestBlobStore),
        _ b: (name: String, replica: SyncTestReplica, blobs: SyncTestBlobStore),
        seed: UInt64,
        maxBatchChanges: Int = 5000,
        maxBatchesInFlight: Int = 4
    ) {
        func side(_ end: (name: String, replica: SyncTestReplica, blobs: SyncTestBlobStore)) -> Side {
            Side(
                session: SyncSession(
                    localNodeID: SyncFixtures.node(end.name.lowercased()),
                    localName: end.name,
                    localVector: end.replica.vector,
                    maxBatchChanges: maxBatchChanges,
                    maxBatchesInFlight: maxBatchesInFlight
                ),
                replica: end.replica,
                blobs: end.blobs
            )
        }
        sides = [side(a), side(b)]
        random = SyncTestRandom(seed: seed)
    }

    var bothEnded: Bool { sides.allSatisfy(\.session.isClosed) }

    /// Runs until both sessions ended (or `interrupt` says stop); returns false if it did not
    /// settle within `maxSteps`.
    mutating func run(maxSteps: Int = 200_000) -> Bool {
        for index in 0..<2 { perform(index, sides[index].session.start()) }
        for _ in 0..<maxSteps {
            if bothEnded || interrupt(self) { return true }
            var moves: [(Int, Bool)] = []  // (side, true = deliver its bytes, false = do its work)
            for index in 0..<2 {
                if sides[index].wire.readableBytes > 0 || (sides[index].closed && !sides[1 - index].session.isClosed) {
                    moves.append((index, true))
                }
                if !sides[index].work.isEmpty { moves.append((index, false)) }
            }
            guard let (index, delivers) = moves.randomElement(using: &random) else { return bothEnded }
            if delivers { deliver(from: index) } else { work(index) }
        }
        return false
    }

    /// Both sides see the connection break, whatever is in flight.
    mutating func cut() {
        for index in 0..<2 { perform(index, sides[index].session.connectionClosed()) }
    }

    private mutating func deliver(from index: Int) {
        let to = 1 - index
        guard sides[index].wire.readableBytes > 0 else {
            perform(to, sides[to].session.connectionClosed())
            return
        }
        let count = Int.random(in: 1...sides[index].wire.readableBytes, using: &random)
        guard var piece = sides[index].wire.readSlice(length: count) else { return }
        var decoder = sides[to].decoder
        var buffered = pendingInbound[to]
        buffered.writeBuffer(&piece)
        do {
            while let message = try decoder.decode(buffer: &buffered) {
                perform(to, sides[to].session.received(message))
            }
        } catch {
            perform(to, sides[to].session.decodingFailed(error))
        }
        buffered.discardReadBytes()
        pendingInbound[to] = buffered
        sides[to].decoder = decoder
    }

    /// Bytes each side received and has not decoded yet (a frame cut short).
    private var pendingInbound = [ByteBuffer(), ByteBuffer()]

    private mutating func work(_ index: Int) {
        let item = sides[index].work.removeFirst()
        var side = sides[index]
        let actions: [SyncSession.Action]
        switch item {
        case .fetch(let known, let maxChanges):
            actions = side.session.batchReady(side.replica.nextBatch(after: known, maxChanges: maxChanges))
        case .apply(let batch):
            do {
                try side.replica.apply(batch)
                actions = side.session.batchApplied(newVector: side.replica.vector)
            } catch {
                actions = side.session.applyFailed(error)
            }
        case .computeMissing:
            actions = side.session.missingBlobs(side.blobs.missing(among: side.replica.referencedDigests))
        case .read(let digest, let offset, let maxBytes):
            if let chunk = side.blobs.read(digest, offset: offset, maxBytes: maxBytes) {
                actions = side.session.blobChunkRead(chunk)
            } else {
                actions = side.session.blobUnavailable(digest: digest)
            }
        case .store(let chunk):
            do {
                try side.blobs.store(chunk)
                actions = side.session.blobChunkStored()
            } catch {
                actions = side.session.driverFailed(error)
            }
        }
        sides[index] = side
        perform(index, actions)
    }

    /// Does what a driver does with the actions: writes, queues work, records the outcome.
    mutating func perform(_ index: Int, _ actions: [SyncSession.Action]) {
        for action in actions {
            guard !sides[index].closed else { return }
            switch action {
            case .send(let message):
                sides[index].sent.append(message)
                do {
                    try SyncFrameEncoder().encode(data: message, out: &sides[index].wire)
                } catch {
                    sides[index].error = ProtocolError(.localFailure, "test driver could not encode: \(error)")
                    sides[index].closed = true
                }
            case .fetchBatch(let known, let maxChanges): sides[index].work.append(.fetch(known, maxChanges))
            case .apply(let batch): sides[index].work.append(.apply(batch))
            case .computeMissingBlobs: sides[index].work.append(.computeMissing)
            case .readBlobChunk(let digest, let offset, let maxBytes):
                sides[index].work.append(.read(digest, offset, maxBytes))
            case .storeBlobChunk(let chunk): sides[index].work.append(.store(chunk))
            case .finish(let summary): sides[index].summary = summary
            case .fail(let error): sides[index].error = error
            case .close:
                sides[index].closed = true
                sides[index].work.removeAll()
            }
        }
    }
}
