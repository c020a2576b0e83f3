import Foundation
import Logging
import Replication

/// Decides when to sync with each peer: all of them at start, each again `interval` after
/// its last success, sooner after the replica changed (debounced), and after a failure with
/// an exponential back-off (1 s, 2 s, 4 s, … up to `interval`).
struct SyncScheduler: Sendable {
    let engine: SyncEngine
    let interval: Duration
    let debounce: Duration
    let logger: Logger
    let tick: Duration = .milliseconds(200)

    /// Per-peer timing, shared by the peers' sync tasks.
    actor Timetable {
        struct Entry {
            var due: ContinuousClock.Instant
            var failures = 0
            var running = false
        }
        private var entries: [NodeID: Entry] = [:]

        /// Peers due now (marked running), given the peers that can be dialled.
        func due(among peers: [NodeID], now: ContinuousClock.Instant) -> [NodeID] {
            var result: [NodeID] = []
            for peer in peers {
                var entry = entries[peer] ?? Entry(due: now)
                if !entry.running && entry.due <= now {
                    entry.running = true
                    result.append(peer)
                }
                entries[peer] = entry
            }
            for peer in Array(entries.keys) where !peers.contains(peer) { entries[peer] = nil }
            return result
        }

        func finished(_ peer: NodeID, ok: Bool, interval: Duration, now: ContinuousClock.Instant) {
            guard var entry = entries[peer] else { return }
            entry.running = false
            if ok {
                entry.failures = 0
                entry.due = now + interval
            } else {
                entry.failures += 1
                let backoff = Duration.seconds(1 << min(entry.failures - 1, 16))
                entry.due = now + min(backoff, interval)
            }
            entries[peer] = entry
        }

        /// Makes every peer due now (the replica changed).
        func hurry(now: ContinuousClock.Instant) {
            for (peer, entry) in entries where !entry.running {
                entries[peer]?.due = min(entry.due, now)
            }
        }
    }

    func run() async {
        let timetable = Timetable()
        var lastCount = (try? engine.home.replica.versionVector().count) ?? 0
        var changedAt: ContinuousClock.Instant?
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if let count = try? engine.home.replica.versionVector().count, count != lastCount {
                    lastCount = count
                    changedAt = now
                }
                if let changed = changedAt, now - changed >= debounce {
                    changedAt = nil
                    await timetable.hurry(now: now)
                }
                let peers = ((try? engine.home.replica.trustedPeers()) ?? []).filter { $0.address != nil }
                let due = await timetable.due(among: peers.map(\.nodeID), now: now)
                for peer in peers where due.contains(peer.nodeID) {
                    group.addTask {
                        let result = await engine.sync(with: peer)
                        await timetable.finished(peer.nodeID, ok: result.ok, interval: interval, now: .now)
                    }
                }
                try? await Task.sleep(for: tick)
            }
        }
    }
}
