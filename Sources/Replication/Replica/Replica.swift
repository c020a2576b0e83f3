import Foundation
import GRDB
import Logging
import Model

/// The node's local replica: one SQLite file, owned by this type alone.
///
/// Every user write goes through ``write(_:)``, which stamps it with this node's origin, next
/// sequence number, and a hybrid-clock reading, and applies it through the same merge path a
/// peer's change takes. Every batch from a peer goes through ``apply(_:)``. Both run in one
/// SQLite transaction each: a write or a batch lands whole or not at all, and the plain tables
/// are kept derived from the replication metadata inside that transaction.
///
/// ```swift
/// let replica = try Replica.create(at: folder, nodeID: id, name: "HQ")
/// let customer = try replica.write { try $0.createCustomer(name: "Acme Ltd") }
/// ```
public final class Replica: Sendable {
    /// This node.
    public let nodeID: NodeID
    /// The origin this node's new writes carry now: its node id, or the origin of its latest
    /// incarnation (``Replica+Incarnation``). Read from the replica each time: another process
    /// on the folder may have begun an incarnation since this one opened it.
    public var origin: NodeID {
        let stored = try? pool.read { db in try String.fetchOne(db, sql: "SELECT origin FROM node WHERE id = 1") }
        return stored.flatMap { $0 }.flatMap(NodeID.init) ?? nodeID
    }
    /// The folder holding the replica file.
    public let directory: URL
    /// The folder's shape as this build understands it.
    public let schema: FolderSchema
    let pool: DatabasePool
    let wallClock: @Sendable () -> UInt64
    /// Checks the signatures of revocations (the node's certificates are the node's to read).
    let signatures: SignatureVerifier
    let logger: Logger

    /// The replica file's name inside the node's folder.
    public static let fileName = "replica.sqlite"

    private init(
        pool: DatabasePool,
        nodeID: NodeID,
        origin: NodeID,
        directory: URL,
        schema: FolderSchema,
        wallClock: @escaping @Sendable () -> UInt64,
        signatures: SignatureVerifier,
        logger: Logger
    ) {
        self.signatures = signatures
        self.pool = pool
        self.nodeID = nodeID
        self.directory = directory
        self.schema = schema
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Unix milliseconds from the system clock.
    public static let systemClock: @Sendable () -> UInt64 = {
        UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded()))
    }

    /// Whether `directory` holds a replica.
    public static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(fileName).path)
    }

    /// Creates a new, empty replica for node `nodeID` in `directory` (made if missing).
    ///
    /// Refuses with ``ReplicationError/Code/alreadyANode`` when the folder already holds one.
    public static func create(
        at directory: URL,
        nodeID: NodeID,
        name: String,
        defaultCountry: CountryCode = .us,
        currency: CurrencyCode = .usd,
        role: NodeRole = .office,
        schema: FolderSchema = .standard,
        wallClock: @escaping @Sendable () -> UInt64 = Replica.systemClock,
        signatures: SignatureVerifier = .none,
        logger: Logger = Logger(label: "nextsoft.replica")
    ) throws -> Replica {
        if exists(at: directory) {
            throw ReplicationError(.alreadyANode, "\(directory.path) already holds a node")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try openPool(directory, schema: schema)
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO node (id, node_id, name, clock, default_country, created_at, role)
                    VALUES (1, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [nodeID.description, name, defaultCountry.rawValue, Timestamp.format(Date()), role.rawValue]
            )
            try db.execute(sql: "INSERT INTO origins (node_id, max_seq) VALUES (?, 0)", arguments: [nodeID.description])
            try db.execute(
                sql: "UPDATE node SET file_identity = ?, currency = ? WHERE id = 1",
                arguments: [Replica.fileIdentity(in: directory), currency.code]
            )
        }
        return Replica(
            pool: pool,
            nodeID: nodeID,
            origin: nodeID,
            directory: directory,
            schema: schema,
            wallClock: wallClock,
            signatures: signatures,
            logger: logger
        )
    }

    /// Opens the replica in `directory`, migrating it in place to this release's tables (a
    /// 0.1.0 replica included: nothing is lost), then applies the held changes `schema` now
    /// understands (those a newer release wrote, after an upgrade).
    ///
    /// Refuses with ``ReplicationError/Code/notANode`` when the folder holds none.
    public static func open(
        at directory: URL,
        schema: FolderSchema = .standard,
        wallClock: @escaping @Sendable () -> UInt64 = Replica.systemClock,
        signatures: SignatureVerifier = .none,
        logger: Logger = Logger(label: "nextsoft.replica")
    ) throws -> Replica {
        guard exists(at: directory) else {
            throw ReplicationError(.notANode, "\(directory.path) is not a node (run 'nodectl init' first)")
        }
        let pool = try openPool(directory, schema: schema)
        let text = try pool.read { db in try String.fetchOne(db, sql: "SELECT node_id FROM node WHERE id = 1") }
        guard let text, let nodeID = NodeID(text) else {
            throw ReplicationError(.corrupt, "\(directory.path): the replica names no node")
        }
        let origin = try currentOrigin(
            pool: pool,
            nodeID: nodeID,
            directory: directory,
            wallClock: wallClock,
            schema: schema,
            logger: logger
        )
        let replica = Replica(
            pool: pool,
            nodeID: nodeID,
            origin: origin,
            directory: directory,
            schema: schema,
            wallClock: wallClock,
            signatures: signatures,
            logger: logger
        )
        try replica.applyUnderstoodHeld()
        return replica
    }

    private static func openPool(_ directory: URL, schema: FolderSchema) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            SearchIndex.addFunctions(to: db)
        }
        let pool = try DatabasePool(path: directory.appendingPathComponent(fileName).path, configuration: configuration)
        try Schema.migrator(for: schema).migrate(pool)
        return pool
    }

    /// The node's name, as given to `init`.
    public func name() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM node WHERE id = 1") ?? "" }
    }

    /// The country whose formats addresses and phones default to.
    public func defaultCountry() throws -> CountryCode {
        try pool.read { db in
            let text = try String.fetchOne(db, sql: "SELECT default_country FROM node WHERE id = 1") ?? "US"
            return CountryCode(rawValue: text) ?? .us
        }
    }

    /// The currency this node issues documents in, as given to `init --currency` (`USD` for a
    /// node made before currencies).
    public func currency() throws -> CurrencyCode {
        try pool.read { db in
            let text = try String.fetchOne(db, sql: "SELECT currency FROM node WHERE id = 1") ?? "USD"
            return (try? CurrencyCode(text)) ?? .usd
        }
    }

    /// Runs `body` in one write transaction with a ``LocalWriter`` that stamps each write.
    /// Everything `body` writes commits together, or nothing does when it throws.
    ///
    /// Every write is recorded as by `person` (``PersonName``; `nil`: the node's name) beside
    /// this node's origin; ``ReplicationError/Code/invalidValue`` for a name that is not one.
    @discardableResult
    public func write<T>(as person: String? = nil, _ body: (inout LocalWriter) throws -> T) throws -> T {
        let person = try person.map(PersonName.validated)
        return try pool.write { db in
            var ledger = try self.ledger(db)
            if let person { ledger.person = person }
            var writer = LocalWriter(ledger: ledger)
            let result = try body(&writer)
            ledger = writer.ledger
            try ledger.saveState()
            return result
        }
    }

    /// The merge engine bound to a write transaction of this replica.
    func ledger(_ db: Database) throws -> Ledger {
        try Ledger(db: db, local: nodeID, schema: schema, wallClock: wallClock, signatures: signatures)
    }

    /// This node's own role (`init --role`).
    public func role() throws -> NodeRole {
        try pool.read { db in
            NodeRole(rawValue: try String.fetchOne(db, sql: "SELECT role FROM node WHERE id = 1") ?? "") ?? .office
        }
    }

    /// Runs a read-only query against a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Checks the SQLite file (`PRAGMA integrity_check`); returns its report lines (`["ok"]`).
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

extension Replica {
    /// Checks the file and the merge state: `PRAGMA integrity_check`, foreign keys, that each
    /// origin's changes are exactly 1…max_seq, and that the search index matches the folders.
    /// Returns the problems found (none: healthy).
    public func check() throws -> [String] {
        let clones = try clones().map { clone in
            "node \(clone.node.short) is a clone: two copies of it are writing (\(clone.changes) of its changes show it; those that collide with changes held here are held, reason clone); stop one copy, start it again as a new node (nodectl init in an empty folder, then trust it) and re-enter what 'nodectl held list' shows"
        }
        return try clones
            + pool.read { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                if !foreignKeys.isEmpty { problems.append("\(foreignKeys.count) rows break a foreign key") }
                let gaps = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.node_id, o.max_seq, count(c.seq) AS held, coalesce(max(c.seq), 0) AS top
                        FROM origins o LEFT JOIN changes c ON c.origin = o.id
                        GROUP BY o.id HAVING held <> o.max_seq OR top <> o.max_seq
                        """
                )
                for row in gaps {
                    let node: String = row["node_id"]
                    let maxSeq: Int64 = row["max_seq"]
                    let held: Int64 = row["held"]
                    problems.append("node \(node.prefix(7)): max_seq \(maxSeq) but \(held) changes held")
                }
                let headless =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM changes c WHERE c.op = 'assign' AND NOT EXISTS
                            (SELECT 1 FROM field_heads h WHERE h.entity_id = c.entity_id AND h.field = c.field)
                            AND NOT EXISTS (SELECT 1 FROM held_changes x WHERE x.change = c.local_order)
                            """
                    ) ?? 0
                if headless > 0 { problems.append("\(headless) written fields have no current value") }
                return problems + (try SearchIndex.problems(db))
            }
    }
}
