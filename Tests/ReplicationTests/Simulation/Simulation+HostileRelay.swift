import Foundation
import Model
import Replication

/// A relay that tampers with the honest batches it carries — it forges changes, renumbers one,
/// or drops some — and delivers them with their base unchanged (a base the receiver does not
/// hold is refused whole, by design, so lying about it gains nothing).
///
/// It forges only what the gate can catch without signatures:
/// - changes under the receiver's own origin beyond what it holds: kept aside, own-origin;
/// - changes that break the folder's rules, under an origin no node has: logged (so forwarded)
///   and held everywhere, rule: a value not in stored form (an e-mail address with an
///   upper-case domain, a phone labelled `Mobile: 1`, a document digest in upper case), an
///   entity's id written as another kind, a second journal record under an existing id (with
///   a later clock: the earlier of two records is the record, by design);
/// - numbers beyond bounds: a sequence number ≥ 2^63 is kept aside, a predecessor's ≥ 2^63 is
///   logged and held; both malformed.
///
/// Out of scope: without per-change signatures a relay can forge a plausible change of another
/// origin at that origin's next (or any later) sequence number, and no receiver can tell it
/// from the real one (issue 9 binds content to ids). So the relay never does: a renumbered
/// change goes 2^40 ahead, beyond anything its origin will write, and stays parked.
///
/// Nor can a receiver see a hole in the causal past of another origin's change (a change names
/// predecessors for its own field only): a change delivered without one its writer had seen is
/// applied out of causal order. So a drop removes a change together with the later changes in
/// the batch whose writers had seen it — except those of its own origin, which skip a number,
/// are parked, and must be appended once an honest exchange fills the gap.
extension Simulation {
    /// One exchange through the relay: up to three honest batches, each tampered with and
    /// delivered alone; after each, every forged change must be listed as held.
    func hostileExchange() throws {
        let pair = random.sample(Array(nodes.indices), count: 2)
        let (source, target) = (pair[0], pair[1])
        let maxChanges = random.int(2...6)
        let limit = random.int(1...3)
        var known = nodes[target].held
        var batches: [ChangeBatch] = []
        while batches.count < limit, let batch = try replica(source).nextBatch(after: known, maxChanges: maxChanges) {
            checkBatch(batch, from: source, known: known, maxChanges: maxChanges)
            batches.append(batch)
            known = known.advanced(by: batch)
        }
        stats.batchesSent += batches.count
        // With nothing to carry, the relay can still forge.
        if batches.isEmpty { batches = [ChangeBatch(base: nodes[target].held, changes: [])] }
        for batch in batches where !hasProblems {
            let (tampered, forged, label) = tamper(batch.changes, for: target)
            note(
                "n\(source) → hostile relay → n\(target): \(batch.changes.count) changes after \(batch.base), \(label)"
            )
            stats.hostileBatches += 1
            // Those that take a place in the log: rule breakers, and malformed predecessors.
            for (change, reason) in forged where reason == .rule || reason == .malformed { forgeries[change] = reason }
            guard try deliver([ChangeBatch(base: batch.base, changes: tampered)], to: target, from: source) else {
                continue
            }
            stats.forgedOwnOrigin += forged.filter { $0.reason == .ownOrigin }.count
            stats.forgedRule += forged.filter { $0.reason == .rule }.count
            stats.forgedMalformed += forged.filter { $0.reason == .malformed }.count
            try checkHeld(target)
        }
    }

    private func tamper(_ changes: [Change], for target: Int) -> (
        [Change], [(change: Change, reason: HeldReason)], String
    ) {
        let mode = changes.isEmpty ? 0 : random.weighted([4, 3, 3])
        if mode == 0 {
            let forged = forgeries(for: target)
            var tampered = changes
            var position = 0
            for (change, _) in forged {
                position = random.int(position...tampered.count)
                tampered.insert(change, at: position)
                position += 1
            }
            return (tampered, forged, "forged \(forged.map { "\($0.change.id) (\($0.reason.rawValue))" })")
        }
        let index = random.int(0...(changes.count - 1))
        var (kept, removed) = cut(changes, at: index)
        guard mode == 1 else {
            stats.dropped += removed.count
            return (kept, [], "dropped \(removed.map(\.id))")
        }
        var renumbered = changes[index]
        renumbered.seq += 1 << 40
        kept.insert(renumbered, at: index)
        stats.renumbered += 1
        stats.dropped += removed.count - 1
        return (
            kept, [], "renumbered \(changes[index].id) to \(renumbered.seq), dropped \(removed.dropFirst().map(\.id))"
        )
    }

    /// The batch without `changes[index]` and without every later change of another origin
    /// whose writer had seen a removed one.
    private func cut(_ changes: [Change], at index: Int) -> (kept: [Change], removed: [Change]) {
        var kept = Array(changes[..<index])
        var removed = [changes[index]]
        for change in changes[(index + 1)...] {
            let context = oracle.write(change.id)?.context ?? VersionVector()
            if removed.contains(where: { $0.origin != change.origin && context.contains($0.id) }) {
                removed.append(change)
            } else {
                kept.append(change)
            }
        }
        return (kept, removed)
    }

    /// One to three forged changes for node `target`, with what it must do with each; the
    /// rule-breaking ones share one new origin and are numbered 1, 2, ... in order.
    private func forgeries(for target: Int) -> [(change: Change, reason: HeldReason)] {
        let forger = random.nodeID()
        var forgerSeq: UInt64 = 0
        let latest = oracle.latestTime(holding: nodes[target].held)
        // Later than everything the target holds, within any clock's drift bound.
        let time = HybridTime(milliseconds: max(latest.milliseconds + 1, self.time.milliseconds), counter: 0)
        let customer = random.element(of: held(target, .customer))
        let contact = random.element(of: held(target, .contact))
        let journal = random.element(of: held(target, .journal))
        func change(
            _ origin: NodeID,
            _ seq: UInt64,
            _ kind: EntityKind,
            _ id: EntityID,
            _ field: String,
            _ operation: Replication.Operation,
            _ value: String?,
            _ predecessors: [WriteID] = []
        ) -> Change {
            Change(
                origin: origin,
                seq: seq,
                time: time,
                entity: kind,
                entityID: id,
                field: field,
                operation: operation,
                value: value,
                predecessors: predecessors
            )
        }
        func rule(
            _ kind: EntityKind,
            _ id: EntityID,
            _ field: String,
            _ operation: Replication.Operation,
            _ value: String?
        )
            -> (Change, HeldReason)
        {
            forgerSeq += 1
            return (change(forger, forgerSeq, kind, id, field, operation, value), .rule)
        }
        let beyond = UInt64(1) << 63
        var forged: [(change: Change, reason: HeldReason)] = []
        for _ in 0..<random.int(1...3) {
            switch random.int(0...7) {
            case 3 where customer != nil:
                forged.append(rule(.customer, customer!.id, "email", .assign, "Info@ACME.Example"))
            case 4 where contact != nil:
                forged.append(rule(.contact, contact!.id, "phones", .add, "Mobile: 1"))
            case 5 where customer != nil:
                forged.append(rule(.document, unknownID(), "", .record, forgedDocument(for: customer!.id, at: time)))
            case 6 where customer != nil || contact != nil:
                let entity = (random.chance(0.5) ? customer : contact) ?? customer ?? contact!
                let other: EntityKind = entity.kind == .customer ? .contact : .customer
                forged.append(rule(other, entity.id, "name", .assign, "Wrong Kind"))
            case 7 where journal != nil:
                let record = oracle.write(journal!.creation)?.value
                forged.append(rule(.journal, journal!.id, "", .record, record.flatMap(secondRecord)))
            case 1:
                let predecessor = WriteID(origin: random.nodeID(), seq: beyond + UInt64(random.int(0...9)))
                let id = customer?.id ?? unknownID()
                forged.append(
                    (change(random.nodeID(), 1, .customer, id, "notes", .assign, "forged", [predecessor]), .malformed)
                )
            case 2:
                let seq = beyond + UInt64(random.int(0...9))
                forged.append((change(random.nodeID(), seq, .customer, unknownID(), "notes", .assign, "x"), .malformed))
            default:
                let origin = nodes[target].origin
                let seq = nodes[target].held[origin] + UInt64(random.int(1...3))
                let id = customer?.id ?? unknownID()
                forged.append((change(origin, seq, .customer, id, "notes", .assign, "forged"), .ownOrigin))
            }
        }
        return forged
    }

    /// A valid document record but for its digest, in upper case.
    private func forgedDocument(for customer: EntityID, at time: HybridTime) -> String? {
        let record: [String: Any] = [
            "addedAt": Timestamp.format(time.date), "addedBy": "relay", "customerId": customer.description,
            "digest": "AB" + random.hex(62).uppercased(), "fileName": "forged.pdf", "mediaType": "application/pdf",
            "size": 1, "title": "forged",
        ]
        return json(record)
    }

    /// Another valid journal record under the same id: the same one with other notes.
    private func secondRecord(_ honest: String) -> String? {
        guard var record = try? JSONSerialization.jsonObject(with: Data(honest.utf8)) as? [String: Any] else {
            return nil
        }
        record["notes"] = "rewritten by a relay"
        return json(record)
    }

    private func json(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
