extension ChangeBatchCodec {
    /// Bounds the decoder enforces before it allocates, so that hostile bytes cannot make it use
    /// unbounded memory or time.
    ///
    /// Exceeding any of them throws ``CodecError/Code/tooLarge``. Memory for a decoded batch
    /// stays within about eight times ``maxDecompressedBytes`` (the worst case is a body made
    /// of two-byte predecessors) plus some 150 bytes per change.
    public struct Limits: Sendable, Hashable {
        /// The most bytes the compressed body may inflate to.
        public var maxDecompressedBytes: Int
        /// The most changes in one batch, and the most field names in its table.
        public var maxChanges: Int
        /// The most UTF-8 bytes in one string (a field name or a value).
        public var maxStringBytes: Int
        /// The most entries in the node table.
        public var maxNodes: Int
        /// The most predecessors of one change.
        public var maxPredecessors: Int

        public init(
            maxDecompressedBytes: Int = 64 << 20,
            maxChanges: Int = 1_000_000,
            maxStringBytes: Int = 1 << 20,
            maxNodes: Int = 10_000,
            maxPredecessors: Int = 10_000
        ) {
            self.maxDecompressedBytes = maxDecompressedBytes
            self.maxChanges = maxChanges
            self.maxStringBytes = maxStringBytes
            self.maxNodes = maxNodes
            self.maxPredecessors = maxPredecessors
        }

        /// 64 MiB decompressed, 1,000,000 changes, 1 MiB strings, 10,000 nodes, 10,000
        /// predecessors a change.
        public static let `default` = Limits()
    }
}
