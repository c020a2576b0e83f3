import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct InitCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the replica and the node identity (key + self-signed certificate) in the data folder.",
        discussion: "Example: nodectl init --name hq --country GB --currency GBP --data /srv/hq"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Option(help: "The node's name (default: the host name).") var name: String?
    @Option(help: "The country whose address and phone formats are the default (ISO code).") var country = "US"
    @Option(help: "What the node is: office (a branch or head office) or laptop (a field machine).")
    var role = "office"
    @Option(help: "The currency this node issues documents in (ISO 4217 code).") var currency = "USD"

    func execute() async throws {
        guard let code = CountryCode(rawValue: country) else {
            throw UsageError("'\(country)' is not a two-letter country code")
        }
        let role = try parseRole(role)
        let currency: CurrencyCode
        do { currency = try CurrencyCode(self.currency) } catch let error as ModelError {
            throw UsageError("--currency: \(error.message)")
        }
        let given = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let given, given.isEmpty { throw UsageError("--name is empty (leave it out for the host name)") }
        let home = try NodeHome.initialize(
            at: data.url,
            name: given,
            defaultCountry: code,
            currency: currency,
            role: role
        )
        let name = try home.replica.name()
        if json.enabled {
            Output.json(Views.node(home.nodeID, name: name))
        } else {
            Output.line("Initialised node \(name) in \(data.url.path)")
            Output.line("Node id: \(home.nodeID)")
        }
    }
}

struct IdCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Print this node's id.",
        discussion: "Example: nodectl id --data /srv/hq"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption

    func execute() async throws {
        let home = try data.open()
        let name = try home.replica.name()
        if json.enabled {
            Output.json(Views.node(home.nodeID, name: name))
        } else {
            Output.line(home.nodeID.description)
        }
    }
}

struct StatusCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "This node: id, counts, open conflicts, per-peer state.",
        discussion: """
            LAG is how many changes this node holds that the peer was last known not to have.
            Removed set elements (a phone, an e-mail, a category) are kept until every node
            acknowledged their removal; the line says which nodes it still waits for.

            Example: nodectl status --json
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption

    func execute() async throws {
        let home = try data.open()
        let name = try home.replica.name()
        let counts = try home.replica.counts()
        let peers = try home.replica.peers()
        let vector = try home.replica.versionVector()
        let held = try home.replica.heldCount()
        let exceptions = try home.replica.businessExceptions().count
        let clones = try home.replica.clones()
        let restoredAt = try home.replica.restoredAt()
        let role = try home.replica.role()
        let revokedHere = try home.replica.revocations().first { $0.node == home.nodeID }
        let reclamation = try home.replica.reclamationStatus()
        var peerRestores: [NodeID: String] = [:]
        for peer in peers { peerRestores[peer.nodeID] = try home.replica.restoredAt(of: peer.nodeID) }
        if json.enabled {
            Output.json(
                .object([
                    ("nodeId", .string(home.nodeID.description)),
                    ("name", .string(name)),
                    ("version", .string(home.replica.schema.release)),
                    ("role", .string(role.rawValue)),
                    ("currency", .string(try home.replica.currency().code)),
                    ("revoked", .optional(revokedHere?.revokedAt)),
                    ("customers", .number(Int64(counts.customers))),
                    ("contacts", .number(Int64(counts.contacts))),
                    ("journalEntries", .number(Int64(counts.journal))),
                    ("documents", .number(Int64(counts.documents))),
                    ("changes", .number(Int64(counts.changes))),
                    ("openConflicts", .number(Int64(counts.conflicts))),
                    ("held", .number(Int64(held))),
                    ("businessExceptions", .number(Int64(exceptions))),
                    ("restoredAt", .optional(restoredAt)),
                    ("clones", .array(clones.map { JSONValue.string($0.node.description) })),
                    (
                        "reclamation",
                        .object([
                            ("kept", .number(Int64(reclamation.kept))),
                            ("reclaimed", .number(Int64(reclamation.reclaimed))),
                            ("waitingFor", .array(reclamation.waitingFor.map { JSONValue.string($0.description) })),
                        ])
                    ),
                    ("peers", .array(peers.map { peerStatus($0, local: vector, restoredAt: peerRestores[$0.nodeID]) })),
                ])
            )
            return
        }
        Output.line(
            "Node \(name)  \(home.nodeID)  \(role)  release \(home.replica.schema.release)  \(try home.replica.currency())"
        )
        if let revokedHere {
            Output.line(
                "this node was revoked for the fleet at \(revokedHere.revokedAt) by office \(revokedHere.revokedBy.short) (\(revokedHere.reason)): its peers refuse it"
            )
        }
        Output.line(
            "\(counts.customers) customers, \(counts.contacts) contacts, \(counts.journal) journal entries, \(counts.documents) documents, \(counts.changes) changes"
        )
        Output.line("\(counts.conflicts) open conflicts")
        if held > 0 { Output.line("\(held) held changes (nodectl held list)") }
        if exceptions > 0 { Output.line("\(exceptions) business exceptions (nodectl exceptions list)") }
        if reclamation.kept > 0 {
            let waiting = reclamation.waitingFor.map(\.short).joined(separator: ", ")
            Output.line(
                "\(reclamation.kept) removed set elements kept until every node acknowledges their removal (waiting for \(waiting.isEmpty ? "this node's next sync" : waiting)); \(reclamation.reclaimed) reclaimed"
            )
        }
        if let restoredAt {
            Output.line("restored from a copy of its folder at \(restoredAt): its writes carry a new origin since")
        }
        for clone in clones {
            Output.line(
                "node \(clone.node.short) is a clone: two copies of it are writing (\(clone.changes) changes held; nodectl check)"
            )
        }
        if !peers.isEmpty {
            Output.table(
                ["PEER", "NAME", "ADDRESS", "RELEASE", "LAST SYNC", "LAG", "LAST ERROR"],
                whole: [0],
                peers.map {
                    [
                        $0.nodeID.short, $0.name ?? "", $0.address ?? "", $0.version ?? "?", $0.lastSync ?? "never",
                        String(lag($0, local: vector)), $0.lastError ?? "",
                    ]
                }
            )
        }
    }

    /// Changes this node holds that the peer was last known not to.
    private func lag(_ peer: Peer, local: VersionVector) -> UInt64 {
        local.entries.reduce(0) { $0 + ($1.value > peer.knownVector[$1.key] ? $1.value - peer.knownVector[$1.key] : 0) }
    }

    private func peerStatus(_ peer: Peer, local: VersionVector, restoredAt: String?) -> JSONValue {
        guard case .object(var members) = Views.peer(peer) else { return .null }
        members.append(("lag", .number(Int64(lag(peer, local: local)))))
        members.append(("peerVersion", .optional(peer.version)))
        members.append(("restoredAt", .optional(restoredAt)))
        return .object(members)
    }
}
