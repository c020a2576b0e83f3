// The hello and the two batch streams: ours to the peer, the peer's to us.
extension SyncSession {
    /// The peer's batch was applied: sends the `applied` checkpoint with the replica's vector
    /// now. `conflictsOpened` (from the replica's apply outcome) goes to the summary.
    public mutating func batchApplied(newVector: VersionVector, conflictsOpened: Int = 0) -> [Action] {
        guard !isClosed else { return [] }
        guard pendingApplies > 0 else { return misuse("batchApplied without a batch to apply") }
        pendingApplies -= 1
        summary.localVector = newVector
        summary.conflictsOpened += conflictsOpened
        return [.send(.applied(newVector))] + startBlobsIfStreamsDone()
    }

    /// The replica refused the peer's batch (e.g. a clock too far ahead, missing
    /// prerequisites): refuses the peer with code `apply-failed` and fails with
    /// ``ProtocolError/Code/localFailure``. Nothing of that batch was applied.
    public mutating func applyFailed(_ error: any Error) -> [Action] {
        guard !isClosed else { return [] }
        guard pendingApplies > 0 else { return misuse("applyFailed without a batch to apply") }
        let failure = ProtocolError(.localFailure, "\(nodeLabel) could not apply a batch from \(peerLabel): \(error)")
        return abort(failure, refusalCode: "apply-failed")
    }

    /// The driver fetched the next outgoing batch; `nil` (or a batch without changes) means the
    /// peer lacks nothing more. Sends it, then asks for the next one while the window allows.
    ///
    /// Changes the peer came to hold since the fetch was asked (it sent them meanwhile) are
    /// dropped from the batch; the rest still applies on the peer, which holds the base.
    public mutating func batchReady(_ batch: ChangeBatch?) -> [Action] {
        guard !isClosed else { return [] }
        guard phase == .streaming, fetching else { return misuse("batchReady without a fetch outstanding") }
        fetching = false
        guard var batch, !batch.changes.isEmpty else {
            exhausted = true
            return [.send(.doneSending)] + startBlobsIfStreamsDone()
        }
        // Changes numbered at or below the base were chosen below what the peer holds on
        // purpose: a folder's history a laptop was newly given (``Elision``).
        let held = summary.peerVector
        let base = batch.base
        batch.changes.removeAll { held.contains($0.id) && !base.contains($0.id) }
        guard !batch.changes.isEmpty else { return fetchIfWindowAllows() }
        // Who wrote each change travels only to a peer that reads it (release 0.3.0 on); an
        // earlier release gets the batch in the form it reads, without persons.
        if !sendsPersons { batch = batch.withoutPersons }
        unacknowledged += 1
        summary.batchesSent += 1
        summary.changesSent += batch.changes.count
        summary.peerVector = Self.vector(summary.peerVector, advancedBy: batch)
        return [.send(.batch(batch))] + fetchIfWindowAllows()
    }

    /// Whether both hellos announce ``Capabilities/personsFeature``: batches keep their persons.
    var sendsPersons: Bool {
        capabilities.supports(feature: Capabilities.personsFeature)
            && peer?.capabilities.supports(feature: Capabilities.personsFeature) == true
    }

    mutating func receivedHello(_ hello: Hello) -> [Action] {
        guard phase == .awaitingHello else { return unexpected("a second hello") }
        peer = hello
        summary.peerNodeID = hello.nodeID
        summary.peerName = hello.name
        guard hello.version == Hello.currentVersion else {
            // Protocol 1 was spoken by release 0.1.0 only; other versions say nothing readable.
            summary.peerRelease = hello.version == 1 ? "0.1.0" : nil
            return refuseVersion(of: hello)
        }
        summary.peerRelease = hello.capabilities.release.isEmpty ? nil : hello.capabilities.release
        summary.peerCapabilities = hello.capabilities
        guard hello.nodeID != localNodeID else {
            return abort(ProtocolError(.refused, "\(peerLabel) has this node's own id"), refusalCode: "same-node")
        }
        if let expectedPeer, hello.nodeID != expectedPeer {
            return abort(
                ProtocolError(.refused, "the hello names \(peerLabel) but the connection reaches node \(expectedPeer)"),
                refusalCode: "wrong-node"
            )
        }
        if let expectedPeerRole {
            let announced = hello.role ?? (hello.unknownRole == nil ? NodeRole.unannounced : nil)
            if announced != expectedPeerRole {
                let says =
                    announced.map { "says it is \(Self.article($0))" } ?? "announces role '\(hello.unknownRole ?? "")'"
                let trusted = "\(Self.article(expectedPeerRole))"
                return abort(
                    ProtocolError(
                        .refused,
                        "\(peerLabel) \(says), but this node trusts it as \(trusted) (if it is one, 'nodectl peer add \(hello.nodeID) --role \(announced?.rawValue ?? "ROLE")' here)"
                    ),
                    refusalCode: "role-mismatch",
                    refusalMessage: "\(nodeLabel) trusts node '\(hello.name)' as \(trusted), but it \(says)"
                )
            }
        }
        phase = .streaming
        summary.peerVector = hello.vector
        summary.peerClaimed = hello.vector
        return fetchIfWindowAllows()
    }

    /// "an office", "a laptop".
    static func article(_ role: NodeRole) -> String {
        role == .office ? "an office" : "a laptop"
    }

    /// Refuses a peer of another protocol version, naming the node to upgrade: an older peer
    /// with code `upgrade-required` (upgrade the peer), a newer one with `unsupported-version`
    /// (upgrade this node). Fails with ``ProtocolError/Code/unsupportedVersion``; the error
    /// and the refusal say the same, the refusal naming this node instead of "this node".
    mutating func refuseVersion(of hello: Hello) -> [Action] {
        let ours = Hello.currentVersion
        let release = capabilities.release
        let runs = release.isEmpty ? "protocol \(ours)" : "release \(release) (protocol \(ours))"
        let peerSpeaks =
            "\(peerLabel) speaks sync protocol \(hello.version)"
            + (summary.peerRelease.map { " (release \($0))" } ?? "")
        guard hello.version > ours else {
            let target = release.isEmpty ? "a release that speaks protocol \(ours)" : "\(release) or later"
            let advice = "upgrade node '\(hello.name)' to \(target)"
            return abort(
                ProtocolError(.unsupportedVersion, "\(peerSpeaks); this node runs \(runs): \(advice)"),
                refusalCode: "upgrade-required",
                refusalMessage: "\(peerSpeaks); \(nodeLabel) runs \(runs): \(advice)"
            )
        }
        let target = "a release that speaks protocol \(hello.version)"
        return abort(
            ProtocolError(
                .unsupportedVersion,
                "\(peerSpeaks); this node runs \(runs): upgrade this node ('\(localName)') to \(target)"
            ),
            refusalMessage: "\(peerSpeaks); \(nodeLabel) runs \(runs): upgrade node '\(localName)' to \(target)"
        )
    }

    mutating func receivedBatch(_ batch: ChangeBatch) -> [Action] {
        guard phase == .streaming else {
            return unexpected(phase == .awaitingHello ? "a batch before the hello" : "a batch after the streams ended")
        }
        guard !peerDoneSending else { return unexpected("a batch after doneSending") }
        guard pendingApplies < SyncLimits.maxUnacknowledgedBatches else {
            return unexpected("more than \(SyncLimits.maxUnacknowledgedBatches) batches unacknowledged")
        }
        pendingApplies += 1
        summary.batchesReceived += 1
        summary.changesReceived += batch.changes.count
        // The peer holds what it sends: never send it back.
        summary.peerVector = Self.vector(summary.peerVector, advancedBy: batch)
        return [.apply(batch)]
    }

    mutating func receivedApplied(_ vector: VersionVector) -> [Action] {
        guard phase == .streaming, unacknowledged > 0 else {
            return unexpected("an applied checkpoint with no batch of this node unacknowledged")
        }
        unacknowledged -= 1
        summary.peerVector = summary.peerVector.merged(with: vector)
        return fetchIfWindowAllows() + startBlobsIfStreamsDone()
    }

    mutating func receivedDoneSending() -> [Action] {
        guard phase == .streaming, !peerDoneSending else { return unexpected("a doneSending out of place") }
        peerDoneSending = true
        return startBlobsIfStreamsDone()
    }

    /// Asks for the next outgoing batch unless one is being fetched, the stream is exhausted,
    /// or the window of unacknowledged batches is full.
    mutating func fetchIfWindowAllows() -> [Action] {
        guard phase == .streaming, !fetching, !exhausted, unacknowledged < window else { return [] }
        fetching = true
        return [.fetchBatch(after: summary.peerVector, maxChanges: maxBatchChanges)]
    }

    /// Moves to the blob phase once both streams are done: ours exhausted and acknowledged, the
    /// peer's finished and applied.
    mutating func startBlobsIfStreamsDone() -> [Action] {
        guard phase == .streaming, exhausted, unacknowledged == 0, peerDoneSending, pendingApplies == 0 else {
            return []
        }
        phase = .blobs
        return [.computeMissingBlobs]
    }

    /// `vector` after the batch's changes are held too (as `VersionVector.advanced(by:)`).
    static func vector(_ vector: VersionVector, advancedBy batch: ChangeBatch) -> VersionVector {
        var result = vector
        for change in batch.changes where change.seq > result[change.origin] { result[change.origin] = change.seq }
        return result
    }
}
