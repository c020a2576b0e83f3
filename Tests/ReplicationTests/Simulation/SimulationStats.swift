/// How often a run took each path.
struct SimulationStats: Equatable, CustomStringConvertible {
    var replicas = 0
    var operations = 0
    var localWrites = 0
    var noOpWrites = 0
    var refusedWrites = 0
    var batchesSent = 0
    var batchesApplied = 0
    var batchesRefused = 0
    var duplicateChanges = 0
    var conflictsOpened = 0
    var resolutions = 0
    var concurrentAddRemoves = 0
    var reopens = 0
    var clocksSetBack = 0
    /// Wall clocks set wrong (up to 20 minutes off) or right again while a node ran.
    var clockJumps = 0
    var finalConflicts = 0
    var addWinsSurvivors = 0
    /// Replicas that started on the preview release.
    var previewReplicas = 0
    /// Local writes only the preview release understands.
    var previewWrites = 0
    /// Preview writes a standard replica logged and held.
    var previewHeld = 0
    /// Preview writes a preview replica applied, received from a standard one.
    var previewForwarded = 0
    /// Standard replicas reopened on the preview release, and the held writes that then applied.
    var upgrades = 0
    var upgradeApplied = 0
    /// Batches a hostile relay tampered with.
    var hostileBatches = 0
    /// Forged changes delivered, by what the receiver must do with them.
    var forgedOwnOrigin = 0
    var forgedRule = 0
    var forgedMalformed = 0
    /// Changes a relay renumbered (to a sequence number far ahead) or dropped.
    var renumbered = 0
    var dropped = 0
    /// Changes parked for a gap in their origin's numbers, then appended once it filled.
    var parkedFilled = 0
    /// Backups taken of running nodes; nodes restored from one; copies of a running node's
    /// folder started beside it.
    var backups = 0
    var restores = 0
    /// Writes a restored node had made after its backup and sent to no one (gone with its disk).
    var lostInRestores = 0
    var clones = 0
    /// Nodes named clones at the end: copies that ran beside their original, and restored
    /// nodes (whose clock read earlier than their writes after the backup).
    var clonesNamed = 0
    var restoresNamedClones = 0
    /// Revocations written; changes held on some node for one; writes a revoked node refused.
    var revocations = 0
    var revokedHeld = 0
    var revokedRefusals = 0
    /// Contacts removed and brought back; removals made while another node edited the
    /// contact; removal conflicts open at the end.
    var removals = 0
    var contactRestores = 0
    var concurrentRemovals = 0
    var removalConflicts = 0
    // Reclamation by acknowledgement.
    var acknowledgements = 0
    var reclaimed = 0
    /// Customer merges written; those following an earlier merge (of the kept customer or the
    /// duplicate); merges refused (a customer into itself, or back into one merged into it);
    /// merges that wrote nothing (made already); merges made while a node apart had merged the
    /// two the other way round, and pairs written so on purpose; merges in force at the end that
    /// changed nothing (the later of a crossed pair, the same merge made twice apart).
    var merges = 0
    var chainedMerges = 0
    var mergesRefused = 0
    var repeatedMerges = 0
    var oppositeMergesApart = 0
    var concurrentOppositeMerges = 0
    var mergesWithoutEffect = 0
    /// Merges whose id is earlier than a merge their writer had seen (its clock held back at
    /// the drift bound): taken before it.
    var mergesBeforeSeen = 0
    /// Writes to a merged customer by a node that had heard of the merge, and by one that had not.
    var duplicateWritesAfterMerge = 0
    var duplicateWritesBeforeMerge = 0

    mutating func add(_ other: SimulationStats) {
        replicas += other.replicas
        operations += other.operations
        localWrites += other.localWrites
        noOpWrites += other.noOpWrites
        refusedWrites += other.refusedWrites
        batchesSent += other.batchesSent
        batchesApplied += other.batchesApplied
        batchesRefused += other.batchesRefused
        duplicateChanges += other.duplicateChanges
        conflictsOpened += other.conflictsOpened
        resolutions += other.resolutions
        concurrentAddRemoves += other.concurrentAddRemoves
        reopens += other.reopens
        backups += other.backups
        restores += other.restores
        lostInRestores += other.lostInRestores
        clones += other.clones
        clonesNamed += other.clonesNamed
        restoresNamedClones += other.restoresNamedClones
        revocations += other.revocations
        revokedHeld += other.revokedHeld
        revokedRefusals += other.revokedRefusals
        clocksSetBack += other.clocksSetBack
        clockJumps += other.clockJumps
        finalConflicts += other.finalConflicts
        addWinsSurvivors += other.addWinsSurvivors
        previewReplicas += other.previewReplicas
        previewWrites += other.previewWrites
        previewHeld += other.previewHeld
        previewForwarded += other.previewForwarded
        upgrades += other.upgrades
        upgradeApplied += other.upgradeApplied
        hostileBatches += other.hostileBatches
        forgedOwnOrigin += other.forgedOwnOrigin
        forgedRule += other.forgedRule
        forgedMalformed += other.forgedMalformed
        renumbered += other.renumbered
        dropped += other.dropped
        parkedFilled += other.parkedFilled
        removals += other.removals
        contactRestores += other.contactRestores
        concurrentRemovals += other.concurrentRemovals
        removalConflicts += other.removalConflicts
        acknowledgements += other.acknowledgements
        reclaimed += other.reclaimed
        merges += other.merges
        chainedMerges += other.chainedMerges
        mergesRefused += other.mergesRefused
        repeatedMerges += other.repeatedMerges
        oppositeMergesApart += other.oppositeMergesApart
        concurrentOppositeMerges += other.concurrentOppositeMerges
        mergesWithoutEffect += other.mergesWithoutEffect
        mergesBeforeSeen += other.mergesBeforeSeen
        duplicateWritesAfterMerge += other.duplicateWritesAfterMerge
        duplicateWritesBeforeMerge += other.duplicateWritesBeforeMerge
    }

    var description: String {
        """
        \(replicas) replicas (\(previewReplicas) on the preview release), \(operations) operations, \
        \(localWrites) writes (\(noOpWrites) no-ops, \(refusedWrites) refused, \(previewWrites) preview), \
        \(batchesSent) batches sent, \(batchesApplied) applied, \(batchesRefused) refused, \
        \(duplicateChanges) duplicate changes skipped, \(conflictsOpened) conflicts opened, \(resolutions) resolved, \
        \(finalConflicts) left open, \(concurrentAddRemoves) concurrent add/removes, \(addWinsSurvivors) add-wins \
        survivors, \(reopens) reopens (\(clocksSetBack) with the clock set back, \(upgrades) upgrades applying \
        \(upgradeApplied) held writes), \(clockJumps) clock jumps, \(previewHeld) preview writes held, \(previewForwarded) forwarded to a \
        preview node, \(hostileBatches) batches through a hostile relay: \(forgedOwnOrigin) own-origin, \
        \(forgedRule) rule-breaking and \(forgedMalformed) malformed forgeries, \(renumbered) renumbered, \
        \(dropped) dropped, \(parkedFilled) parked changes appended once the gap filled, \(backups) backups, \
        \(restores) restores (\(lostInRestores) writes never sent gone with them), \(clones) clones (named: \(clonesNamed) clones, \(restoresNamedClones) restores), \
        \(revocations) revocations (\(revokedHeld) changes held for one, \(revokedRefusals) writes refused), \
        \(removals) contacts removed (\(concurrentRemovals) while edited elsewhere, \(removalConflicts) removal conflicts \
        left open), \(contactRestores) restored, \(acknowledgements) acknowledgements heard, \(reclaimed) removed \
        elements' rows reclaimed, \
        \(merges) customer merges (\(chainedMerges) chained, \(mergesRefused) \
        refused, \(repeatedMerges) made already, \(oppositeMergesApart) opposite to one made apart, \(concurrentOppositeMerges) \
        opposite pairs, \(mergesWithoutEffect) without effect at the end, \(mergesBeforeSeen) with an id earlier than \
        one seen), writes to a merged customer \
        (\(duplicateWritesAfterMerge) after the writer heard of the merge, \(duplicateWritesBeforeMerge) before)
        """
    }
}
