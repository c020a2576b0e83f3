import GRDB
import Model

/// Who made a write: the person, and the node it was made on.
///
/// `person` is what the write carries (``Change/person``); for a write that carries none (made
/// before persons were recorded, or relayed through a node of an earlier release) it is the
/// node's name, as this node knows it, else the node's short id.
public struct WriteAuthor: Sendable, Hashable {
    /// The person, or the node's name standing for one.
    public let person: String
    /// Whether the write itself named the person (`false`: `person` is the node's name).
    public let personRecorded: Bool
    /// The node: for a write under an incarnation's origin, the node that began it.
    public let node: NodeID
    /// The node's name, when this node knows it (its own, or a peer's); else `nil`.
    public let nodeName: String?
}

/// The names of the nodes this replica knows (its own and its peers') and the node of each
/// incarnation's origin: what turns a change's origin and person into a ``WriteAuthor``.
/// Loaded once per read; small (one row per peer and per incarnation).
struct AuthorDirectory {
    private var nodeOfOrigin: [String: NodeID] = [:]
    private var names: [NodeID: String] = [:]
    private var originRows: [Int64: NodeID] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, node_id FROM origins") {
            if let node = NodeID(row["node_id"] as String) { originRows[row["id"]] = node }
        }
        for row in try Row.fetchAll(db, sql: "SELECT node_id, name FROM peers WHERE name IS NOT NULL") {
            if let node = NodeID(row["node_id"] as String) { names[node] = row["name"] }
        }
        if let row = try Row.fetchOne(db, sql: "SELECT node_id, name FROM node WHERE id = 1"),
            let node = NodeID(row["node_id"] as String)
        {
            names[node] = row["name"]
        }
        if try db.tableExists("incarnations") {
            for row in try Row.fetchAll(db, sql: "SELECT origin, node_id FROM incarnations") {
                if let node = NodeID(row["node_id"] as String) { nodeOfOrigin[row["origin"]] = node }
            }
        }
    }

    /// The node of an origin: itself, or the node whose incarnation it is.
    func node(ofOrigin origin: NodeID) -> NodeID {
        nodeOfOrigin[origin.description] ?? origin
    }

    /// The author of a change under `origin` that carries `person`.
    func author(origin: NodeID, person: String?) -> WriteAuthor {
        let node = node(ofOrigin: origin)
        let name = names[node]
        return WriteAuthor(
            person: person ?? name.map(PersonName.standingFor(node:)) ?? node.short,
            personRecorded: person != nil,
            node: node,
            nodeName: name
        )
    }

    /// The author of a change logged under the origin row `origin`.
    func author(originRow origin: Int64, person: String?) throws -> WriteAuthor {
        guard let node = originRows[origin] else { throw ReplicationError(.corrupt, "unknown origin row \(origin)") }
        return author(origin: node, person: person)
    }
}

extension Replica {
    /// Who made each entity: the author of the first applied change of its id, by the
    /// `(entity_id, field)` index. Ids the replica holds no applied change of are left out.
    public func creators(of ids: [EntityID]) throws -> [EntityID: WriteAuthor] {
        try pool.read { db in
            let directory = try AuthorDirectory(db)
            let statement = try db.cachedStatement(
                sql: """
                    SELECT c.origin, c.person FROM changes c
                    WHERE c.entity_id = ?
                        AND NOT EXISTS (SELECT 1 FROM held_changes h WHERE h.change = c.local_order)
                    ORDER BY c.local_order LIMIT 1
                    """
            )
            var result: [EntityID: WriteAuthor] = [:]
            for id in ids {
                guard let row = try Row.fetchOne(statement, arguments: [id.description]) else { continue }
                result[id] = try directory.author(originRow: row["origin"], person: row["person"])
            }
            return result
        }
    }
}
