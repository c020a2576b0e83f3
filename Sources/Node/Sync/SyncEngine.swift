import Foundation
import Logging
import NIOCore
import Replication

/// Syncs this node with its peers over mutually authenticated TLS: dials out
/// (``sync(with:progress:)``) and serves peers that dial in (``serve(_:)``).
///
/// Guarantees: only trusted peers take part (the TLS layer pins their node ids, both ways);
/// there is at most one session per peer at a time; every outcome is recorded on the peer
/// (`last_sync` or `last_error`).
public struct SyncEngine: Sendable {
    public let home: NodeHome
    let registry = SessionRegistry()
    let logger: Logger
    public var timeouts: NetworkTimeouts
    public var maxBatchChanges: Int

    public init(
        home: NodeHome,
        timeouts: NetworkTimeouts = NetworkTimeouts(idle: .seconds(60)),
        maxBatchChanges: Int = 20_000,
        logger: Logger
    ) {
        self.home = home
        self.timeouts = timeouts
        self.maxBatchChanges = maxBatchChanges
        self.logger = logger
    }

    /// The peers this node trusts now, less those revoked (read per connection, so a peer
    /// trusted or revoked a moment ago is accepted or refused without a restart).
    public func verifier() -> PeerVerifier {
        let trusted = (try? home.replica.peers().map(\.nodeID)) ?? []
        let revoked = (try? home.replica.revocations().map(\.node)) ?? []
        return PeerVerifier(trusting: trusted, revoked: revoked)
    }

    /// The pipeline after TLS: sync frames in and out. With a counter, also counts the bytes
    /// on the socket.
    static func framing(counter: ByteCounter?, payload: ByteCounter? = nil) -> @Sendable (any Channel) throws -> Void {
        { channel in
            if let counter { try channel.pipeline.syncOperations.addHandler(counter, position: .first) }
            if let payload { try channel.pipeline.syncOperations.addHandler(payload) }
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(SyncFrameDecoder()),
                MessageToByteHandler(SyncFrameEncoder())
            )
        }
    }

    /// One full exchange with `peer`, both directions, documents included. A peer busy with
    /// another session of this node is tried again a few times.
    public func sync(
        with peer: Peer,
        progress: (@Sendable (SyncSession.Summary) -> Void)? = nil
    ) async -> PeerSyncResult {
        let started = ContinuousClock.now
        var result = PeerSyncResult(nodeID: peer.nodeID, name: peer.name)
        var claimed = false
        for attempt in 0..<Self.busyRetries {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(Int.random(in: 300...1200))) }
            guard await registry.claim(peer.nodeID) else { continue }
            claimed = true
            result = await exchange(with: peer, progress: progress)
            await registry.release(peer.nodeID)
            guard result.isBusy, !Task.isCancelled else { break }
        }
        result.seconds = (ContinuousClock.now - started).seconds
        guard claimed else {
            // A session with this peer kept running here all along: it syncs both ways.
            result.ok = true
            return result
        }
        record(result)
        return result
    }

    static let busyRetries = 8

    private func exchange(
        with peer: Peer,
        progress: (@Sendable (SyncSession.Summary) -> Void)?
    ) async -> PeerSyncResult {
        var result = PeerSyncResult(nodeID: peer.nodeID, name: peer.name)
        if let revoked = (try? home.replica.revocations())?.first(where: { $0.node == peer.nodeID }) {
            result.error =
                "peer \(peer.name ?? peer.nodeID.short) was revoked for the fleet at \(revoked.revokedAt) (\(revoked.reason)); this node no longer syncs with it"
            return result
        }
        guard let text = peer.address, let address = PeerAddress(text) else {
            result.error =
                "peer \(peer.name ?? peer.nodeID.short) has no address (nodectl peer add \(peer.nodeID) --address HOST:PORT)"
            return result
        }
        let counter = ByteCounter()
        let payload = ByteCounter()
        do {
            let connection = try await PeerDialer.connect(
                host: address.host,
                port: address.port,
                expected: peer.nodeID,
                identity: home.identity,
                verifier: verifier(),
                framing: Self.framing(counter: counter, payload: payload),
                inbound: SyncMessage.self,
                outbound: SyncMessage.self,
                timeouts: timeouts,
                logger: logger
            )
            let driver = SyncDriver(home: home, logger: logger, progress: progress, maxBatchChanges: maxBatchChanges)
            switch try await driver.run(connection) {
            case .finished(let summary):
                result.take(summary)
                result.ok = true
            case .failed(let error, let summary):
                result.take(summary)
                result.error = error.message
            }
        } catch {
            result.error = Self.describe(error)
        }
        result.bytesSent = counter.written
        result.bytesReceived = counter.read
        result.payloadBytesSent = payload.written
        result.payloadBytesReceived = payload.read
        return result
    }

    /// Serves a peer that dialled in: one session, then records the outcome.
    public func serve(_ connection: PeerConnection<SyncMessage, SyncMessage>) async {
        let peer = connection.remoteNodeID
        guard await registry.claim(peer) else {
            try? await connection.channel.executeThenClose { _, outbound in
                try await outbound.write(.refusal(code: "busy", message: "a session with this node is already running"))
            }
            return
        }
        var result = PeerSyncResult(nodeID: peer, name: nil)
        do {
            let driver = SyncDriver(home: home, logger: logger, progress: nil, maxBatchChanges: maxBatchChanges)
            switch try await driver.run(connection) {
            case .finished(let summary):
                result.take(summary)
                result.ok = true
            case .failed(let error, let summary):
                result.take(summary)
                result.error = error.message
            }
        } catch {
            result.error = Self.describe(error)
        }
        await registry.release(peer)
        record(result)
    }

    /// Writes the outcome on the peer's row and in the log.
    private func record(_ result: PeerSyncResult) {
        let who = result.name ?? result.nodeID.short
        if let vector = result.peerVector, !vector.entries.isEmpty {
            try? home.replica.recordKnowledge(of: result.nodeID, vector: vector)
        }
        if let claimed = result.peerClaimed,
            let finding = try? home.replica.compareHistories(with: result.nodeID, claimed: claimed)
        {
            switch finding {
            case .thisNodeRolledBack(let held, let claimedSeq):
                logger.warning(
                    "\(who) holds changes of this node's origin up to \(claimedSeq), beyond the \(held) this node holds: this folder was rolled back (a VM snapshot, a copy put back in place); the next command begins a new incarnation",
                    metadata: ["peer": "\(result.nodeID)"]
                )
            case .peerRolledBack(let origin, let held, let claimedSeq):
                logger.warning(
                    "\(who) claims only \(claimedSeq) of its own changes where this node holds \(held): it was rolled back or put back from an old copy",
                    metadata: ["peer": "\(result.nodeID)", "origin": "\(origin)"]
                )
            }
        }
        if let release = result.peerRelease, !release.isEmpty {
            try? home.replica.recordVersion(of: result.nodeID, release: release, readsPersons: result.peerReadsPersons)
        }
        if result.ok {
            logger.info(
                "synced with \(who): sent \(result.sent), received \(result.received), \(result.conflicts) new conflicts"
            )
            try? home.replica.recordSync(with: result.nodeID)
        } else if let error = result.error {
            logger.info("sync with \(who) failed: \(error)")
            try? home.replica.recordError(with: result.nodeID, message: error)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NetworkError: error.message
        case let error as ProtocolError: error.message
        case let error as ReplicationError: error.message
        case let error as NodeError: error.message
        case let error where FileProblem.isDiskFull(error): FileProblem.diskFullWords
        default: String(describing: error)
        }
    }
}
