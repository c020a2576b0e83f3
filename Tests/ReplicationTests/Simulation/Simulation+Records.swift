import Foundation
import Model
import Replication

/// Immutable records: journal entries and documents, each with the row its table must hold.
/// A record for a customer goes to the customer its folder shows in on the writer.
extension Simulation {
    func addJournalEntry(_ n: Int, for chosen: OracleEntity? = nil) throws {
        guard let customer = chosen ?? random.element(of: held(n, .customer)) else { return try createCustomer(n) }
        let folder = finalCustomer(n, customer.id)
        // A correction goes in the folder of the entry it corrects (a customer's, or one merged
        // into it).
        let sameFolder = held(n, .journal).filter { entry in
            guard case .text(let text) = entry.recordRow?[1], let of = EntityID(text) else { return false }
            return finalCustomer(n, of) == folder
        }
        let corrects = random.chance(0.2) ? random.element(of: sameFolder) : nil
        let millis = time.milliseconds - UInt64(random.int(0...(30 * 86_400_000)))
        let at = Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
        let kind = random.element(of: JournalKind.allCases) ?? .note
        let parties = random.element(of: SimulationInputs.parties) ?? ""
        let notes = random.element(of: SimulationInputs.journalNotes) ?? ""
        let author = random.element(of: SimulationInputs.authors) ?? ""
        let id = try local(
            n,
            "journal \(kind.rawValue) for \(customer.id)\(corrects.map { " correcting \($0.id)" } ?? "")",
            refusal: nil,
            expecting: { id in [ExpectedChange(.journal, id, "", .record, nil, [])] },
            { replica in
                try replica.write {
                    try $0.addJournalEntry(
                        customer: customer.id,
                        at: at,
                        kind: kind,
                        parties: parties,
                        notes: notes,
                        author: author,
                        corrects: corrects?.id
                    )
                }
            }
        )
        guard let id, let creation = creation(of: id) else { return }
        let row: [PlainCell] = [
            .text(id.description), .text(folder.description), .text(Timestamp.format(at)), .text(kind.rawValue),
            .text(parties), .text(notes), .text(author), PlainCell(corrects?.id.description),
        ]
        oracle.record(OracleEntity(kind: .journal, id: id, creation: creation, recordRow: row))
    }

    func addDocument(_ n: Int, for chosen: OracleEntity? = nil) throws {
        guard let customer = chosen ?? random.element(of: held(n, .customer)) else { return try createCustomer(n) }
        let folder = finalCustomer(n, customer.id)
        let title = random.element(of: SimulationInputs.documentTitles) ?? ""
        let fileName = random.element(of: SimulationInputs.fileNames) ?? "file.pdf"
        let mediaType = random.element(of: SimulationInputs.mediaTypes) ?? "application/pdf"
        let size = Int64(random.int(0...25_000_000))
        let digest = random.hex(64)
        let addedBy = random.element(of: SimulationInputs.authors) ?? ""
        let addedAt = Date(timeIntervalSince1970: TimeInterval(nodes[n].clock.milliseconds) / 1000)
        let id = try local(
            n,
            "document \(quoted(fileName)) for \(customer.id)",
            refusal: nil,
            expecting: { id in [ExpectedChange(.document, id, "", .record, nil, [])] },
            { replica in
                try replica.write {
                    try $0.addDocument(
                        customer: customer.id,
                        title: title,
                        fileName: fileName,
                        mediaType: mediaType,
                        size: size,
                        digest: digest,
                        addedBy: addedBy
                    )
                }
            }
        )
        guard let id, let creation = creation(of: id) else { return }
        let row: [PlainCell] = [
            .text(id.description), .text(folder.description), .text(title), .text(fileName), .text(mediaType),
            .integer(size), .text(digest), .text(Timestamp.format(addedAt)), .text(addedBy),
        ]
        oracle.record(OracleEntity(kind: .document, id: id, creation: creation, recordRow: row))
    }
}
