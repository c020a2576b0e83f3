import Foundation
import GRDB
import Model

/// The customers assigned to one laptop, as the assignment records this replica holds decide.
public struct LaptopAssignments: Sendable, Hashable {
    public let node: NodeID
    /// The laptop's name: a trusted peer's name here, else the name its latest record gave.
    public let name: String
    /// In id order.
    public let customers: [EntityID]
}

extension Replica {
    /// Who holds which customers: every laptop with at least one customer assigned (or only
    /// `node`'s, also when it has none), by name then id. For a laptop and a customer the
    /// latest record decides (by its `at`, then its id): the `assignments` view.
    public func assignments(of node: NodeID? = nil) throws -> [LaptopAssignments] {
        try pool.read { db in
            var customers: [String: [EntityID]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT node, customer_id FROM assignments WHERE ?1 IS NULL OR node = ?1 ORDER BY node, customer_id
                    """,
                arguments: [node?.description]
            ) {
                guard let customer = EntityID(row["customer_id"] as String) else { continue }
                customers[row["node"], default: []].append(customer)
            }
            var nodes = Set(customers.keys)
            if let node { nodes.insert(node.description) }
            var result: [LaptopAssignments] = []
            for text in nodes {
                guard let id = NodeID(text) else { continue }
                let name =
                    try String.fetchOne(db, sql: "SELECT name FROM peers WHERE node_id = ?", arguments: [text])
                    ?? String.fetchOne(
                        db,
                        sql:
                            "SELECT node_name FROM assignment_records WHERE node = ? ORDER BY at DESC, id DESC LIMIT 1",
                        arguments: [text]
                    ) ?? id.short
                result.append(LaptopAssignments(node: id, name: name, customers: customers[text] ?? []))
            }
            return result.sorted {
                ($0.name.lowercased(), $0.node.description) < ($1.name.lowercased(), $1.node.description)
            }
        }
    }
}
