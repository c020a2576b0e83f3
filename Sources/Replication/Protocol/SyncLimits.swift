/// The bounds of the sync protocol, in one place.
///
/// Decoders check every count and length against these before they allocate, so hostile bytes
/// cannot make a node use unbounded memory; encoders refuse to write what a peer would refuse
/// to read. Changing one is a protocol change: see docs/PROTOCOL.md.
public enum SyncLimits {
    /// The longest frame (type byte plus payload) a decoder accepts unless configured otherwise:
    /// 16 MiB.
    public static let defaultMaxFrameLength = 16 << 20
    /// The most UTF-8 bytes in a node's name in a hello.
    public static let maxNameBytes = 255
    /// The most entries of a version vector on the wire (as the batch codec's node table).
    public static let maxVectorEntries = 10_000
    /// The most digests in one `wantBlobs` message.
    public static let maxBlobRequests = 100_000
    /// The most document bytes in one `blobChunk`: 1 MiB.
    public static let maxChunkBytes = 1 << 20
    /// The most UTF-8 bytes in a refusal's code.
    public static let maxRefusalCodeBytes = 64
    /// The most UTF-8 bytes in a refusal's message.
    public static let maxRefusalMessageBytes = 4096
    /// The most batches a receiver holds unacknowledged; a sender pipelines at most this many.
    public static let maxUnacknowledgedBatches = 16
}
