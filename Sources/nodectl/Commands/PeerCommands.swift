import ArgumentParser
import Foundation
import Node
import Replication

struct PeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Trust, list and forget peers.",
        discussion: "Example: nodectl peer list",
        subcommands: [Add.self, List.self, Remove.self, Revoke.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust a peer (pinned by its id) and, with an address, record where to reach it.",
            discussion: """
                The name is stored without surrounding spaces.

                Example: nodectl peer add NODE_ID --name laptop --address laptop.example.lan:7420 --role laptop
                """
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The peer's node id, as 'nodectl id' prints it there.") var nodeID: String
        @Option(help: "Where to reach it: HOST:PORT.") var address: String?
        @Option(help: "A short name for it.") var name: String?
        @Option(
            help: "What it is: office or laptop (default office for a new peer); its hello must say the same."
        )
        var role: String?

        func execute() async throws {
            let id = try parseNodeID(nodeID)
            let name = name?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let name, name.isEmpty { throw UsageError("--name is empty (leave it out for no name)") }
            if let address { try validateAddress(address) }
            let role = try role.map(parseRole)
            let home = try data.open()
            try home.replica.addPeer(id, name: name, address: address, role: role)
            let trusted = try home.replica.peer(id.description)
            Output.diagnostic("Trusted peer \(name.map { "\($0) " } ?? "")\(id) as \(trusted.role)")
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Known peers, last successful sync, last error.",
            discussion: "Example: nodectl peer list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let peers = try data.open().replica.peers()
            if json.enabled {
                Output.json(.array(peers.map(Views.peer)))
            } else if peers.isEmpty {
                Output.line("No peers. Trust one with 'nodectl peer add NODE_ID --address HOST:PORT'.")
            } else {
                Output.table(
                    ["NODE ID", "NAME", "ROLE", "ADDRESS", "LAST SYNC", "REVOKED", "LAST ERROR"],
                    whole: [0],
                    peers.map {
                        [
                            $0.nodeID.description, $0.name ?? "", $0.role.rawValue, $0.address ?? "",
                            $0.lastSync ?? "never", $0.revoked ?? "", $0.lastError ?? "",
                        ]
                    }
                )
            }
        }
    }

    struct Remove: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget and distrust a peer.",
            discussion: "Example: nodectl peer remove laptop"
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The peer's node id or name.") var peer: String

        func execute() async throws {
            let home = try data.open()
            let found = try home.replica.peer(peer)
            try home.replica.removePeer(found.nodeID.description)
            Output.diagnostic("Forgot peer \(found.nodeID)")
        }
    }

    struct Revoke: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a node for the whole fleet (a stolen laptop): a signed record that replicates.",
            discussion: """
                Only an office can revoke. Every node the revocation reaches refuses the node's \
                connections; its changes made after the revocation are held on every node \
                ('nodectl held list', reason revoked) until an office accepts or drops them. \
                --reason - reads the reason from standard input, --reason-file FILE from a file.

                Example: nodectl peer revoke laptop --reason "stolen from the car on 2026-12-01"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The node's id, or the name of a trusted peer.") var node: String
        @Option(help: "Why (recorded in the revocation; '-': read standard input).") var reason: String?
        @Option(name: .customLong("reason-file"), help: "Read the reason from this file.") var reasonFile: String?

        func validate() throws { try requireOption(reason, reasonFile, "reason") }

        func execute() async throws {
            let who = try person.resolved()
            var input = LongTextInput()
            guard let reason = try input.text(reason, file: reasonFile, option: "reason") else {
                throw UsageError("say why: --reason TEXT, --reason - (standard input) or --reason-file FILE")
            }
            try requireText(reason, "--reason")
            let home = try data.open()
            let id: NodeID
            if let peer = try? home.replica.peer(node) {
                id = peer.nodeID
            } else if let parsed = NodeID(node) {
                id = parsed
            } else {
                throw UsageError("'\(node)' is neither a node id nor the name of a trusted peer")
            }
            let revocation = try home.replica.revoke(
                id,
                reason: reason,
                signer: home.identity.revocationSigner,
                as: who
            )
            Output.diagnostic(
                "Revoked node \(id) at \(revocation.revokedAt); the revocation reaches the fleet with the next syncs"
            )
        }
    }
}

/// Refuses an address that is not HOST:PORT with a port in 1...65535.
func validateAddress(_ address: String) throws {
    guard PeerAddress(address) != nil else { throw UsageError("'\(address)' is not HOST:PORT") }
}
