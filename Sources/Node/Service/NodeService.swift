import Foundation
import Logging
import NIOCore
import Replication
import ServiceLifecycle

/// The running node: a TLS listener that serves trusted peers, a scheduler that syncs with
/// every known peer on start, every `interval`, and soon after the replica changes, and the
/// daily recomputation of credit ratings (``DailyRatings``).
///
/// A `Service`: run it in a `ServiceGroup`, which stops it on SIGINT/SIGTERM. Stopping cancels
/// the listener and the sessions; a batch being applied is one SQLite transaction, so it lands
/// whole or not at all.
///
/// ```swift
/// let service = NodeService(engine: engine, host: "0.0.0.0", port: 7420, interval: .seconds(60), logger: logger)
/// try await ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
public struct NodeService: Service {
    let engine: SyncEngine
    let host: String
    let port: Int
    let interval: Duration
    let debounce: Duration
    let logger: Logger
    let onBound: @Sendable (SocketAddress) -> Void

    public init(
        engine: SyncEngine,
        host: String,
        port: Int,
        interval: Duration,
        debounce: Duration = .seconds(1),
        logger: Logger,
        onBound: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.engine = engine
        self.host = host
        self.port = port
        self.interval = interval
        self.debounce = debounce
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        let engine = self.engine
        let listener = SyncListener<SyncMessage, SyncMessage>(
            host: host,
            port: port,
            identity: engine.home.identity,
            verifier: { engine.verifier() },
            framing: SyncEngine.framing(counter: nil),
            timeouts: engine.timeouts,
            logger: logger
        )
        let scheduler = SyncScheduler(engine: engine, interval: interval, debounce: debounce, logger: logger)
        let ratings = DailyRatings(replica: engine.home.replica, logger: logger)
        let onBound = self.onBound
        // The day's ratings are recorded once the node listens: a serve that cannot bind its
        // port says so in one line and does nothing else.
        let (listening, nowListening) = AsyncStream<Void>.makeStream()
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    try await listener.run(onBound: { address in
                        onBound(address)
                        nowListening.yield()
                        nowListening.finish()
                    }) { connection in await engine.serve(connection) }
                }
                group.addTask { await scheduler.run() }
                group.addTask {
                    for await _ in listening { break }
                    guard !Task.isCancelled else { return }
                    await ratings.run()
                }
            }
        }
    }
}
