import Model
import Replication

/// A deterministic generator (SplitMix64) for the protocol tests, so a failure replays from
/// its seed.
struct SyncTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builders shared by the protocol tests.
enum SyncFixtures {
    /// A node id made from a name, as a certificate digest would be.
    static func node(_ name: String) -> NodeID {
        NodeID(certificateDER: Array("sync certificate of \(name)".utf8))
    }

    /// The SHA-256 of `bytes` in lower-case hex (a node id is the SHA-256 of its input).
    static func digest(_ bytes: [UInt8]) -> String {
        NodeID(certificateDER: bytes).digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Document bytes that differ by `seed`, `count` long.
    static func document(_ seed: UInt64, count: Int) -> [UInt8] {
        var random = SyncTestRandom(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: random.next()) { bytes += $0 } }
        return Array(bytes.prefix(count))
    }

    /// A batch of `count` customer-name changes by `origin`, seqs from `firstSeq` on, whose base
    /// holds the earlier ones.
    static func batch(_ origin: NodeID, from firstSeq: UInt64 = 1, count: Int) -> ChangeBatch {
        var replica = SyncTestReplica()
        replica.vector[origin] = firstSeq - 1
        let base = replica.vector
        for index in 0..<count { replica.write(origin, field: "name", value: "Müller & Söhne GmbH 🏭 \(index)") }
        return ChangeBatch(base: base, changes: replica.log)
    }
}

/// An in-memory replica with the semantics of `Replica.nextBatch(after:maxChanges:)` and
/// `Replica.apply(_:)`: a causal log of changes and the vector it holds.
struct SyncTestReplica {
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var log: [Change] = []
    var vector = VersionVector()
    private(set) var batchesApplied = 0
    private var clock: UInt64 = 1_790_000_000_000

    /// A local write by `origin` (this replica's own node, or one whose log it mirrors).
    mutating func write(_ origin: NodeID, field: String, value: String?, predecessors: [WriteID] = []) {
        clock += 1
        let seq = vector[origin] + 1
        let time = HybridTime(milliseconds: clock, counter: UInt16(seq % 7))
        log.append(
            Change(
                origin: origin,
                seq: seq,
                time: time,
                entity: .customer,
                entityID: EntityID(milliseconds: clock, counter: 0, node: origin.discriminator),
                field: field,
                operation: .assign,
                value: value,
                predecessors: predecessors
            )
        )
        vector[origin] = seq
    }

    /// Files a document record naming `digest`, written by `origin`.
    mutating func fileDocument(_ origin: NodeID, digest: String, title: String) {
        clock += 1
        let seq = vector[origin] + 1
        log.append(
            Change(
                origin: origin,
                seq: seq,
                time: HybridTime(milliseconds: clock, counter: 0),
                entity: .document,
                entityID: EntityID(milliseconds: clock, counter: 1, node: origin.discriminator),
                field: "",
                operation: .record,
                value: #"{"digest":"\#(digest)","title":"\#(title)"}"#
            )
        )
        vector[origin] = seq
    }

    /// The digests the replica's document records name.
    var referencedDigests: [String] {
        let marker = #""digest":""#
        return log.compactMap { change -> String? in
            guard change.entity == .document, let value = change.value, let range = value.range(of: marker) else {
                return nil
            }
            return String(value[range.upperBound...].prefix(64))
        }
    }

    func nextBatch(after known: VersionVector, maxChanges: Int) -> ChangeBatch? {
        let lacking = log.filter { $0.seq > known[$0.origin] }
        guard !lacking.isEmpty else { return nil }
        return ChangeBatch(base: known, changes: Array(lacking.prefix(maxChanges)))
    }

    /// Applies all of the batch or none of it; skips changes already held.
    mutating func apply(_ batch: ChangeBatch) throws {
        guard vector.dominates(batch.base) else {
            throw Refusal(description: "missing prerequisites: holds \(vector), the batch assumes \(batch.base)")
        }
        var staged = vector
        var appended: [Change] = []
        for change in batch.changes where change.seq > staged[change.origin] {
            guard change.seq == staged[change.origin] + 1 else {
                throw Refusal(description: "gap before \(change.id)")
            }
            staged[change.origin] = change.seq
            appended.append(change)
        }
        log += appended
        vector = staged
        batchesApplied += 1
    }
}

/// An in-memory blob store that keeps partial downloads, checking each finished document
/// against its digest.
struct SyncTestBlobStore {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var complete: [String: [UInt8]] = [:]
    var partial: [String: [UInt8]] = [:]

    mutating func put(_ bytes: [UInt8]) -> String {
        let digest = SyncFixtures.digest(bytes)
        complete[digest] = bytes
        return digest
    }

    func missing(among referenced: [String]) -> [BlobRequest] {
        Set(referenced).filter { complete[$0] == nil }.sorted()
            .map { BlobRequest(digest: $0, offset: UInt64(partial[$0]?.count ?? 0)) }
    }

    func read(_ digest: String, offset: UInt64, maxBytes: Int) -> BlobChunk? {
        guard let bytes = complete[digest], offset <= UInt64(bytes.count) else { return nil }
        let start = Int(offset)
        let slice = Array(bytes[start..<min(bytes.count, start + maxBytes)])
        return BlobChunk(digest: digest, offset: offset, total: UInt64(bytes.count), bytes: slice)
    }

    mutating func store(_ chunk: BlobChunk) throws {
        var bytes = partial[chunk.digest] ?? []
        guard UInt64(bytes.count) == chunk.offset else {
            throw Failure(description: "chunk at \(chunk.offset) but \(bytes.count) bytes held")
        }
        bytes += chunk.bytes
        guard chunk.isLast else {
            partial[chunk.digest] = bytes
            return
        }
        partial[chunk.digest] = nil
        guard SyncFixtures.digest(bytes) == chunk.digest else {
            throw Failure(description: "document \(chunk.digest.prefix(12)) does not match its digest")
        }
        complete[chunk.digest] = bytes
    }
}
