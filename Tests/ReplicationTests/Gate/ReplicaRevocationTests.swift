import Crypto
import Foundation
import GRDB
import Model
import Replication
import Synchronization
import TestSupport
import Testing

/// Revocations on the engine alone: who may revoke, which changes a revocation holds, and a
/// folder that applied a revoked node's later changes before it heard of the revocation
/// ending exactly where one that heard first is.
@Suite("Revocation: a revoked node's later changes reach no folder", .offThePool)
struct ReplicaRevocationTests {
    /// A test stand-in for certificates and keys: a node's "certificate" is some bytes (its id
    /// is their digest, as for real certificates), its "signature" over a payload is the
    /// digest of the certificate and the payload. What is checked is the engine's part:
    /// binding the certificate to the signer and asking the verifier.
    struct Identity {
        let certificate: [UInt8]
        var nodeID: NodeID { NodeID(certificateDER: certificate) }
        var signer: RevocationSigner {
            let certificate = certificate
            return RevocationSigner(certificate: certificate) { Identity.signature(certificate, $0) }
        }

        init(_ name: String) { certificate = Array("certificate of \(name)".utf8) }

        static func signature(_ certificate: [UInt8], _ payload: [UInt8]) -> [UInt8] {
            Array(SHA256.hash(data: certificate + payload))
        }

        static let verifier = SignatureVerifier(name: "test") { payload, certificate, signature in
            signature == Identity.signature(certificate, payload)
        }
    }

    final class Fleet: Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nextsoft-revocation-\(UUID().uuidString)"
        )
        private let time = Mutex<UInt64>(1_790_000_000_000)
        var now: UInt64 { time.withLock { $0 } }
        func advance(_ milliseconds: UInt64) { time.withLock { $0 += milliseconds } }
        var clock: @Sendable () -> UInt64 { { [self] in self.now } }
        deinit { try? FileManager.default.removeItem(at: root) }

        func node(_ identity: Identity, _ name: String, role: NodeRole, verifier: SignatureVerifier = Identity.verifier)
            throws -> Replica
        {
            try Replica.create(
                at: root.appendingPathComponent(name),
                nodeID: identity.nodeID,
                name: name,
                role: role,
                wallClock: clock,
                signatures: verifier
            )
        }

        @discardableResult
        func sync(_ source: Replica, to target: Replica) throws -> ApplyOutcome {
            advance(1000)
            guard let batch = try source.nextBatch(after: try target.versionVector()) else { return ApplyOutcome() }
            return try target.apply(batch)
        }
    }

    /// What a person sees of the folder, with plain SQL: customers, categories, journal,
    /// open conflicts and what is held.
    static func folder(_ replica: Replica) throws -> [String] {
        try replica.read { db in
            var lines: [String] = []
            for sql in [
                "SELECT id || '|' || coalesce(name, '-') || '|' || coalesce(phone, '-') FROM customers ORDER BY id",
                "SELECT customer_id || '|' || category FROM customer_categories ORDER BY 1",
                "SELECT id || '|' || notes FROM journal_entries ORDER BY id",
                "SELECT entity_id || '|' || field FROM open_conflicts ORDER BY 1",
                "SELECT id || '|' || reason FROM held_changes ORDER BY id",
            ] {
                lines += try String.fetchAll(db, sql: sql)
                lines.append("--")
            }
            return lines
        }
    }

    @Test(
        "a laptop's changes after its revocation are held on every office, also one that applied them first, and apply once accepted"
    )
    func laterChangesHeldAndTakenBack() throws {
        let fleet = Fleet()
        let (hqID, branchID, laptopID) = (Identity("hq"), Identity("branch"), Identity("laptop"))
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        try hq.addPeer(branchID.nodeID, name: "branch", address: nil, role: .office)
        try branch.addPeer(hqID.nodeID, name: "hq", address: nil, role: .office)
        try laptop.addPeer(hqID.nodeID, name: "hq", address: nil, role: .office)

        let known = try laptop.write { try $0.createCustomer(name: "Known Ltd", categories: ["gold"]) }
        try laptop.write { try $0.set(.customer, known, field: "phone", to: "555-0100") }
        try fleet.sync(laptop, to: hq)
        try fleet.sync(laptop, to: branch)

        let revocation = try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        #expect(revocation.seen[laptopID.nodeID] == 3)
        #expect(throws: ReplicationError.self) {
            try laptop.revoke(hqID.nodeID, reason: "mischief", signer: laptopID.signer)
        }

        // The thief edits, adds, removes, creates; the branch applies it all, not knowing.
        fleet.advance(1000)
        try laptop.write { writer in
            try writer.set(.customer, known, field: "phone", to: "555-0666")
            try writer.add(.customer, known, field: "categories", element: "stolen")
            try writer.remove(.customer, known, field: "categories", element: "gold")
            let fresh = try writer.createCustomer(name: "Thief Ltd")
            _ = try writer.addJournalEntry(
                customer: fresh,
                at: Date(timeIntervalSince1970: 1_790_000_000),
                kind: .note,
                parties: "",
                notes: "by the thief",
                author: "x"
            )
        }
        try fleet.sync(laptop, to: branch)
        #expect(try branch.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") } == 2)
        // The branch's user edits the known customer after seeing the thief's phone number.
        try branch.write { try $0.set(.customer, known, field: "phone", to: "555-0200") }

        try fleet.sync(hq, to: branch)
        try fleet.sync(branch, to: hq)
        try fleet.sync(hq, to: branch)
        let onHQ = try Self.folder(hq)
        #expect(onHQ == (try Self.folder(branch)))
        #expect(try hq.heldChanges().filter { $0.reason == .revoked }.count == 5)
        let customers = try hq.read { db in try String.fetchAll(db, sql: "SELECT name FROM customers") }
        #expect(customers == ["Known Ltd"], "the thief's new customer reached no folder")
        let categories = try hq.read { db in try String.fetchAll(db, sql: "SELECT category FROM customer_categories") }
        #expect(categories == ["gold"])
        // Both phone writes that saw the laptop's first one stand: the branch's and HQ's view
        // agree, a conflict between the honest phone and the branch's later edit.
        #expect(try hq.conflicts().map(\.field) == (try branch.conflicts().map(\.field)))
        #expect(try hq.check().isEmpty && branch.check().isEmpty)

        // An office accepts everything the laptop wrote after the revocation.
        try hq.acceptHeld(try hq.heldChanges().map(\.id), reason: "checked with the technician", by: "admin")
        try fleet.sync(hq, to: branch)
        try fleet.sync(branch, to: hq)
        #expect(try Self.folder(hq) == (try Self.folder(branch)))
        #expect(try hq.heldChanges().isEmpty)
        let names = try hq.read { db in try String.fetchAll(db, sql: "SELECT name FROM customers ORDER BY name") }
        #expect(names == ["Known Ltd", "Thief Ltd"])
        let after = try hq.read { db in try String.fetchAll(db, sql: "SELECT category FROM customer_categories") }
        #expect(after == ["stolen"])
        #expect(try hq.check().isEmpty)

        // The revocation reaches the laptop itself: it writes nothing more.
        try fleet.sync(hq, to: laptop)
        #expect(throws: ReplicationError.self) {
            try laptop.write { try $0.set(.customer, known, field: "notes", to: "more") }
        }
        #expect(try laptop.revocations().map(\.node) == [laptopID.nodeID])
        #expect(try !hq.isTrusted(laptopID.nodeID))
        #expect(throws: ReplicationError.self) {
            try hq.addPeer(laptopID.nodeID, name: "laptop again", address: nil, role: .laptop)
        }
    }

    @Test(
        "a revocation signed by a node not trusted as an office is held until one trusts it; a forged one never applies"
    )
    func whoMayRevoke() throws {
        let fleet = Fleet()
        let (hqID, branchID, laptopID, rogueID) = (
            Identity("hq"), Identity("branch"), Identity("laptop"), Identity("rogue")
        )
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        let id = try laptop.write { try $0.createCustomer(name: "Acme Ltd") }
        try fleet.sync(laptop, to: branch)
        try fleet.sync(laptop, to: hq)
        try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)

        // The branch does not trust HQ as an office yet: the revocation waits, listed.
        try fleet.sync(hq, to: branch)
        #expect(try branch.heldChanges().map(\.reason) == [.unverified])
        #expect(try branch.revocations().isEmpty)
        try laptop.write { try $0.set(.customer, id, field: "notes", to: "after") }
        try fleet.sync(laptop, to: branch)
        #expect(try branch.folder(id).customer.notes == "after")
        // Trusting HQ as an office puts it in force, and takes the laptop's later write back.
        try branch.addPeer(hqID.nodeID, name: "hq", address: nil, role: .office)
        #expect(try branch.revocations().map(\.node) == [laptopID.nodeID])
        #expect(try branch.folder(id).customer.notes == "")
        #expect(try branch.heldChanges().map(\.reason) == [.revoked])

        // A node that signs with a key not its certificate's: forged, never applied, even
        // where its signer is trusted as an office.
        let rogue = try fleet.node(
            rogueID,
            "rogue",
            role: .office,
            verifier: SignatureVerifier(name: "lenient") { _, _, _ in true }
        )
        let forger = RevocationSigner(certificate: rogueID.certificate) { _ in Array(repeating: 7, count: 32) }
        try rogue.revoke(branchID.nodeID, reason: "forged", signer: forger)
        try branch.addPeer(rogueID.nodeID, name: "rogue", address: nil, role: .office)
        try fleet.sync(rogue, to: branch)
        let forged = try branch.heldChanges().filter { $0.reason == .forged }
        #expect(forged.count == 1)
        #expect(try branch.revocations().map(\.node) == [laptopID.nodeID])
        #expect(throws: ReplicationError.self) { try branch.acceptHeld(forged.map(\.id), by: "admin") }
        // A laptop decides nothing for the fleet.
        #expect(throws: ReplicationError.self) { try laptop.dropHeld(["x"], reason: "no", by: "thief") }
    }

    @Test("a revoked node restored from a copy writes under a new origin: that origin's changes are held too")
    func revokedNodesNewIncarnationHeld() throws {
        let fleet = Fleet()
        let (hqID, laptopID) = (Identity("hq"), Identity("laptop"))
        let hq = try fleet.node(hqID, "hq", role: .office)
        let id: EntityID
        do {
            let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
            id = try laptop.write { try $0.createCustomer(name: "Acme Ltd") }
            try fleet.sync(laptop, to: hq)
        }
        try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        let copy = fleet.root.appendingPathComponent("laptop-copy")
        try FileManager.default.copyItem(at: fleet.root.appendingPathComponent("laptop"), to: copy)
        let restored = try Replica.open(at: copy, wallClock: fleet.clock, signatures: Identity.verifier)
        #expect(restored.origin != laptopID.nodeID)
        try restored.write { try $0.set(.customer, id, field: "notes", to: "from the copy") }
        try fleet.sync(restored, to: hq)
        #expect(try hq.folder(id).customer.notes == "")
        let held = try hq.heldChanges()
        #expect(held.map(\.reason) == [.revoked, .revoked], "the incarnation record and the write: \(held)")
        #expect(Set(held.map(\.origin)) == [restored.origin])
    }
}
