extension SyncSession {
    /// What the driver must do next. The driver performs actions in the order a call returns
    /// them, and reports the outcome of each action that asks for work through the matching
    /// event, in the order the actions were given.
    public enum Action: Sendable, Hashable {
        /// Write this message to the peer. Writes keep their order; the driver need not wait for
        /// a write to complete before performing the next action.
        case send(SyncMessage)
        /// Read the next batch the peer lacks: `replica.nextBatch(after: known, maxChanges:)`,
        /// then call ``SyncSession/batchReady(_:)`` with it (`nil` when the peer lacks nothing
        /// more). At most one fetch is outstanding at a time.
        case fetchBatch(after: VersionVector, maxChanges: Int)
        /// Apply the peer's batch atomically (`replica.apply(batch)`), then call
        /// ``SyncSession/batchApplied(newVector:conflictsOpened:)`` with the replica's vector
        /// after it, or ``SyncSession/applyFailed(_:)``. Several may be outstanding: apply and
        /// report them one after the other, in order.
        case apply(ChangeBatch)
        /// Find the documents whose bytes this node lacks (digests its replica refers to that
        /// its blob store does not hold in full, each with the bytes already held of it), then
        /// call ``SyncSession/missingBlobs(_:)``. Asked once, when both streams are done.
        case computeMissingBlobs
        /// Read at most `maxBytes` bytes of the document `digest` from `offset`, then call
        /// ``SyncSession/blobChunkRead(_:)`` with them (an empty chunk when `offset` is the
        /// document's size), or ``SyncSession/blobUnavailable(digest:)`` when this node does not
        /// hold the document or it is shorter than `offset`. At most one read is outstanding.
        case readBlobChunk(digest: String, offset: UInt64, maxBytes: Int)
        /// Write the chunk's bytes at its offset in the partial document `digest`. When the
        /// chunk ``BlobChunk/isLast``, check the whole document's SHA-256 and make it available
        /// (on a mismatch, discard the partial bytes and call ``SyncSession/driverFailed(_:)``).
        /// Then call ``SyncSession/blobChunkStored()``. Several may be outstanding: store them
        /// in order.
        case storeBlobChunk(BlobChunk)
        /// Both sides said goodbye: the session succeeded. Followed by ``close``.
        case finish(Summary)
        /// The session failed; any refusal for the peer was sent just before. Followed by
        /// ``close``.
        case fail(ProtocolError)
        /// Flush the writes above and close the connection. Always the last action: the session
        /// returns nothing more, and ignores later events.
        case close
    }

    /// What a session did, as far as the session knows it.
    public struct Summary: Sendable, Hashable {
        /// The peer's node id, once its hello arrived.
        public var peerNodeID: NodeID?
        /// The peer's name from its hello.
        public var peerName: String = ""
        /// The release the peer runs: the one its hello announced (`nil` if it announced
        /// none), or "0.1.0" for a protocol 1 hello (the only release that spoke it); `nil`
        /// before the peer's hello and for a hello of any other version.
        public var peerRelease: String?
        /// What the peer's release understands, from its hello; `nil` before the hello and for
        /// a hello of another protocol version (which carries none this node can read).
        public var peerCapabilities: Capabilities?
        /// Batches and changes sent to the peer.
        public var batchesSent = 0
        public var changesSent = 0
        /// Batches and changes received from the peer (changes this node already held count
        /// too: the replica skips them).
        public var batchesReceived = 0
        public var changesReceived = 0
        /// Conflicts the peer's batches opened here, as the driver reported them.
        public var conflictsOpened = 0
        /// Documents served in full to the peer, and bytes served.
        public var blobsSent = 0
        public var blobBytesSent: UInt64 = 0
        /// Documents received in full from the peer, and bytes received.
        public var blobsReceived = 0
        public var blobBytesReceived: UInt64 = 0
        /// Digests of documents this node wanted that the peer did not have either.
        public var blobsMissing: [String] = []
        /// Digests of documents whose bytes from the peer did not match the digest: discarded,
        /// and asked for again in a later session (from this peer or another).
        public var blobsRejected: [String] = []
        /// Digests of documents the peer asked for whose bytes here were found damaged: set
        /// aside, not served, and fetched again from a peer by a later session.
        public var blobsDamagedHere: [String] = []
        /// What this node holds: its vector at the start, then after each applied batch.
        public var localVector = VersionVector()
        /// What the peer is known to hold: its hello's vector, plus what it sent, was sent and
        /// acknowledged.
        public var peerVector = VersionVector()
        /// What the peer's hello said it held, before anything was exchanged; `nil` until a
        /// hello this node accepts arrived.
        public var peerClaimed: VersionVector?

        public init() {}
    }
}
