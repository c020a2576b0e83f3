import Foundation
import GRDB
import Model

/// Customers assigned to a laptop or taken off it (``FolderSchema/assignment``).
struct AssignmentRecord: Codable {
    var node: String
    var nodeName: String
    var customers: [String]
    var action: String
    var at: String
    var madeBy: String
}

/// Assigning or unassigning customers.
public enum AssignmentAction: String, Sendable, CaseIterable {
    case assign, unassign
}

extension LocalWriter {
    /// Records that `customers` are assigned to (or taken off) the laptop `node`, named
    /// `nodeName` for people: one record per 1,000 customers, in this transaction. Each customer
    /// must exist (a customer merged into another is assigned as it is named: its folder
    /// follows the merge). Returns the records' ids. The caller checks that `node` is a laptop.
    @discardableResult
    public mutating func recordAssignment(
        _ action: AssignmentAction,
        customers: [EntityID],
        node: NodeID,
        nodeName: String
    ) throws -> [EntityID] {
        guard !customers.isEmpty else { throw ReplicationError(.invalidValue, "name at least one customer") }
        var unique: [EntityID] = []
        var seen = Set<EntityID>()
        for customer in customers where seen.insert(customer).inserted {
            try requireEntity(.customer, customer, inFolder: false)
            unique.append(customer)
        }
        let name = nodeName.trimmingCharacters(in: .whitespacesAndNewlines)
        var ids: [EntityID] = []
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + RecordList.maximumCount, unique.count)]
            start += chunk.count
            let record = AssignmentRecord(
                node: node.description,
                nodeName: name.isEmpty ? node.short : name,
                customers: chunk.map(\.description),
                action: action.rawValue,
                at: now,
                madeBy: ledger.person
            )
            let id = ledger.newEntityID()
            try append(.assignment, id, "", .record, try RecordJSON.encode(record), [])
            ids.append(id)
        }
        return ids
    }
}
