import ArgumentParser
import Foundation
import Logging
import Model
import NIOCore
import Node
import Replication
import ServiceLifecycle

struct ServeCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the node in the foreground: accept trusted peers and keep in sync with every known peer.",
        discussion: """
            Syncs with every known peer on start, every interval and soon after local changes; \
            stops cleanly on SIGINT/SIGTERM. The first start on an empty data folder initialises the node. \
            While running, the bound address is in DATA/serve.address. The default listens on every \
            interface (0.0.0.0).

            Example: nodectl serve --listen 127.0.0.1:7421 --interval 30 --data ~/laptop
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: "Where to listen for peers: HOST:PORT (port 0 picks a free port).") var listen = "0.0.0.0:7420"
    @Option(help: "Seconds between syncs with each peer.") var interval: Double = 60

    func execute() async throws {
        guard let address = PeerAddress(listen, allowAnyPort: true) else {
            throw UsageError("'\(listen)' is not HOST:PORT")
        }
        let host = address.host
        let port = address.port
        guard interval > 0, interval.isFinite else {
            throw UsageError("--interval must be a positive number of seconds")
        }
        let logger = Logger(label: "nextsoft.node")
        let home: NodeHome
        if NodeHome.exists(at: data.url) {
            home = try data.open()
        } else {
            home = try NodeHome.initialize(at: data.url, name: nil)
            Output.diagnostic("nodectl: initialised a new node in \(data.url.path): \(home.nodeID)")
        }
        // Held until serve returns: a second serve on this folder refuses to start.
        let lock = try ServeLock(folder: data.url)
        defer { withExtendedLifetime(lock) {} }
        let engine = SyncEngine(home: home, logger: logger)
        let addressFile = data.url.appendingPathComponent("serve.address")
        let service = NodeService(
            engine: engine,
            host: host,
            port: port,
            interval: .milliseconds(Int64(interval * 1000)),
            logger: logger,
            onBound: { address in
                let text = "\(address.ipAddress ?? host):\(address.port ?? port)"
                try? Data((text + "\n").utf8).write(to: addressFile, options: .atomic)
                Output.diagnostic("nodectl: node \(home.nodeID) listening on \(text)")
            }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { try? FileManager.default.removeItem(at: addressFile) }
        try await group.run()
        Output.diagnostic("nodectl: stopped")
    }
}

struct SyncCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "One full exchange (both directions, documents included) with the named peers, or all known ones.",
        discussion: "Example: nodectl sync hq --json"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Argument(help: "Peers by node id or name (default: every trusted peer not revoked).") var peers: [String] = []

    func execute() async throws {
        let home = try data.open()
        let targets = try peers.isEmpty ? home.replica.trustedPeers() : peers.map { try home.replica.peer($0) }
        guard !targets.isEmpty else {
            throw UsageError("no peers to sync with (nodectl peer add NODE_ID --address HOST:PORT)")
        }
        let engine = SyncEngine(
            home: home,
            logger: Logger(label: "nextsoft.sync", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        var results: [PeerSyncResult] = []
        for peer in targets {
            let label = peer.name ?? peer.nodeID.short
            let result = await engine.sync(with: peer) { summary in
                Output.diagnostic(
                    "nodectl: \(label): sent \(summary.changesSent), received \(summary.changesReceived) changes"
                )
            }
            if let error = result.error, !result.ok {
                Output.diagnostic("nodectl: error: sync with \(label) failed: \(error)")
            }
            results.append(result)
        }
        for result in results {
            let label = result.name ?? result.nodeID.short
            for digest in result.documentsRejected {
                Output.diagnostic(
                    "nodectl: warning: \(label) sent bytes for document \(digest.prefix(12)) that do not match it; discarded, asked again next sync"
                )
            }
            for digest in result.documentsDamagedHere {
                Output.diagnostic(
                    "nodectl: warning: the bytes of document \(digest.prefix(12)) are damaged here; set aside in blobs/damaged/, fetched again from a peer next sync"
                )
            }
        }
        if json.enabled {
            Output.json(.object([("peers", .array(results.map(Self.view)))]))
        } else {
            Output.table(
                ["PEER", "OK", "SENT", "RECEIVED", "BYTES OUT", "BYTES IN", "CONFLICTS", "ERROR"],
                results.map {
                    [
                        $0.name ?? $0.nodeID.short, $0.ok ? "yes" : "no", String($0.sent), String($0.received),
                        ByteSize.text(Int64($0.bytesSent)), ByteSize.text(Int64($0.bytesReceived)),
                        String($0.conflicts), $0.error ?? "",
                    ]
                }
            )
        }
        if results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    static func view(_ result: PeerSyncResult) -> JSONValue {
        .object([
            ("nodeId", .string(result.nodeID.description)),
            ("name", .optional(result.name)),
            ("ok", .bool(result.ok)),
            ("sent", .number(Int64(result.sent))),
            ("received", .number(Int64(result.received))),
            ("bytesSent", .number(Int64(result.bytesSent))),
            ("bytesReceived", .number(Int64(result.bytesReceived))),
            ("payloadBytesSent", .number(Int64(result.payloadBytesSent))),
            ("payloadBytesReceived", .number(Int64(result.payloadBytesReceived))),
            ("conflicts", .number(Int64(result.conflicts))),
            ("documents", .number(Int64(result.documentsReceived))),
            ("documentsRejected", .array(result.documentsRejected.map(JSONValue.string))),
            ("documentsDamagedHere", .array(result.documentsDamagedHere.map(JSONValue.string))),
            ("seconds", .string(String(format: "%.3f", result.seconds))),
            ("error", .optional(result.error)),
        ])
    }
}
