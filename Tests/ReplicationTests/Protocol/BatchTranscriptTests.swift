import Foundation
import Model
import Testing

@testable import Replication

/// A batch frame exactly as release 0.2.0 sends it, committed: later releases must still
/// read it, and apply what it carries (holding what they do not know, as 0.2.0 does).
@Suite("Transcript: a 0.2.0 batch frame")
struct BatchTranscriptTests {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Transcripts").appendingPathComponent("batch-0.2.0.bin")

    static let origin = NodeID(digest: (0xC0...0xDF).map { UInt8($0) })
    static let start: UInt64 = 1_790_000_000_000

    /// The batch: a customer and its name, a contact with a labelled phone, a journal entry,
    /// and two changes of a later release (kind 250, operation 5).
    static func batch() -> ChangeBatch {
        var seq: UInt64 = 0
        func change(
            _ kind: EntityKind,
            _ id: EntityID,
            _ field: String,
            _ operation: Replication.Operation,
            _ value: String?
        ) -> Change {
            seq += 1
            return Change(
                origin: origin,
                seq: seq,
                time: HybridTime(milliseconds: start + seq, counter: 0),
                entity: kind,
                entityID: id,
                field: field,
                operation: operation,
                value: value
            )
        }
        let customer = EntityID(milliseconds: start, counter: 1, node: origin.discriminator)
        let contact = EntityID(milliseconds: start, counter: 2, node: origin.discriminator)
        let entry = EntityID(milliseconds: start, counter: 3, node: origin.discriminator)
        let sample = EntityID(milliseconds: start, counter: 4, node: origin.discriminator)
        let journal = """
            {"at":"2026-12-02T10:00:00Z","author":"Front desk","customerId":"\(customer)","kind":"call",\
            "notes":"Asked for a quote","parties":"Alice; John"}
            """
        return ChangeBatch(
            base: VersionVector(),
            changes: [
                change(.customer, customer, "name", .assign, "Acme Ltd"),
                change(.customer, customer, "categories", .add, "retail"),
                change(.contact, contact, "customer", .assign, customer.description),
                change(.contact, contact, "name", .assign, "John Smith"),
                change(.contact, contact, "phones", .add, "mobile: 555.123.4567"),
                change(.journal, entry, "", .record, journal),
                change(EntityKind(code: 250), sample, "name", .assign, "Drill"),
                change(.customer, customer, "notes", .unknown(5), "from a later release"),
            ]
        )
    }

    /// Writes the file. Run once, by hand, with WRITE_TRANSCRIPTS=1; it must never change.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["WRITE_TRANSCRIPTS"] == "1"))
    func writeTheTranscript() throws {
        try Data(SyncSamples.encoded(.batch(Self.batch()))).write(to: Self.url)
    }

    @Test func theCommittedBatchStillReads() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.url))
        let messages = try SyncSamples.decodeAll(bytes)
        guard messages.count == 1, case .batch(let batch) = messages[0] else {
            Issue.record("not one batch: \(messages)")
            return
        }
        #expect(batch == Self.batch())
        #expect(batch.changes[6].entity.code == 250 && batch.changes[6].entity.name == "kind-250")
        #expect(batch.changes[7].operation == .unknown(5))
    }

    @Test func theCommittedBatchAppliesHoldingWhatThisReleaseDoesNotKnow() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.url))
        guard case .batch(let batch) = try SyncSamples.decodeAll(bytes).first else {
            Issue.record("no batch")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transcript-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(
            at: folder,
            nodeID: ReplicaFixture.nodeID(1),
            name: "reader",
            wallClock: { Self.start + 60_000 }
        )
        let outcome = try replica.apply(batch)
        #expect(outcome.applied == 6 && outcome.held == 2)
        #expect(Set(try replica.heldChanges().map(\.reason)) == [.unknownKind, .unknownOperation])
        let customer = batch.changes[0].entityID
        let folderView = try replica.folder(customer)
        #expect(folderView.customer.name == "Acme Ltd" && folderView.customer.categories == ["retail"])
        #expect(folderView.contacts.first?.phones == [LabelledValue(label: "mobile", value: "555.123.4567")])
        #expect(folderView.journal.first?.notes == "Asked for a quote")
        #expect(try replica.check() == [])
    }
}
