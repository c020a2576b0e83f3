import Crypto
import Foundation
import Model
import Replication

/// Offline exchange: a node's changes (and documents' bytes) in one signed file.
///
/// A bundle holds these sections (see ``SignedBundle`` for the container):
/// - kind 0, once: metadata as JSON, `{"createdAt": ..., "vector": {NODE-ID: seq},
///   "acknowledgements": [{"origin", "node", "vector"}]}` — what the signer held, so the
///   receiver can later make a bundle with only what the signer lacks, and what it knows the
///   fleet holds (``Replica/acknowledgementsToSend()``; a release before acknowledgements
///   writes none and ignores them);
/// - kind 1, any number: a ``ChangeBatch`` in ``ChangeBatchCodec`` form, in order, each
///   batch's base being the previous one's base plus its changes;
/// - kind 2, any number: a document's bytes, as the 64-character hex SHA-256 digest followed
///   by the bytes.
public enum OfflineBundles {
    static let metadataKind: UInt8 = 0
    static let batchKind: UInt8 = 1
    static let blobKind: UInt8 = 2

    /// What `bundle create` made.
    public struct Created: Sendable {
        public var changes: Int
        public var bytes: Int
        /// Documents whose bytes were found damaged here: set aside and left out of the bundle
        /// (their records are in it; the receiver fetches the bytes from another peer).
        public var damaged: [String] = []
    }

    /// What `bundle apply` did.
    public struct Applied: Sendable {
        public var signer: NodeID
        public var outcome: ApplyOutcome
        public var documents: Int
    }

    /// Writes every change the node holds (or, with `peer`, only what that peer is known to
    /// lack, without persons when it is known not to read them) and the bytes of the documents those changes file, signed, atomically to `output`.
    public static func create(home: NodeHome, for peer: Peer?, output: URL) throws -> Created {
        let known = peer?.knownVector ?? VersionVector()
        var sections: [SignedBundle.Section] = []
        let vector = try home.replica.versionVector()
        let acknowledgements = try home.replica.acknowledgementsToSend().map {
            "{\"origin\":\"\($0.origin)\",\"node\":\"\($0.node)\",\"vector\":\(Replica.encodeVector($0.vector))}"
        }
        let metadata =
            "{\"createdAt\":\"\(Timestamp.format(Date()))\",\"vector\":\(Replica.encodeVector(vector)),\"acknowledgements\":[\(acknowledgements.joined(separator: ","))]}"
        sections.append(.init(kind: metadataKind, bytes: Array(metadata.utf8)))
        var cursor = known
        var changes = 0
        var digests: [String] = []
        // A peer known to read no persons (its last hello did not announce them: an earlier
        // release) gets batches it reads; any other reader gets who wrote each change.
        let persons = peer?.readsPersons != false
        while let batch = try home.replica.nextBatch(after: cursor, maxChanges: 10_000) {
            sections.append(
                .init(kind: batchKind, bytes: try ChangeBatchCodec.encode(persons ? batch : batch.withoutPersons))
            )
            changes += batch.changes.count
            digests += batch.changes.compactMap(documentDigest)
            cursor = cursor.advanced(by: batch)
        }
        var damaged: [String] = []
        for digest in Set(digests).sorted() where home.blobs.contains(digest) {
            do {
                sections.append(.init(kind: blobKind, bytes: Array(digest.utf8) + (try home.blobs.read(digest))))
            } catch let error as BlobError where error.code == .corrupt {
                try home.blobs.setAside(digest)
                damaged.append(digest)
            }
        }
        let bytes = try SignedBundle(sections: sections).encode(signedBy: home.identity)
        do {
            try Data(bytes).write(to: output, options: .atomic)
        } catch {
            throw FileProblem.error(error, .write, output)
        }
        return Created(changes: changes, bytes: bytes.count, damaged: damaged)
    }

    /// Verifies that the file is whole and signed by a trusted peer, then merges it in one
    /// transaction. A refused bundle changes nothing; applying one twice changes nothing more.
    public static func apply(home: NodeHome, file: URL) throws -> Applied {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw FileProblem.error(error, .read, file)
        }
        let (bundle, signer) = try SignedBundle.decode(Array(data))
        guard try home.replica.isTrusted(signer) else {
            throw NodeError(
                .untrustedSigner,
                "the bundle is signed by node \(signer), which this node does not trust (nodectl peer add \(signer))"
            )
        }
        var batches: [ChangeBatch] = []
        var blobs: [(String, ArraySlice<UInt8>)] = []
        var vector: VersionVector?
        var acknowledgements: [Acknowledgement] = []
        for section in bundle.sections {
            switch section.kind {
            case metadataKind:
                vector = try metadataVector(section.bytes)
                acknowledgements = try metadataAcknowledgements(section.bytes)
            case batchKind:
                batches.append(try ChangeBatchCodec.decode(section.bytes))
            case blobKind:
                guard section.bytes.count >= 64,
                    let digest = String(validating: section.bytes[0..<64], as: UTF8.self)
                else { throw BundleError(.malformed, "a document section of the bundle is malformed") }
                blobs.append((digest, section.bytes[64...]))
            default:
                throw BundleError(.malformed, "the bundle holds a section of unknown kind \(section.kind)")
            }
        }
        for (digest, bytes) in blobs {
            let actual = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            guard actual == digest else {
                throw BundleError(.malformed, "document bytes in the bundle do not match their digest \(digest)")
            }
        }
        let outcome = try home.replica.apply(batches)
        for (digest, bytes) in blobs where !home.blobs.contains(digest) {
            _ = try home.blobs.put(bytes)
        }
        try home.eraseWithdrawnBytes()
        if let vector, signer != home.nodeID { try home.replica.recordKnowledge(of: signer, vector: vector) }
        try home.replica.receiveAcknowledgements(acknowledgements)
        return Applied(signer: signer, outcome: outcome, documents: blobs.count)
    }

    /// The metadata's acknowledgements: none when the key is absent (a bundle of an earlier
    /// release); a malformed one refuses the bundle.
    private static func metadataAcknowledgements(_ bytes: [UInt8]) throws -> [Acknowledgement] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw BundleError(.malformed, "the bundle's metadata is malformed")
        }
        guard let list = object["acknowledgements"] else { return [] }
        guard let items = list as? [[String: Any]] else {
            throw BundleError(.malformed, "the bundle's acknowledgements are malformed")
        }
        return try items.map { item in
            guard let origin = (item["origin"] as? String).flatMap(NodeID.init),
                let node = (item["node"] as? String).flatMap(NodeID.init),
                let vector = item["vector"] as? [String: Any],
                let json = try? JSONSerialization.data(withJSONObject: vector)
            else { throw BundleError(.malformed, "the bundle's acknowledgements are malformed") }
            return Acknowledgement(
                origin: origin,
                node: node,
                vector: Replica.decodeVector(String(decoding: json, as: UTF8.self))
            )
        }
    }

    private static func metadataVector(_ bytes: [UInt8]) throws -> VersionVector {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let vector = object["vector"] as? [String: Any],
            let json = try? JSONSerialization.data(withJSONObject: vector)
        else { throw BundleError(.malformed, "the bundle's metadata is malformed") }
        return Replica.decodeVector(String(decoding: json, as: UTF8.self))
    }

    /// The digest a document record files, if the change is one.
    static func documentDigest(_ change: Change) -> String? {
        guard change.entity == .document, change.operation == .record, let value = change.value,
            let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any]
        else { return nil }
        return object["digest"] as? String
    }
}
