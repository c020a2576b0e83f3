import Foundation
import Model
import Replication
import TestSupport
import Testing

@Suite("Replica: limits that keep every change sendable", .offThePool)
struct ReplicaLimitsTests {
    private func replica() throws -> (Replica, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        let node = NodeID(digest: (0..<32).map { _ in UInt8.random(in: 0...255) })
        return (try Replica.create(at: folder, nodeID: node, name: "limits"), folder)
    }

    @Test func aFieldLongerThanTheLimitIsRefusedAndNothingIsWritten() throws {
        let (replica, folder) = try replica()
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try replica.write { try $0.createCustomer(name: "Acme") }
        let before = try replica.versionVector()
        let long = String(repeating: "x", count: FieldRule.maximumValueBytes + 1)
        #expect(throws: ReplicationError(.invalidValue, "")) {
            try replica.write { try $0.set(.customer, id, field: "notes", to: long) }
        }
        #expect(try replica.versionVector() == before)
        let longest = String(repeating: "x", count: FieldRule.maximumValueBytes)
        try replica.write { try $0.set(.customer, id, field: "notes", to: longest) }
        #expect(try replica.folder(id).customer.notes == longest)
    }

    @Test func batchesAreCutByTheBytesOfTheirValues() throws {
        let (replica, folder) = try replica()
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = String(repeating: "y", count: 200_000)
        try replica.write { writer in
            for index in 0..<10 { _ = try writer.createCustomer(name: "C\(index)", fields: ["notes": big]) }
        }
        var known = VersionVector()
        var batches = 0
        var changes = 0
        while let batch = try replica.nextBatch(after: known, maxChanges: 1000, maxBytes: 1 << 20) {
            let bytes = batch.changes.reduce(0) { $0 + ($1.value?.utf8.count ?? 0) }
            #expect(bytes <= 1 << 20 || batch.changes.count == 1)
            batches += 1
            changes += batch.changes.count
            known = known.advanced(by: batch)
        }
        #expect(changes == 20)
        #expect(batches >= 2)
        #expect(known == (try replica.versionVector()))
    }
}
