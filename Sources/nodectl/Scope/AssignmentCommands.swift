import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl assign`, `unassign` and `assignments`: which customers' folders each laptop holds.
/// Assignments are records an office makes; they replicate like any record.
enum Assignments {
    /// The laptop `idOrName` names: a peer this node trusts as a laptop, or the id of a node
    /// this one does not trust directly (a laptop that syncs through a branch); refused for
    /// this node itself, for an office, and for a name no trusted laptop has.
    static func laptop(_ idOrName: String, on replica: Replica) throws -> (NodeID, String) {
        if let peer = try? replica.peer(idOrName) {
            guard peer.role == .laptop else {
                throw UsageError(
                    "'\(idOrName)' is an office: offices hold every customer; assign customers to laptops"
                )
            }
            return (peer.nodeID, peer.name ?? peer.nodeID.short)
        }
        if let id = NodeID(idOrName) {
            guard id != replica.nodeID else {
                throw UsageError("'\(idOrName)' is this node, an office: offices hold every customer")
            }
            return (id, try replica.assignments(of: id).first?.name ?? id.short)
        }
        throw UsageError(
            "'\(idOrName)' is not a laptop this node trusts (nodectl peer add NODE_ID --role laptop --name NAME)"
        )
    }

    /// Refuses on a laptop: assignments are an office's decision.
    static func requireOffice(_ replica: Replica, _ verb: String) throws {
        if try replica.role() == .laptop {
            throw UsageError("this node is a laptop: customers are \(verb) on an office")
        }
    }

    static func customers(_ texts: [String]) throws -> [EntityID] {
        try texts.map { try parseEntityID($0, "customer") }
    }

    /// Records `action` for `texts` and the laptop `laptop` names, on an office, after the
    /// checks each action needs; returns the laptop's name.
    static func record(
        _ action: AssignmentAction,
        _ texts: [String],
        laptop: String,
        data: DataOptions,
        person: PersonOption
    ) throws -> String {
        let customers = try Self.customers(texts)
        let who = try person.resolved()
        let replica = try data.open().replica
        try requireOffice(replica, action == .assign ? "assigned" : "unassigned")
        let (node, name) = try Self.laptop(laptop, on: replica)
        switch action {
        case .assign:
            let holding = try replica.scopeGrant(for: node).union(customers.map(\.description))
            guard holding.count <= maximumLaptopCustomers else {
                throw UsageError(
                    "\(name) would hold \(holding.count) customers; a laptop holds at most \(maximumLaptopCustomers)"
                )
            }
        case .unassign:
            let held = Set(try replica.assignments(of: node).first?.customers ?? [])
            if let stray = customers.first(where: { !held.contains($0) }) {
                throw UsageError("customer \(stray) is not assigned to \(name)")
            }
        }
        try replica.write(as: who) {
            _ = try $0.recordAssignment(action, customers: customers, node: node, nodeName: name)
        }
        return name
    }
}

struct AssignCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign customers to a laptop: it then holds their folders (every tab, documents included).",
        discussion: """
            Made on an office; the assignment replicates, and the laptop receives the folders' \
            whole history at its next sync.

            Example: nodectl assign 01a2379b-51d1-7000-824d-31054e8b1893 --to van-3
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var person: PersonOption
    @Argument(help: "The customers' ids.") var customers: [String]
    @Option(help: "The laptop: its node id or the name it is trusted under.") var to: String

    func execute() async throws {
        let name = try Assignments.record(.assign, customers, laptop: to, data: data, person: person)
        Output.diagnostic(
            "Assigned \(customers.count) customer(s) to \(name); the laptop receives them at its next sync"
        )
    }
}

struct UnassignCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "unassign",
        abstract: "Take customers off a laptop: it receives no more of their changes.",
        discussion: """
            Made on an office; the record replicates. In this build the folders stay on the laptop \
            as they were (removing them once the laptop's writes are safe at an office is to come).

            Example: nodectl unassign 01a2379b-51d1-7000-824d-31054e8b1893 --from van-3
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var person: PersonOption
    @Argument(help: "The customers' ids.") var customers: [String]
    @Option(help: "The laptop: its node id or the name it is trusted under.") var from: String

    func execute() async throws {
        let name = try Assignments.record(.unassign, customers, laptop: from, data: data, person: person)
        Output.diagnostic(
            "Unassigned \(customers.count) customer(s) from \(name); it receives no more of their changes"
        )
    }
}

struct AssignmentsCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "assignments",
        abstract: "Who holds which customers: each laptop and the customers assigned to it.",
        discussion: "Example: nodectl assignments van-3 --json"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Argument(help: "Only this laptop (its node id or name).") var node: String?

    func execute() async throws {
        let replica = try data.open().replica
        let filter: NodeID?
        if let node {
            if let peer = try? replica.peer(node) {
                filter = peer.nodeID
            } else if let id = NodeID(node) {
                filter = id
            } else if let named = try replica.assignments().first(where: { $0.name == node }) {
                filter = named.node
            } else {
                throw UsageError("'\(node)' is neither a node id nor the name of a laptop")
            }
        } else {
            filter = nil
        }
        let laptops = try replica.assignments(of: filter)
        if json.enabled {
            Output.json(
                .array(
                    laptops.map { laptop in
                        .object([
                            ("nodeId", .string(laptop.node.description)), ("name", .string(laptop.name)),
                            ("customers", .array(laptop.customers.map { .string($0.description) })),
                        ])
                    }
                )
            )
            return
        }
        if laptops.isEmpty {
            Output.line("No customers are assigned to a laptop: every node holds every customer.")
            return
        }
        let names = try replica.read { db in
            var names: [EntityID: String] = [:]
            for laptop in laptops {
                for customer in laptop.customers {
                    names[customer] = try String.fetchOne(
                        db,
                        sql: "SELECT name FROM customers WHERE id = ?",
                        arguments: [customer.description]
                    )
                }
            }
            return names
        }
        for laptop in laptops {
            Output.line("\(laptop.name) (\(laptop.node.short)): \(laptop.customers.count) customer(s)")
            Output.table(
                ["ID", "NAME"],
                whole: [0],
                indent: "  ",
                laptop.customers.map { [$0.description, names[$0] ?? "(not held here)"] }
            )
        }
    }
}
