import Replication
import Testing

extension SyncMessage {
    /// The message's kind, for comparing sequences in tests.
    var kindName: String {
        switch self {
        case .hello: "hello"
        case .batch: "batch"
        case .applied: "applied"
        case .doneSending: "doneSending"
        case .wantBlobs: "wantBlobs"
        case .blobChunk: "blobChunk"
        case .blobMissing: "blobMissing"
        case .refusal: "refusal"
        case .goodbye: "goodbye"
        }
    }
}

extension SyncMessage: CustomTestStringConvertible {
    /// A short description: a 1 MiB chunk is not printed byte by byte in test names.
    public var testDescription: String {
        switch self {
        case .batch(let batch): "batch of \(batch.changes.count) changes"
        case .blobChunk(let chunk):
            "blobChunk \(chunk.digest.prefix(8)) \(chunk.offset)+\(chunk.bytes.count)/\(chunk.total)"
        case .wantBlobs(let requests): "wantBlobs of \(requests.count)"
        default: "\(self)"
        }
    }
}
