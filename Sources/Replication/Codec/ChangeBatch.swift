/// A run of changes that travels as one unit: in an offline bundle file or in one sync message.
///
/// `base` is what the receiver must already hold for the batch to apply: every change of the
/// batch was made by a writer that had seen `base` (plus the batch's own earlier changes).
/// `changes` are in causal order, so a receiver that holds `base` can store them one by one.
/// ``ChangeBatchCodec`` gives the binary form.
public struct ChangeBatch: Sendable, Hashable {
    /// What the receiver must already hold.
    public var base: VersionVector
    /// The changes, in causal order.
    public var changes: [Change]

    public init(base: VersionVector = VersionVector(), changes: [Change] = []) {
        self.base = base
        self.changes = changes
    }
}

extension ChangeBatch {
    /// The batch with no change's person: what a reader of an earlier release (without the
    /// `persons` feature) is sent. It reads every change the same; only who wrote them is lost.
    public var withoutPersons: ChangeBatch {
        var batch = self
        for index in batch.changes.indices { batch.changes[index].person = nil }
        return batch
    }
}
