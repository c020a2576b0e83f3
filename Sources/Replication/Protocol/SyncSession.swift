import Model

/// The sync protocol between two replicas, as a value-type state machine: events in, actions
/// out, no I/O.
///
/// Both ends run the same machine. Each sends a ``Hello`` with what it holds; then each streams
/// the batches the other lacks (at most `maxBatchesInFlight` unacknowledged) while applying the
/// other's batches and acknowledging each with an `applied` checkpoint; each says
/// `doneSending` when it has nothing more. When both streams are done and acknowledged, each
/// asks for the document bytes it lacks (`wantBlobs`) and serves the other's wants in order,
/// chunk by chunk. A side that got all it asked for and served all it was asked says
/// `goodbye`; the session finishes when both did. docs/PROTOCOL.md has the sequence diagram.
///
/// Guarantees: a message the session does not allow at that point fails it with
/// ``ProtocolError/Code/unexpectedMessage`` after telling the peer with a refusal; a peer of
/// another protocol version is refused naming both nodes, both versions and the node to
/// upgrade (code `upgrade-required` for an older peer, `unsupported-version` for a newer one)
/// and fails it with ``ProtocolError/Code/unsupportedVersion``; once a call returned
/// ``Action/close`` every later call returns no actions. The driver's contract for each action
/// is on ``Action``.
///
/// ```swift
/// var session = SyncSession(
///     localNodeID: me, localName: "Front desk", localVector: try replica.versionVector(),
///     capabilities: Capabilities(release: "0.2.0", kinds: schemaKinds, operations: [0, 1, 2, 3])
/// )
/// perform(session.start())                       // sends the hello
/// // for each decoded message:       perform(session.received(message))
/// // for .fetchBatch(after:maxChanges:): perform(session.batchReady(try replica.nextBatch(after: known, maxChanges: max)))
/// // for .apply(batch):                  perform(session.batchApplied(newVector: try replica.versionVector()))
/// ```
public struct SyncSession: Sendable {
    enum Phase: Sendable, Hashable {
        case idle, awaitingHello, streaming, blobs, finished, failed
    }

    let localNodeID: NodeID
    let localName: String
    /// What this node's release understands: sent in its hello.
    let capabilities: Capabilities
    let expectedPeer: NodeID?
    /// This node's role, announced in its hello.
    let role: NodeRole?
    /// The role this node trusts the peer as; a hello announcing another is refused.
    let expectedPeerRole: NodeRole?
    /// What this node says the fleet holds, sent in its hello (its own first).
    let acknowledgements: [Acknowledgement]
    /// A laptop's scope and an office's grant to a laptop, sent in its hello (``Hello/scope``,
    /// ``Hello/grant``).
    let scope: [EntityID]?
    let grant: [EntityID]?
    let complete: VersionVector?
    let maxBatchChanges: Int
    let window: Int
    var phase = Phase.idle
    /// The peer's hello, once it arrived.
    public internal(set) var peer: Hello?
    /// What the session did so far.
    public internal(set) var summary = Summary()

    // Our stream: a fetch outstanding, batches sent and not acknowledged, nothing more to send.
    // What the peer holds is `summary.peerVector`.
    var fetching = false
    var unacknowledged = 0
    var exhausted = false
    // The peer's stream: batches handed to the driver and not yet applied.
    var pendingApplies = 0
    var peerDoneSending = false
    // Blobs: ours asked for (answered in order), the peer's being served (in order).
    var sentWants = false
    var wanted: ArraySlice<BlobRequest> = []
    var wantedTotal: UInt64?
    var pendingStores = 0
    var receivedPeerWants = false
    var serving: ArraySlice<BlobRequest> = []
    var reading: BlobRequest?
    var sentGoodbye = false
    var peerSaidGoodbye = false

    /// Makes a session for one connection.
    ///
    /// - Parameters:
    ///   - localVector: what the local replica holds now (sent in the hello).
    ///   - localName: a name for people; cut to ``SyncLimits/maxNameBytes`` bytes.
    ///   - capabilities: what this node's release understands, sent in its hello; its
    ///     `release` also names this node's release in a refusal of a peer of another version.
    ///     It must keep within the limits on ``Capabilities`` (the encoder refuses a hello that
    ///     does not). The default announces nothing: no release, kinds, operations or features.
    ///   - maxBatchChanges: the most changes in one outgoing batch.
    ///   - maxBatchesInFlight: the most outgoing batches unacknowledged, from 1 to
    ///     ``SyncLimits/maxUnacknowledgedBatches``.
    ///   - expectedPeer: the node the connection is known to reach (from its TLS certificate);
    ///     a hello naming another node is refused.
    ///   - role: this node's role, announced in its hello (none announced when `nil`).
    ///   - expectedPeerRole: the role this node trusts the peer as: a hello announcing another
    ///     (or none, which reads as ``NodeRole/unannounced``) is refused with code
    ///     `role-mismatch`.
    public init(
        localNodeID: NodeID,
        localName: String,
        localVector: VersionVector,
        capabilities: Capabilities = Capabilities(),
        maxBatchChanges: Int = 5000,
        maxBatchesInFlight: Int = 4,
        expectedPeer: NodeID? = nil,
        role: NodeRole? = nil,
        expectedPeerRole: NodeRole? = nil,
        acknowledgements: [Acknowledgement] = [],
        scope: [EntityID]? = nil,
        grant: [EntityID]? = nil,
        complete: VersionVector? = nil
    ) {
        self.scope = scope
        self.grant = grant
        self.complete = complete
        self.acknowledgements = acknowledgements
        self.role = role
        self.expectedPeerRole = expectedPeerRole
        self.localNodeID = localNodeID
        self.localName = Self.clip(localName, to: SyncLimits.maxNameBytes)
        self.capabilities = capabilities
        self.expectedPeer = expectedPeer
        self.maxBatchChanges = max(maxBatchChanges, 1)
        self.window = min(max(maxBatchesInFlight, 1), SyncLimits.maxUnacknowledgedBatches)
        self.summary.localVector = localVector
    }

    /// Whether the session returned ``Action/close``: it finished or failed.
    public var isClosed: Bool { phase == .finished || phase == .failed }

    /// The connection is up: sends this node's hello. Call once, before anything else.
    public mutating func start() -> [Action] {
        guard phase == .idle else { return [] }
        phase = .awaitingHello
        let hello = Hello(
            nodeID: localNodeID,
            name: localName,
            vector: summary.localVector,
            capabilities: capabilities,
            role: role,
            acknowledgements: acknowledgements,
            scope: scope,
            grant: grant,
            complete: complete
        )
        return [.send(.hello(hello))]
    }

    /// A message arrived from the peer.
    public mutating func received(_ message: SyncMessage) -> [Action] {
        switch phase {
        case .finished, .failed: return []
        case .idle: return unexpected("a \(message.kind.name) arrived before the session started")
        case .awaitingHello, .streaming, .blobs: break
        }
        switch message {
        case .hello(let hello): return receivedHello(hello)
        case .batch(let batch): return receivedBatch(batch)
        case .applied(let vector): return receivedApplied(vector)
        case .doneSending: return receivedDoneSending()
        case .wantBlobs(let requests): return receivedWantBlobs(requests)
        case .blobChunk(let chunk): return receivedBlobChunk(chunk)
        case .blobMissing(let digest): return receivedBlobMissing(digest)
        case .goodbye: return receivedGoodbye()
        case .refusal(let code, let text):
            phase = .failed
            return [.fail(ProtocolError(.refused, "\(peerLabel) refused the session (\(code)): \(text)")), .close]
        }
    }

    /// The frame decoder threw: tells the peer why (with a refusal) and fails.
    public mutating func decodingFailed(_ error: any Error) -> [Action] {
        guard !isClosed else { return [] }
        let problem = error as? ProtocolError ?? ProtocolError(.malformed, "unreadable bytes: \(error)")
        return abort(ProtocolError(problem.code, "\(peerLabel) sent bytes this node cannot read: \(problem.message)"))
    }

    /// This node refuses the peer for a reason of its own (e.g. code `not-trusted`): sends the
    /// refusal and fails with ``ProtocolError/Code/refused``.
    public mutating func refuse(code: String, message: String) -> [Action] {
        guard !isClosed else { return [] }
        let error = ProtocolError(.refused, "this node refused \(peerLabel) (\(code)): \(message)")
        return abort(error, refusalCode: code, refusalMessage: message)
    }

    /// A step the driver performs failed (fetching a batch, reading or storing a blob, a
    /// document whose digest did not match): tells the peer and fails with
    /// ``ProtocolError/Code/localFailure``.
    public mutating func driverFailed(_ error: any Error) -> [Action] {
        guard !isClosed else { return [] }
        return abort(ProtocolError(.localFailure, "\(nodeLabel) failed while syncing with \(peerLabel): \(error)"))
    }

    /// The connection closed or broke. Fails with ``ProtocolError/Code/interrupted`` unless the
    /// session had already ended. What was applied and acknowledged stays: the next session
    /// starts from there.
    public mutating func connectionClosed() -> [Action] {
        guard !isClosed else { return [] }
        phase = .failed
        return [
            .fail(ProtocolError(.interrupted, "the connection to \(peerLabel) closed before both said goodbye")),
            .close,
        ]
    }

    // MARK: Shared helpers

    /// "node 'Front desk' (MFZWI3D)", or "the peer" before its hello.
    var peerLabel: String {
        guard let peer else { return "the peer" }
        return "node '\(peer.name)' (\(peer.nodeID.short))"
    }

    var nodeLabel: String { "node '\(localName)' (\(localNodeID.short))" }

    /// Fails the session with `.unexpectedMessage`, telling the peer.
    mutating func unexpected(_ what: String) -> [Action] {
        abort(ProtocolError(.unexpectedMessage, "unexpected message from \(peerLabel): \(what)"))
    }

    /// Fails the session because the driver broke its contract (a report nobody asked for).
    mutating func misuse(_ what: String) -> [Action] {
        guard !isClosed else { return [] }
        return abort(ProtocolError(.localFailure, "\(nodeLabel) sync driver error: \(what)"))
    }

    /// Sends a refusal (by default the error's code and message), then fails and closes.
    mutating func abort(_ error: ProtocolError, refusalCode: String? = nil, refusalMessage: String? = nil) -> [Action] {
        phase = .failed
        let code = Self.clip(refusalCode ?? error.code.description, to: SyncLimits.maxRefusalCodeBytes)
        let text = Self.clip(refusalMessage ?? error.message, to: SyncLimits.maxRefusalMessageBytes)
        return [.send(.refusal(code: code, message: text)), .fail(error), .close]
    }

    /// `text` cut to at most `bytes` UTF-8 bytes, on a character boundary.
    static func clip(_ text: String, to bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            used += text[index].utf8.count
            guard used <= bytes else { break }
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
