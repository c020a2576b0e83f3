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
        // The name, the category, the laptop's assignment of its new customer, the phone.
        #expect(revocation.seen[laptopID.nodeID] == 4)
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
        // The phone, the two category changes, the new customer, its assignment to the laptop,
        // the journal entry.
        #expect(try hq.heldChanges().filter { $0.reason == .revoked }.count == 6)
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

    /// Found by the simulation: a customer the thief made after its revocation, which a branch
    /// then edited not knowing, showed different `created_at`/`created_by` on an office that
    /// heard of the revocation first; and a forged change writing its id as another kind was
    /// held on one office and applied on the other.
    @Test("an entity a revoked node made and others wrote to is the same on every node, whatever came first")
    func entityOfARevokedNodeSameEverywhere() throws {
        let fleet = Fleet()
        let (hqID, branchID, laptopID) = (Identity("hq"), Identity("branch"), Identity("laptop"))
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        for (replica, peer) in [(hq, branchID), (branch, hqID), (laptop, hqID)] {
            try replica.addPeer(peer.nodeID, name: "peer", address: nil, role: .office)
        }
        try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        fleet.advance(1000)
        let made = try laptop.write { try $0.createCustomer(name: "Thief Ltd", categories: ["x"]) }
        // The branch, not knowing, writes to it twice.
        try fleet.sync(laptop, to: branch)
        try branch.write { try $0.set(.customer, made, field: "notes", to: "called them") }
        fleet.advance(1000)
        try branch.write { try $0.add(.customer, made, field: "categories", element: "checked") }
        // A relay writes the id as a contact's: another kind under an id the log holds.
        let forged = Change(
            origin: ReplicaFixture.nodeID(0x77),
            seq: 1,
            time: HybridTime(milliseconds: fleet.now + 5_000, counter: 0),
            entity: .contact,
            entityID: made,
            field: "name",
            operation: .assign,
            value: "Wrong Kind",
            predecessors: []
        )
        try branch.apply(ChangeBatch(base: try branch.versionVector(), changes: [forged]))
        // HQ hears of the thief's customer only after its own revocation; the branch applied
        // it first and takes it back when the revocation arrives.
        try fleet.sync(branch, to: hq)
        try fleet.sync(hq, to: branch)
        #expect(try Self.folder(hq) == (try Self.folder(branch)))
        let rows = { (replica: Replica) in
            try replica.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT coalesce(name, '-') || '|' || notes || '|' || created_at || '|' || created_by FROM customers"
                )
            }
        }
        let onHQ = try rows(hq)
        #expect(onHQ == (try rows(branch)))
        // The thief's name and creation are held; the branch's note keeps the customer, and
        // the branch's first write is its creation now.
        #expect(
            onHQ.count == 1 && onHQ[0].hasPrefix("-|called them|") && onHQ[0].hasSuffix("|\(branchID.nodeID)"),
            "\(onHQ)"
        )
        for replica in [hq, branch] {
            let reasons = try replica.heldChanges().map(\.reason)
            #expect(reasons.filter { $0 == .rule }.count == 1, "the forged contact name: \(reasons)")
            #expect(try replica.check().isEmpty)
        }
    }

    @Test(
        "one batch that brings a revoked node's customer, the revocation and another node's write to it leaves the customer with that write"
    )
    func revocationBetweenCreationAndWriteInOneBatch() throws {
        let fleet = Fleet()
        let (hqID, branchID, laptopID, relayID, lateID) = (
            Identity("hq"), Identity("branch"), Identity("laptop"), Identity("relay"), Identity("late")
        )
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        let relay = try fleet.node(relayID, "relay", role: .office)
        let late = try fleet.node(lateID, "late", role: .office)
        for replica in [branch, relay, late] {
            try replica.addPeer(hqID.nodeID, name: "hq", address: nil, role: .office)
        }
        try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        fleet.advance(1000)
        let made = try laptop.write { try $0.createCustomer(name: "Thief Ltd") }
        // The branch, not knowing of the revocation, writes to the thief's customer.
        try fleet.sync(laptop, to: branch)
        try branch.write { try $0.set(.customer, made, field: "notes", to: "called them") }
        // The relay logs the creation, then the revocation (which takes it back), then the
        // branch's write, which keeps the customer: its log holds them in that order.
        try fleet.sync(laptop, to: relay)
        try fleet.sync(hq, to: relay)
        try fleet.sync(branch, to: relay)
        // A node that hears of all three in one batch applies the creation, takes it back at
        // the revocation, and then makes the row again for the branch's write.
        try fleet.sync(relay, to: late)
        let notes = { (replica: Replica) in
            try replica.read { db in try String.fetchAll(db, sql: "SELECT coalesce(notes, '-') FROM customers") }
        }
        #expect(try notes(relay) == ["called them"])
        #expect(try notes(late) == ["called them"])
        #expect(try Self.folder(late) == (try Self.folder(relay)))
        #expect(try late.check().isEmpty)
    }

    @Test("ids a copy of a node makes come from its new origin: never one the node made before the copy")
    func copiesMakeTheirOwnIDs() throws {
        let fleet = Fleet()
        let laptopID = Identity("laptop")
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        _ = try laptop.write { try $0.createCustomer(name: "Before Ltd") }
        let copy = fleet.root.appendingPathComponent("laptop-copy")
        try FileManager.default.copyItem(at: fleet.root.appendingPathComponent("laptop"), to: copy)
        // Both make an id at the same clock reading: the copy's carries its new origin's bits.
        let restored = try Replica.open(at: copy, wallClock: fleet.clock, signatures: Identity.verifier)
        let original = try laptop.write { try $0.createCustomer(name: "Original Ltd") }
        let fromCopy = try restored.write { try $0.createCustomer(name: "Copy Ltd") }
        #expect(original != fromCopy)
        #expect(original.low & 0x03FF_FFFF_FFFF_FFFF == laptopID.nodeID.discriminator & 0x03FF_FFFF_FFFF_FFFF)
        #expect(fromCopy.low & 0x03FF_FFFF_FFFF_FFFF == restored.origin.discriminator & 0x03FF_FFFF_FFFF_FFFF)
    }

    /// Found by the simulation: a relay's second journal record under the id of a revoked
    /// node's entry was applied on an office where the entry was held (the revocation came
    /// first), and held where the entry had applied; and a revoked node that knew it could not
    /// open a copy of its folder at all.
    @Test("a second record under a revoked node's entry is held on every node; a revoked node's copy opens")
    func secondRecordAndRevokedCopy() throws {
        let fleet = Fleet()
        let (hqID, branchID, laptopID) = (Identity("hq"), Identity("branch"), Identity("laptop"))
        let hq = try fleet.node(hqID, "hq", role: .office)
        let branch = try fleet.node(branchID, "branch", role: .office)
        let laptop = try fleet.node(laptopID, "laptop", role: .laptop)
        for (replica, peer) in [(hq, branchID), (branch, hqID), (laptop, hqID)] {
            try replica.addPeer(peer.nodeID, name: "peer", address: nil, role: .office)
        }
        let customer = try laptop.write { try $0.createCustomer(name: "Acme Ltd") }
        try fleet.sync(laptop, to: hq)
        try hq.revoke(laptopID.nodeID, reason: "stolen", signer: hqID.signer)
        fleet.advance(1000)
        let entry = try laptop.write {
            try $0.addJournalEntry(
                customer: customer,
                at: Date(timeIntervalSince1970: 1_790_000_000),
                kind: .note,
                parties: "",
                notes: "by the thief",
                author: "x"
            )
        }
        try fleet.sync(laptop, to: branch)
        let honest = try #require(try branch.nextBatch(after: try hq.versionVector())?.changes.last)
        var record = try #require(
            try JSONSerialization.jsonObject(with: Data((honest.value ?? "").utf8)) as? [String: Any]
        )
        record["notes"] = "rewritten by a relay"
        let second = Change(
            origin: ReplicaFixture.nodeID(0x66),
            seq: 1,
            time: HybridTime(milliseconds: fleet.now + 5_000, counter: 0),
            entity: .journal,
            entityID: entry,
            field: "",
            operation: .record,
            value: String(
                decoding: try JSONSerialization.data(withJSONObject: record, options: .sortedKeys),
                as: UTF8.self
            ),
            predecessors: []
        )
        try branch.apply(ChangeBatch(base: try branch.versionVector(), changes: [second]))
        try fleet.sync(branch, to: hq)
        try fleet.sync(hq, to: branch)
        #expect(try Self.folder(hq) == (try Self.folder(branch)))
        for replica in [hq, branch] {
            let held = try replica.heldChanges()
            #expect(held.filter { $0.reason == .rule }.map(\.origin) == [ReplicaFixture.nodeID(0x66)], "\(held)")
            #expect(try replica.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM journal_entries") } == 0)
        }

        // The laptop learns of its revocation, then is copied: the copy opens, and its
        // incarnation record is held like its other writes.
        try fleet.sync(hq, to: laptop)
        let copy = fleet.root.appendingPathComponent("laptop-copy")
        try FileManager.default.copyItem(at: fleet.root.appendingPathComponent("laptop"), to: copy)
        let restored = try Replica.open(at: copy, wallClock: fleet.clock, signatures: Identity.verifier)
        #expect(restored.origin != laptopID.nodeID)
        #expect(try restored.heldChanges().contains { $0.origin == restored.origin && $0.reason == .revoked })
        #expect(throws: ReplicationError.self) {
            try restored.write { try $0.set(.customer, customer, field: "notes", to: "more") }
        }
    }
}
