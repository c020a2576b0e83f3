import Foundation
import Replication

/// What an office streams to a laptop that announced ``Capabilities/scopeFeature``: first the
/// whole history, below the laptop's vector, of the customers granted to it that it does not
/// hold yet (a folder newly assigned), and of those it holds what lies above what it holds
/// whole; then the changes it lacks with those of other customers elided (docs/PROTOCOL.md,
/// "Laptops hold only their customers").
///
/// The history's changes are chosen once, at the first fetch, below what the laptop held when
/// it said hello; the session keeps them although they are below its vector
/// (``SyncSession/batchReady(_:)``), and the laptop fills them into its elided runs.
struct ScopedFeed {
    let grant: Set<String>
    /// Whether the sender is an office: it elides and sends history. A laptop sending to a
    /// laptop does neither: each origin's stream stops before the first change outside the
    /// grant (its word is not the fleet's).
    let office: Bool
    private var history: [Int64]
    private var position = 0

    /// `laptopHolds` and `laptopComplete`: what the laptop's hello says it holds whole, and
    /// through which vector. An office sends all of a newly granted folder below `known`, and of
    /// a folder the laptop holds what lies between `laptopComplete` and `known`.
    init(
        replica: Replica,
        grant: Set<String>,
        laptopHolds: Set<String>,
        laptopComplete: VersionVector = VersionVector(),
        known: VersionVector,
        office: Bool = true
    ) throws {
        self.grant = grant
        self.office = office
        guard office else {
            history = []
            return
        }
        let fresh = try replica.folderHistory(of: grant.subtracting(laptopHolds), below: known)
        let gaps = try replica.folderHistory(of: grant.intersection(laptopHolds), below: known, above: laptopComplete)
        history = Array(Set(fresh + gaps)).sorted()
    }

    /// The next batch for a laptop holding `known`, or `nil` when it lacks nothing more.
    mutating func next(
        _ replica: Replica,
        after known: VersionVector,
        maxChanges: Int,
        maxBytes: Int = 4 << 20
    ) throws -> ChangeBatch? {
        while position < history.count {
            let slice = history[position..<min(position + maxChanges, history.count)]
            // Cut by the bytes of the values as `nextBatch` does (at least one change), so that
            // every batch fits in one frame.
            // (A change taken back meanwhile is not there; one sent twice is applied once.)
            let fetched = try replica.changes(at: slice)
            var changes: [Change] = []
            var bytes = 0
            for change in fetched {
                bytes += 64 + change.field.utf8.count + (change.value?.utf8.count ?? 0)
                if !changes.isEmpty && bytes > maxBytes { break }
                changes.append(change)
            }
            position += changes.count == fetched.count ? slice.count : changes.count
            if !changes.isEmpty { return ChangeBatch(base: known, changes: changes) }
        }
        return try replica.nextBatch(after: known, maxChanges: maxChanges, scope: grant, elide: office)
    }
}
