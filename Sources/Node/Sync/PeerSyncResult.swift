import Replication

/// What one exchange with one peer did, as `nodectl sync --json` prints it.
public struct PeerSyncResult: Sendable {
    public var nodeID: NodeID
    public var name: String?
    public var ok: Bool
    /// Changes sent to the peer and received from it (received ones it already held count too).
    public var sent: Int
    public var received: Int
    /// Bytes on the wire, TLS included.
    public var bytesSent: UInt64
    public var bytesReceived: UInt64
    /// Bytes of sync frames (what TLS carried, without its handshake and record overhead).
    public var payloadBytesSent: UInt64 = 0
    public var payloadBytesReceived: UInt64 = 0
    /// Conflicts the peer's changes opened here.
    public var conflicts: Int
    /// Documents' bytes received in full.
    public var documentsReceived: Int
    /// Digests of documents whose bytes from the peer did not match: discarded, asked again.
    public var documentsRejected: [String] = []
    /// Digests of documents the peer asked for that were found damaged here: set aside.
    public var documentsDamagedHere: [String] = []
    public var error: String?
    public var seconds: Double
    /// What the peer held at the end, as far as the session knows.
    public var peerVector: VersionVector?
    /// What the peer's hello said it held.
    public var peerClaimed: VersionVector?
    /// The release the peer's hello named ("0.1.0" for a protocol 1 peer).
    public var peerRelease: String?
    /// Whether the peer's hello announced that it reads persons; `nil` when no hello came.
    public var peerReadsPersons: Bool?

    init(nodeID: NodeID, name: String?) {
        self.nodeID = nodeID
        self.name = name
        ok = false
        sent = 0
        received = 0
        bytesSent = 0
        bytesReceived = 0
        conflicts = 0
        documentsReceived = 0
        error = nil
        seconds = 0
        peerVector = nil
    }

    /// Whether the peer refused because it is in a session with this node already.
    var isBusy: Bool { !ok && (error?.contains("(busy)") ?? false) }

    mutating func take(_ summary: SyncSession.Summary) {
        sent = summary.changesSent
        received = summary.changesReceived
        conflicts = summary.conflictsOpened
        documentsReceived = summary.blobsReceived
        documentsRejected = summary.blobsRejected
        documentsDamagedHere = summary.blobsDamagedHere
        peerVector = summary.peerVector
        peerClaimed = summary.peerClaimed
        peerRelease = summary.peerRelease
        peerReadsPersons = summary.peerCapabilities?.supports(feature: Capabilities.personsFeature)
    }
}
