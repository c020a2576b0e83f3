import Foundation
import Logging
import Model
import NIOCore
import Replication

/// Runs one ``SyncSession`` over one connection: reads the peer's messages, feeds them to the
/// session, and performs the session's actions against the node's replica and blob store.
///
/// The protocol logic is all in the session (a pure state machine, tested without sockets);
/// this type only carries bytes and calls the replica. Each peer batch is applied in one
/// transaction, so a session cut at any point — a dropped connection, SIGTERM, SIGKILL —
/// leaves whole batches only, and the next session resumes from what was applied.
struct SyncDriver {
    let home: NodeHome
    let logger: Logger
    /// Called after each batch is applied or sent, for progress reports.
    var progress: (@Sendable (SyncSession.Summary) -> Void)?
    var maxBatchChanges = 5000

    /// What a session ended with.
    enum Outcome {
        case finished(SyncSession.Summary)
        case failed(ProtocolError, SyncSession.Summary)
    }

    /// Runs the session until it finishes, fails, or the connection closes.
    func run(_ connection: PeerConnection<SyncMessage, SyncMessage>) async throws -> Outcome {
        let replica = home.replica
        let blobs = PartialBlobs(home: home)
        // Scoped laptops (docs/PROTOCOL.md, "Laptops hold only their customers"): a node
        // scopes what it sends a laptop peer to the laptop's grant (only an office's grant is
        // what the laptop then records as held); a laptop says which customers it holds whole.
        let localRole = try replica.role()
        let peerRole = try replica.peers().first { $0.nodeID == connection.remoteNodeID }?.role
        let grant: Set<String>? = peerRole == .laptop ? try replica.scopeGrant(for: connection.remoteNodeID) : nil
        let laptopHolds: Set<String>? = localRole == .laptop ? try replica.heldScope() : nil
        var feed: ScopedFeed?
        var session = SyncSession(
            localNodeID: home.nodeID,
            localName: try replica.name(),
            localVector: try replica.versionVector(),
            capabilities: replica.schema.capabilities,
            maxBatchChanges: maxBatchChanges,
            expectedPeer: connection.remoteNodeID,
            role: localRole,
            expectedPeerRole: peerRole,
            acknowledgements: try replica.acknowledgementsToSend(),
            // At most what one hello carries: a customer left out is only sent again whole.
            scope: laptopHolds.map { $0.sorted().prefix(Hello.maxScopeCustomers).compactMap(EntityID.init) },
            grant: grant.map { $0.sorted().prefix(Hello.maxScopeCustomers).compactMap(EntityID.init) },
            complete: localRole == .laptop ? try replica.scopeComplete() : nil
        )
        /// Whether the peer is a laptop this office scopes (both hellos announce the feature).
        func scoped() -> Bool {
            grant != nil && session.peer?.capabilities.supports(feature: Capabilities.scopeFeature) == true
        }
        var outcome: Outcome?
        var transportError: (any Error)?
        // Documents hashed before their first chunk was served in this session.
        var verified: Set<String> = []
        // Whether each digest asked for belongs to the scoped laptop's customers: looked up once
        // a session, not for every chunk.
        var servable: [String: Bool] = [:]
        try await connection.channel.executeThenClose { inbound, outbound in
            var pending = session.start()
            var messages = inbound.makeAsyncIterator()
            var writable = true
            while true {
                while !pending.isEmpty {
                    let action = pending.removeFirst()
                    switch action {
                    case .send(let message):
                        guard writable else { continue }
                        do { try await outbound.write(message) } catch {
                            // The real reason is on the read side (a TLS alert, a refusal).
                            writable = false
                        }
                    case .fetchBatch(let known, let maxChanges):
                        do {
                            let batch: ChangeBatch?
                            if let grant, scoped() {
                                if feed == nil {
                                    feed = try ScopedFeed(
                                        replica: replica,
                                        grant: grant,
                                        laptopHolds: Set(session.peer?.scope?.map(\.description) ?? []),
                                        laptopComplete: session.peer?.complete ?? VersionVector(),
                                        known: known,
                                        office: localRole == .office
                                    )
                                }
                                batch = try feed!.next(replica, after: known, maxChanges: maxChanges)
                            } else {
                                batch = try replica.nextBatch(after: known, maxChanges: maxChanges)
                            }
                            pending += session.batchReady(batch)
                            if batch != nil { progress?(session.summary) }
                        } catch { pending += session.driverFailed(FileProblem.worded(error)) }
                    case .apply(let batch):
                        do {
                            // Only an office's elisions are taken (docs/PROTOCOL.md).
                            let result = try replica.apply(peerRole == .office ? batch : batch.withoutElisions)
                            pending += session.batchApplied(
                                newVector: try replica.versionVector(),
                                conflictsOpened: result.conflicts
                            )
                            progress?(session.summary)
                        } catch { pending += session.applyFailed(FileProblem.worded(error)) }
                    case .computeMissingBlobs:
                        do {
                            // The batches may have brought withdrawals: their bytes go first.
                            try home.eraseWithdrawnBytes()
                            pending += session.missingBlobs(try blobs.missing(in: replica))
                        } catch {
                            pending += session.driverFailed(FileProblem.worded(error))
                        }
                    case .readBlobChunk(let digest, let offset, let maxBytes):
                        let verify = verified.insert(digest).inserted
                        do {
                            // A laptop is sent the bytes of its customers' documents only,
                            // whatever digest it asks for.
                            if let grant, scoped() {
                                let allowed =
                                    try servable[digest] ?? replica.document(digest: digest, ownedByOneOf: grant)
                                servable[digest] = allowed
                                guard allowed else {
                                    pending += session.blobUnavailable(digest: digest)
                                    continue
                                }
                            }
                            // A withdrawn document's bytes are never handed on, erased or not.
                            if verify, try replica.isWithdrawn(digest: digest) {
                                try home.eraseWithdrawnBytes()
                                pending += session.blobUnavailable(digest: digest)
                                continue
                            }
                            switch try blobs.read(digest, offset: offset, maxBytes: maxBytes, verify: verify) {
                            case .chunk(let chunk):
                                pending += session.blobChunkRead(chunk)
                            case .unavailable:
                                pending += session.blobUnavailable(digest: digest)
                            case .damaged(let setAside):
                                logger.error(
                                    "the bytes of a document do not match their digest; set aside, not sent",
                                    metadata: ["digest": "\(digest)", "setAside": "\(setAside?.path ?? "-")"]
                                )
                                pending += session.blobUnavailable(digest: digest, damaged: true)
                            }
                        } catch { pending += session.blobUnavailable(digest: digest) }
                    case .storeBlobChunk(let chunk):
                        do {
                            switch try blobs.store(chunk) {
                            case .partial, .complete: pending += session.blobChunkStored()
                            case .rejected:
                                logger.warning(
                                    "the peer sent bytes that do not match the document's digest; discarded",
                                    metadata: ["digest": "\(chunk.digest)"]
                                )
                                pending += session.blobChunkRejected(digest: chunk.digest)
                            }
                        } catch { pending += session.driverFailed(FileProblem.worded(error)) }
                    case .finish(let summary):
                        outcome = .finished(summary)
                        // A laptop holds, whole, what an office granted it in this session.
                        if localRole == .laptop, peerRole == .office, let granted = session.peer?.grant {
                            do {
                                try replica.recordScope(
                                    granted: Set(granted.map(\.description)),
                                    officeHeld: session.peer?.vector ?? VersionVector()
                                )
                            } catch {
                                logger.warning("the laptop's scope not recorded", metadata: ["error": "\(error)"])
                            }
                        }
                        // Everything the peer held when it said hello is applied now: its word on
                        // what the fleet holds may let removals' bookkeeping go.
                        do {
                            let reclaimed = try replica.receiveAcknowledgements(session.peer?.acknowledgements ?? [])
                            if reclaimed > 0 {
                                logger.info("reclaimed removed set elements", metadata: ["rows": "\(reclaimed)"])
                            }
                        } catch {
                            logger.warning("acknowledgements not recorded", metadata: ["error": "\(error)"])
                        }
                    case .fail(let error):
                        outcome = .failed(error, session.summary)
                    case .close:
                        return
                    }
                }
                do {
                    if let message = try await messages.next() {
                        pending += session.received(message)
                    } else {
                        pending += session.connectionClosed()
                    }
                } catch let error as ProtocolError {
                    pending += session.decodingFailed(error)
                } catch {
                    // TLS or the connection itself: the session cannot tell the peer anything.
                    transportError = error
                    pending += session.connectionClosed()
                }
            }
        }
        if let transportError, case .failed = outcome ?? .failed(ProtocolError(.interrupted, ""), session.summary) {
            throw transportError
        }
        return outcome ?? .failed(ProtocolError(.interrupted, "the session ended early"), session.summary)
    }
}
