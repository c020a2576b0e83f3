import Foundation
import Replication
import TestSupport
import Testing

/// Replays the inputs of the apply fuzzer (scripts/fuzz-apply.sh) kept in Crashers/apply/:
/// past crashers and interesting corpus inputs, each through the same generator the harness
/// uses (Fuzz/HostileBatchGenerator.swift), on a fresh replica. Crashers/apply/README.md says
/// what each one is.
@Suite("Apply crashers: hostile batches found by fuzzing, replayed", .offThePool)
struct ApplyCrasherReplayTests {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Crashers/apply")
    }

    static let inputs: [String] = {
        let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        return (names ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }()

    @Test("the apply crashers folder is there")
    func inputsFound() {
        #expect(Self.inputs.count >= 3)
    }

    @Test(
        "replay an apply input: only allowed errors, check() finds nothing, the replica stays usable",
        arguments: inputs
    )
    func replay(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apply-replay-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try HostileBatchGenerator.makeReplica(at: folder)

        let problems = HostileBatchGenerator.runInput(bytes, on: replica)

        #expect(problems == [])
        // The input reached the apply path: something was stored or held.
        #expect(try replica.versionVector().count > 0 || !replica.heldChanges().isEmpty)
        try replica.write { writer in _ = try writer.createCustomer(name: "After the replay") }
        #expect(try replica.check() == [])
    }
}

@Suite("Apply fuzzing: what the replays found, checked directly", .offThePool)
struct ApplyFuzzFindingsTests {
    @Test("the JSON numbers 0 and 1 are integers: a document of size 1 and a decision on change 1 are applied")
    func zeroAndOneAreIntegers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apply-finding-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try HostileBatchGenerator.makeReplica(at: folder)
        let peer = HostileBatchGenerator.nodes[1]
        let customer = HostileBatchGenerator.entities[0]
        let time = HybridTime(milliseconds: HostileBatchGenerator.now - 1000, counter: 0)
        let digest = String(repeating: "ab", count: 32)
        let document = """
            {"addedAt":"2026-11-29T14:05:00Z","addedBy":"sam","customerId":"\(customer)","digest":"\(digest)",\
            "fileName":"a.txt","mediaType":"text/plain","size":1,"title":"One byte"}
            """
        let decision = """
            {"decidedAt":"2026-11-29T14:05:00Z","decidedBy":"office","decision":"drop","origin":"\(peer)",\
            "reason":"","seq":1}
            """
        let changes = [
            Change(
                origin: peer,
                seq: 1,
                time: time,
                entity: .customer,
                entityID: customer,
                field: "name",
                operation: .assign,
                value: "Acme Ltd"
            ),
            Change(
                origin: peer,
                seq: 2,
                time: time,
                entity: .document,
                entityID: HostileBatchGenerator.entities[3],
                field: "",
                operation: .record,
                value: document
            ),
            Change(
                origin: peer,
                seq: 3,
                time: time,
                entity: .heldDecision,
                entityID: HostileBatchGenerator.entities[7],
                field: "",
                operation: .record,
                value: decision
            ),
        ]

        let outcome = try replica.apply(ChangeBatch(changes: changes))

        #expect(outcome == ApplyOutcome(applied: 3))
        #expect(try replica.heldChanges().isEmpty)
        #expect(try replica.check() == [])
    }
}
