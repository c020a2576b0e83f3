import Foundation
import Model
import Replication

/// A customer merge as the simulation saw it written: its record, and the writer's wall clock.
struct OracleMerge {
    /// The record's id, and the change that wrote it.
    let id: EntityID
    let record: WriteID
    /// The customer the record keeps: where the typed one's folder showed on the writer.
    let keep: EntityID
    /// The customer typed as kept, and the duplicate as typed (the record names it so).
    let typedKeep: EntityID
    let duplicate: EntityID
    /// The writer's wall clock when it merged (`merged_at`).
    let mergedAt: UInt64
}

/// The oracle's merges, from docs/ARCHITECTURE.md ("Removal", `customer merge`) rather than
/// from the engine: the merges a replica applies whose two customers it has are in force,
/// taken in the order of their ids (an id begins with its writer's clock, later than all it had
/// seen), and each points the duplicate's final customer at the kept one's final customer; one
/// whose two customers end in the same one already changes nothing.
extension Oracle {
    /// Which of two merges is taken first: ids are fixed-width lower-case hex, so their text
    /// sorts as their clocks do.
    static func takenFirst(_ a: OracleMerge, _ b: OracleMerge) -> Bool { a.id.description < b.id.description }

    /// Every merged customer's final customer, and how many merges in force changed nothing.
    func resolveMerges(holding: Holding) -> (into: [EntityID: EntityID], withoutEffect: Int) {
        let customers = Set(entities(.customer, holding: holding).map(\.id))
        let inForce = merges.filter { merge in
            write(merge.record).map(holding.applies) == true && customers.contains(merge.keep)
                && customers.contains(merge.duplicate)
        }
        var pointer: [EntityID: EntityID] = [:]
        func final(_ id: EntityID) -> EntityID {
            var id = id
            while let next = pointer[id] { id = next }
            return id
        }
        var withoutEffect = 0
        for merge in inForce.sorted(by: Self.takenFirst) {
            let kept = final(merge.keep)
            let merged = final(merge.duplicate)
            if kept == merged {
                withoutEffect += 1
            } else {
                pointer[merged] = kept
            }
        }
        return (Dictionary(uniqueKeysWithValues: pointer.keys.map { ($0, final($0)) }), withoutEffect)
    }

    /// Every merged customer's final customer (the `merged_into` of its row).
    func finalCustomers(holding: Holding) -> [EntityID: EntityID] { resolveMerges(holding: holding).into }

    /// The customer whose folder `id` shows in: itself unless merged.
    func finalCustomer(_ id: EntityID, holding: Holding) -> EntityID { finalCustomers(holding: holding)[id] ?? id }
}

extension Simulation {
    /// The customer a write aimed at customer `id` goes to on node `n`: the one its folder
    /// shows in there.
    func finalCustomer(_ n: Int, _ id: EntityID) -> EntityID { oracle.finalCustomer(id, holding: holding(n)) }

    /// A node merges one customer it holds into another: two at random, a chain (one of them
    /// merged already), a customer into itself, an earlier merge again or the other way round.
    func mergeCustomers(_ n: Int) throws {
        let customers = held(n, .customer)
        guard customers.count >= 2 else { return try createCustomer(n) }
        let holding = holding(n)
        let finals = oracle.finalCustomers(holding: holding)
        let roll = random.int(0...99)
        let known = oracle.merges.filter { merge in
            customers.contains { $0.id == merge.typedKeep } && customers.contains { $0.id == merge.duplicate }
        }
        let entity = { (id: EntityID) in customers.first { $0.id == id } }
        if roll < 8, let customer = random.element(of: customers) {
            return try writeMerge(n, keep: customer, duplicate: customer)
        }
        if roll < 30, let earlier = random.element(of: known),
            let keep = entity(earlier.typedKeep), let duplicate = entity(earlier.duplicate)
        {
            // The same merge again, or the other way round (refused where the first is known).
            return random.chance(0.5)
                ? try writeMerge(n, keep: keep, duplicate: duplicate)
                : try writeMerge(n, keep: duplicate, duplicate: keep)
        }
        let merged = customers.filter { finals[$0.id] != nil }
        if roll < 55, let chained = random.element(of: merged), let other = random.element(of: customers) {
            return random.chance(0.5)
                ? try writeMerge(n, keep: chained, duplicate: other)
                : try writeMerge(n, keep: other, duplicate: chained)
        }
        let pair = random.sample(customers, count: 2)
        try writeMerge(n, keep: pair[0], duplicate: pair[1])
        // Sometimes a chain at once: the kept customer merged on, or a third one into the pair.
        if !hasProblems, random.chance(0.4),
            let third = random.element(of: customers.filter { $0.id != pair[0].id && $0.id != pair[1].id })
        {
            try random.chance(0.5)
                ? writeMerge(n, keep: third, duplicate: pair[0]) : writeMerge(n, keep: pair[1], duplicate: third)
        }
    }

    /// Merges `duplicate` into `keep` on node `n`, as `customer merge KEEP DUPLICATE`: the
    /// record keeps the customer `keep`'s folder shows in, and names the duplicate as typed;
    /// nothing is written when the two show in one folder already (merging twice is once),
    /// refused when that folder is the duplicate's own (a customer into itself, or back into one
    /// merged into it). Then both show in the kept customer's folder on `n`.
    func writeMerge(_ n: Int, keep: OracleEntity, duplicate: OracleEntity) throws {
        let holding = holding(n)
        let kept = oracle.finalCustomer(keep.id, holding: holding)
        let merged = oracle.finalCustomer(duplicate.id, holding: holding)
        let mergedAt = nodes[n].clock.milliseconds
        let by = random.element(of: SimulationInputs.authors) ?? "anna"
        let finals = oracle.finalCustomers(holding: holding)
        let chained = [keep.id, duplicate.id].contains { finals[$0] != nil || finals.values.contains($0) }
        let refusal: ReplicationError.Code? = kept == merged && duplicate.id == kept ? .invalidValue : nil
        let writes = kept != merged
        let before = nodes[n].held
        let replica = try replica(n)
        let result = try local(
            n,
            "merge customer \(duplicate.id) into \(keep.id)",
            refusal: refusal,
            expecting: { (result: (keep: EntityID, written: Bool)) -> [ExpectedChange] in
                guard writes else { return [] }
                // The record's id is new: the one the stamped change carries.
                let stamped = try? replica.nextBatch(after: before, maxChanges: 100)?.changes
                let id = stamped?.first { $0.entity == .customerMerge }?.entityID ?? unknownID()
                return [ExpectedChange(.customerMerge, id, "", .record, nil, [])]
            },
            { replica in try replica.write { try $0.mergeCustomers(keep: keep.id, duplicate: duplicate.id, by: by) } }
        )
        if refusal != nil { stats.mergesRefused += 1 }
        guard let result else { return }
        check(result.keep == kept, "n\(n): the merge into \(keep.id) kept \(result.keep), expected \(kept)")
        check(result.written == writes, "n\(n): the merge says written \(result.written), expected \(writes)")
        guard writes else {
            stats.repeatedMerges += 1
            return
        }
        guard
            let write = oracle.writes(ofEntity: oracle.writes.last?.entityID ?? unknownID()).first,
            write.entity == .customerMerge, write.id.origin == nodes[n].origin, !before.contains(write.id)
        else { return problem("n\(n): the merge's record is not the node's last write") }
        let row: [PlainCell] = [
            .text(write.entityID.description), .text(kept.description), .text(duplicate.id.description),
            .text(Timestamp.format(Date(timeIntervalSince1970: TimeInterval(mergedAt) / 1000))), .text(by),
        ]
        oracle.record(OracleEntity(kind: .customerMerge, id: write.entityID, creation: write.id, recordRow: row))
        let apart = oracle.merges.contains { other in
            !nodes[n].held.contains(other.record) && other.duplicate == keep.id
                && (other.typedKeep == duplicate.id || other.keep == duplicate.id)
        }
        oracle.record(
            OracleMerge(
                id: write.entityID,
                record: write.id,
                keep: kept,
                typedKeep: keep.id,
                duplicate: duplicate.id,
                mergedAt: mergedAt
            )
        )
        stats.merges += 1
        if chained { stats.chainedMerges += 1 }
        if apart { stats.oppositeMergesApart += 1 }
        // docs: the duplicate's folder shows in the kept customer's, on the node that merged —
        // the merge is taken after every merge its writer had seen, as its id is later than all
        // it had seen. Not when the writer's clock was pulled back to the drift bound below a
        // merge it had seen (a clock more than 10 minutes behind): its id is then earlier, and it
        // is taken first like any merge with an earlier id (docs/ARCHITECTURE.md).
        let seenLater = oracle.merges.contains { other in
            other.id != write.entityID && before.contains(other.record)
                && other.id.description > write.entityID.description
        }
        if seenLater {
            stats.mergesBeforeSeen += 1
            note("n\(n): the merge's id \(write.entityID) is earlier than a merge it had seen")
        }
        let now = self.holding(n)
        for id in [keep.id, duplicate.id] {
            let final = oracle.finalCustomer(id, holding: now)
            check(
                seenLater || final == kept,
                "n\(n): after merging \(duplicate.id) into \(keep.id) (kept \(kept)) the oracle's rule shows \(id) in \(final): the merge was taken before one its writer had seen"
            )
            let folder = try? replica.folder(id)
            check(
                folder?.customer.id == final,
                "n\(n): after merging \(duplicate.id) into \(keep.id), \(id)'s folder is \(folder.map { "\($0.customer.id)" } ?? "missing"), expected \(final)"
            )
        }
    }

    /// Two nodes apart merge two customers into each other, A into B and B into A: the later
    /// of the two changes nothing, on every node, once both meet.
    func concurrentOppositeMerges() throws {
        let writers = random.sample(Array(nodes.indices), count: 2)
        let finals = writers.map { oracle.finalCustomers(holding: holding($0)) }
        let shared = held(writers[0], .customer).filter { has(writers[1], $0) }
        var pairs: [[OracleEntity]] = []
        for (index, a) in shared.enumerated() {
            for b in shared.dropFirst(index + 1) where finals.allSatisfy({ ($0[a.id] ?? a.id) != ($0[b.id] ?? b.id) }) {
                pairs.append([a, b])
            }
        }
        guard let pair = random.element(of: pairs) else { return try mergeCustomers(writers[0]) }
        stats.concurrentOppositeMerges += 1
        try writeMerge(writers[0], keep: pair[0], duplicate: pair[1])
        if hasProblems { return }
        try writeMerge(writers[1], keep: pair[1], duplicate: pair[0])
        if !hasProblems, random.chance(0.5) {
            note("n\(writers[0]) → n\(writers[1]): full exchange")
            try stream(from: writers[0], to: writers[1])
        }
    }

    /// A node writes to a customer that was merged somewhere — one that has heard of the merge
    /// (its write goes to the kept customer) or one that has not (the write stays the
    /// duplicate's and shows in the kept one's folder wherever the merge is known).
    func writeToDuplicate(_ n: Int) throws {
        let everywhere = oracle.finalCustomers(holding: oracle.holding(oracle.everything, preview: false))
        let duplicates = held(n, .customer).filter { everywhere[$0.id] != nil }
        guard let duplicate = random.element(of: duplicates) else { return try mergeCustomers(n) }
        if finalCustomer(n, duplicate.id) != duplicate.id {
            stats.duplicateWritesAfterMerge += 1
        } else {
            stats.duplicateWritesBeforeMerge += 1
        }
        switch random.int(0...5) {
        case 0:
            let field = random.element(of: SimulationInputs.editableFields(.customer)) ?? "notes"
            try editField(n, duplicate, field, random.element(of: SimulationInputs.values(.customer, field)) ?? nil)
        case 1:
            let category = random.element(of: SimulationInputs.categories) ?? "retail"
            try addElement(n, duplicate, "categories", category)
        case 2: try createContact(n, of: duplicate)
        case 3: try addJournalEntry(n, for: duplicate)
        case 4: try addDocument(n, for: duplicate)
        default:
            let categories = oracle.elements(
                FieldKey(entityID: finalCustomer(n, duplicate.id), field: "categories"),
                holding: holding(n)
            )
            guard let category = random.element(of: categories) else { return try createContact(n, of: duplicate) }
            try removeElement(n, duplicate, "categories", category)
        }
    }

    // MARK: Folders

    /// Customer `id`'s folder on node `n` shows what the oracle derives: the customer it was
    /// merged into, if any; the contacts, journal entries and documents of that customer and of
    /// every customer merged into it; and those customers. The list of customers shows the
    /// customers not merged.
    func checkFolders(_ n: Int) throws {
        let replica = try replica(n)
        let holding = holding(n)
        let finals = oracle.finalCustomers(holding: holding)
        let customers = oracle.entities(.customer, holding: holding)
        let rows = Set(customers.map(\.id))
        let listed = try replica.customerIDs()
        let unmerged = customers.map(\.id).filter { finals[$0] == nil }.sorted { $0.description < $1.description }
        check(listed == unmerged, "n\(n) lists customers \(listed), expected \(unmerged) (those not merged)")
        // The folder a thing of customer `text` shows in, if any: its customer needs a row.
        func folderOf(_ text: String?) -> EntityID? {
            guard let text, let id = EntityID(text), rows.contains(id) else { return nil }
            return finals[id] ?? id
        }
        let contacts = oracle.entities(.contact, holding: holding).filter { oracle.inFolder($0.id, holding: holding) }
        let contactFolders = contacts.map {
            ($0.id, folderOf(oracle.current(FieldKey(entityID: $0.id, field: "customer"), holding: holding)))
        }
        func recordFolders(_ kind: EntityKind) -> [(EntityID, EntityID?)] {
            oracle.entities(kind, holding: holding).map { entity in
                guard case .text(let customer) = entity.recordRow?[1] else { return (entity.id, nil) }
                return (entity.id, folderOf(customer))
            }
        }
        let journal = recordFolders(.journal)
        let documents = recordFolders(.document)
        for customer in customers {
            let final = finals[customer.id] ?? customer.id
            let folder: Folder
            do {
                folder = try replica.folder(customer.id)
            } catch {
                problem("n\(n): the folder of customer \(customer.id) is refused: \(error)")
                continue
            }
            let what = "n\(n): the folder of \(customer.id)"
            check(folder.customer.id == final, "\(what) is \(folder.customer.id)'s, expected \(final)'s")
            let sorted = { (ids: [EntityID]) in ids.map(\.description).sorted() }
            let expectedContacts = sorted(contactFolders.filter { $0.1 == final }.map(\.0))
            check(
                sorted(folder.contacts.map(\.id)) == expectedContacts,
                "\(what) shows contacts \(sorted(folder.contacts.map(\.id))), expected \(expectedContacts)"
            )
            let expectedJournal = sorted(journal.filter { $0.1 == final }.map(\.0))
            check(
                sorted(folder.journal.map(\.id)) == expectedJournal,
                "\(what) shows journal entries \(sorted(folder.journal.map(\.id))), expected \(expectedJournal)"
            )
            let expectedDocuments = sorted(documents.filter { $0.1 == final }.map(\.0))
            check(
                sorted(folder.documents.map(\.id)) == expectedDocuments,
                "\(what) shows documents \(sorted(folder.documents.map(\.id))), expected \(expectedDocuments)"
            )
            let expectedMerged = sorted(customers.map(\.id).filter { finals[$0] == final })
            check(
                folder.merged.map(\.description) == expectedMerged,
                "\(what) names merged customers \(folder.merged), expected \(expectedMerged)"
            )
        }
    }
}
