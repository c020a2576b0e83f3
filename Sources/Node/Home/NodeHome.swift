import Foundation
import Logging
import Model
import Replication

/// A node's folder, opened: its identity, its replica and its document store.
///
/// Layout of the folder:
/// - `replica.sqlite` — the replica (plain tables + replication metadata; docs/SCHEMA.md)
/// - `node-key.pem`, `node-cert.pem` — the node's private key (mode 0600) and certificate
/// - `blobs/` — documents' bytes, one file per SHA-256 digest
public struct NodeHome: Sendable {
    public let directory: URL
    public let identity: NodeIdentity
    public let replica: Replica
    public let blobs: BlobStore

    public var nodeID: NodeID { identity.nodeID }

    /// The folder schema this process runs: ``FolderSchema/standard``, or the test-only
    /// ``FolderSchema/preview`` (a stand-in for the next release) when the environment sets
    /// `NEXTSOFT_SCHEMA=preview`.
    public static func schema(environment: [String: String] = ProcessInfo.processInfo.environment) -> FolderSchema {
        environment["NEXTSOFT_SCHEMA"] == "preview" ? .preview : .standard
    }

    /// The wall clock this process stamps by: the system clock, shifted by
    /// `NEXTSOFT_CLOCK_OFFSET_MS` milliseconds when the environment sets it — a test-only
    /// setting, for proving that a node whose clock is wrong neither partitions nor rules the
    /// fleet.
    public static func wallClock(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> @Sendable () -> UInt64 {
        guard let text = environment["NEXTSOFT_CLOCK_OFFSET_MS"], let offset = Int64(text), offset != 0 else {
            return Replica.systemClock
        }
        return { UInt64(max(0, Int64(Replica.systemClock()) + offset)) }
    }

    /// Whether the folder holds a node.
    public static func exists(at directory: URL) -> Bool {
        Replica.exists(at: directory)
            || FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(NodeIdentity.certificateFileName).path
            )
    }

    /// Makes a new node in `directory`: identity (key + self-signed certificate), empty
    /// replica, document store. Refuses when the folder already holds a node, and changes
    /// nothing then.
    public static func initialize(
        at directory: URL,
        name: String?,
        defaultCountry: CountryCode = .us,
        currency: CurrencyCode = .usd,
        role: NodeRole = .office,
        schema: FolderSchema = NodeHome.schema(),
        logger: Logger = Logger(label: "nextsoft.node")
    ) throws -> NodeHome {
        if exists(at: directory) {
            throw NodeError(.alreadyANode, "\(directory.path) already holds a node")
        }
        let name = name ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
        let identity = try NodeIdentity.generate(name: name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileProblem.error(error, .write, directory)
        }
        try identity.save(in: directory)
        let replica = try Replica.create(
            at: directory,
            nodeID: identity.nodeID,
            name: name,
            defaultCountry: defaultCountry,
            currency: currency,
            role: role,
            schema: schema,
            wallClock: wallClock(),
            signatures: .x509,
            logger: logger
        )
        let blobs = try BlobStore(directory: directory.appendingPathComponent("blobs"))
        return NodeHome(directory: directory, identity: identity, replica: replica, blobs: blobs)
    }

    /// Opens the node in `directory`; a clear error when it holds none.
    public static func open(
        at directory: URL,
        schema: FolderSchema = NodeHome.schema(),
        logger: Logger = Logger(label: "nextsoft.node")
    ) throws -> NodeHome {
        guard Replica.exists(at: directory) else {
            throw NodeError(.notANode, "\(directory.path) is not a node (run 'nodectl init' first)")
        }
        let identity = try NodeIdentity.load(from: directory)
        let replica = try Replica.open(
            at: directory,
            schema: schema,
            wallClock: wallClock(),
            signatures: .x509,
            logger: logger
        )
        guard replica.nodeID == identity.nodeID else {
            throw NodeError(.notANode, "\(directory.path): the replica belongs to another node than its certificate")
        }
        let blobs = try BlobStore(directory: directory.appendingPathComponent("blobs"))
        return NodeHome(directory: directory, identity: identity, replica: replica, blobs: blobs)
    }

    /// Files a document: its bytes into the store (streamed, verified), then its record, as
    /// written by `person` (`nil`: the node's name), who is also its `addedBy`.
    /// `fileName` is the name the folder shows (default: the file's own name).
    public func addDocument(
        customer: EntityID,
        file: URL,
        title: String?,
        fileName: String? = nil,
        as person: String? = nil
    ) throws -> Document {
        if let reason = FileProblem.inspect(file.path, .read) {
            throw NodeError(.fileUnreadable, "cannot read \(file.path): \(reason)")
        }
        // Check the customer before storing bytes, so a refused command stores nothing.
        _ = try replica.folder(customer)
        let stored: (digest: String, size: Int64)
        do {
            stored = try blobs.put(contentsOf: file)
        } catch let error as BlobError where error.code == .io || error.code == .notFound {
            guard FileProblem.isDiskFull(error) else { throw FileProblem.error(error, .read, file) }
            throw NodeError(.diskFull, "cannot file \(file.path): \(FileProblem.diskFullWords)")
        }
        let fileName = fileName ?? file.lastPathComponent
        let name = try person ?? replica.name()
        let id = try replica.write(as: person) { writer in
            try writer.addDocument(
                customer: customer,
                title: title ?? URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent,
                fileName: fileName,
                mediaType: Document.mediaType(forFileName: fileName),
                size: stored.size,
                digest: stored.digest,
                addedBy: name
            )
        }
        return try replica.document(id)
    }

    /// Withdraws a document filed by mistake: the withdrawal replicates, the record stays
    /// marked, and the bytes are erased here now and on every node once it arrives there.
    /// Written by `person` (`nil`: the node's name), who is also the withdrawal's `by`.
    public func withdrawDocument(_ id: EntityID, reason: String, as person: String? = nil) throws -> Document {
        let name = try person ?? replica.name()
        try replica.write(as: person) { _ = try $0.withdrawDocument(id, reason: reason, by: name) }
        try eraseWithdrawnBytes()
        return try replica.document(id)
    }

    /// Erases the bytes of every digest whose documents were all withdrawn (and any part of
    /// them received). Called after anything that may bring a withdrawal: a local withdrawal,
    /// each sync session's batches, a bundle. Returns the digests erased.
    @discardableResult
    public func eraseWithdrawnBytes() throws -> [String] {
        let partial = directory.appendingPathComponent("blobs-partial")
        return try replica.withdrawnDigests().filter { digest in
            let part = partial.appendingPathComponent(digest).path
            let hadPart = FileManager.default.fileExists(atPath: part)
            if hadPart { try FileManager.default.removeItem(atPath: part) }
            return try blobs.remove(digest) || hadPart
        }
    }

    /// Writes a document's bytes to `output`, verified against its digest.
    public func exportDocument(_ id: EntityID, to output: URL) throws {
        let document = try replica.document(id)
        if let withdrawal = document.withdrawal {
            throw NodeError(
                .documentMissing,
                "document \(id) was withdrawn at \(Timestamp.format(withdrawal.at)) by \(withdrawal.by) (\(withdrawal.reason)); its bytes are erased"
            )
        }
        guard blobs.contains(document.digest) else {
            throw NodeError(
                .documentMissing,
                "the bytes of document \(id) have not arrived on this node yet (sync with a peer that has them)"
            )
        }
        do {
            try blobs.copy(document.digest, to: output)
        } catch let error as BlobError where error.code == .io {
            throw FileProblem.error(error, .write, output)
        }
    }
}
