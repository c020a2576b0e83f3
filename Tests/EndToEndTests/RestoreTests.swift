import Foundation
import TestSupport
import Testing

/// A node brought back from an earlier copy of its folder loses no write, and two live copies
/// of one node are named: real `nodectl` processes, real TLS.
@Suite("Restores and copies lose no write", .serialized, .offThePool)
struct RestoreTests {
    static func journal(_ node: TestNode, _ customer: String) throws -> Set<String> {
        let entries = try NodeCtl.json(["journal", "list", customer], data: node.data) as? [[String: Any]] ?? []
        return Set(entries.compactMap { $0["notes"] as? String })
    }

    static func copy(_ from: URL, to: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-a", from.path, to.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aLaptopPutBackFromACopyGetsBackWhatItWroteAfterTheCopyAndLosesNothingNew() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        let serve = try ServeProcess(hq)
        try laptop.trust(hq, at: serve.address)
        let customer = try NodeCtl.ok(["customer", "add", "Restored Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["sync"], data: laptop.data)

        let backup = folder.path("laptop-copy")
        try Self.copy(laptop.data, to: backup)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "A, after the copy"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)

        // The copy is put back: the laptop is what it was before A.
        try FileManager.default.removeItem(at: laptop.data)
        try Self.copy(backup, to: laptop.data)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "B, after the restore"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)
        try NodeCtl.ok(["sync"], data: laptop.data)

        let both: Set<String> = ["A, after the copy", "B, after the restore"]
        #expect(try Self.journal(hq, customer) == both)
        #expect(try Self.journal(laptop, customer) == both)
        let status = try NodeCtl.json(["status"], data: laptop.data) as? [String: Any]
        #expect(status?["restoredAt"] is String)
        #expect((status?["clones"] as? [Any])?.isEmpty == true)
        let check = try NodeCtl.run(["check"], data: laptop.data)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("restored"))
        #expect(serve.stop() == 0)
        let atHQ = try NodeCtl.json(["status"], data: hq.data) as? [String: Any]
        #expect(((atHQ?["peers"] as? [[String: Any]])?.first?["restoredAt"]) is String)
        #expect((atHQ?["clones"] as? [Any])?.isEmpty == true)
        #expect(try NodeCtl.run(["check"], data: hq.data).status == 0)
        #expect((try NodeCtl.json(["held", "list"], data: hq.data) as? [Any])?.isEmpty == true)
    }

    @Test func aLaptopRestoredFromABackupTakenWhileServeRanLosesNoWrite() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        let hqServe = try ServeProcess(hq)
        try laptop.trust(hq, at: hqServe.address)
        let customer = try NodeCtl.ok(["customer", "add", "Backed Up Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let file = folder.path("a document.bin")
        try Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: file)
        try NodeCtl.ok(["document", "add", customer, file.path], data: laptop.data)
        try NodeCtl.ok(["sync"], data: laptop.data)

        let laptopServe = try ServeProcess(laptop)
        let backup = folder.path("laptop.backup")
        let written = try NodeCtl.json(["backup", "--output", backup.path], data: laptop.data) as? [String: Any]
        #expect(written?["documents"] as? Int == 1 && (written?["changes"] as? Int ?? 0) > 0)
        #expect(laptopServe.stop() == 0)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "A, after the backup"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)

        // The laptop is lost; a new machine is restored from the backup.
        try FileManager.default.removeItem(at: laptop.data)
        let notEmpty = try NodeCtl.run(["restore", backup.path], data: hq.data)
        #expect(notEmpty.status == 1 && notEmpty.stderr.contains("not empty"), "\(notEmpty.stderr)")
        let restored = try NodeCtl.json(["restore", backup.path], data: laptop.data) as? [String: Any]
        #expect(restored?["nodeId"] as? String == laptop.id)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "B, after the restore"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)
        try NodeCtl.ok(["sync"], data: laptop.data)
        #expect(hqServe.stop() == 0)

        let both: Set<String> = ["A, after the backup", "B, after the restore"]
        #expect(try Self.journal(hq, customer) == both)
        #expect(try Self.journal(laptop, customer) == both)
        let documents = try NodeCtl.json(["document", "list", customer], data: laptop.data) as? [[String: Any]]
        #expect(documents?.first?["present"] as? Bool == true)
        #expect((try NodeCtl.json(["status"], data: laptop.data) as? [String: Any])?["restoredAt"] is String)
        #expect(try NodeCtl.run(["check"], data: laptop.data).status == 0)

        // A damaged backup is refused whole, and nothing is left behind.
        var bytes = try Data(contentsOf: backup)
        bytes[bytes.count / 2] ^= 0x20
        let damaged = folder.path("damaged.backup")
        try bytes.write(to: damaged)
        let target = folder.path("never")
        let refused = try NodeCtl.run(["restore", damaged.path], data: target)
        #expect(refused.status == 1 && refused.stderr.contains("damaged"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func aFolderCopiedToASecondMachineWithBothRunningIsNamedAndNothingIsLost() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        let serve = try ServeProcess(hq)
        try laptop.trust(hq, at: serve.address)
        let customer = try NodeCtl.ok(["customer", "add", "Cloned Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["sync"], data: laptop.data)
        let second = TestNode(copyOf: laptop, at: folder.path("second-machine"))
        try Self.copy(laptop.data, to: second.data)

        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "on the second machine"],
            data: second.data
        )
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "on the first machine"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: second.data)
        try NodeCtl.ok(["sync"], data: laptop.data)
        try NodeCtl.ok(["sync"], data: second.data)
        #expect(serve.stop() == 0)

        let both: Set<String> = ["on the first machine", "on the second machine"]
        for node in [hq, laptop, second] {
            #expect(try Self.journal(node, customer) == both, "\(node.data.lastPathComponent)")
        }
        let status = try NodeCtl.json(["status"], data: hq.data) as? [String: Any]
        #expect(status?["clones"] as? [String] == [laptop.id])
        let check = try NodeCtl.run(["check"], data: hq.data)
        #expect(check.status == 1)
        #expect(check.stdout.contains("is a clone") && check.stdout.contains("nodectl init"), "\(check.stdout)")
    }

    @Test func aSnapshotRolledBackInPlaceIsCaughtByContent() throws {
        // A VM snapshot: the same file, rolled back. The file identity cannot tell; the content
        // bound to each change's number does, and the write is kept, not taken for another.
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        try laptop.trust(hq)
        let customer = try NodeCtl.ok(["customer", "add", "Snapshot Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try laptop.send(to: hq, via: folder)
        let replica = laptop.data.appendingPathComponent("replica.sqlite")
        let snapshot = try Data(contentsOf: replica)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "before the rollback"],
            data: laptop.data
        )
        try laptop.send(to: hq, via: folder)
        let handle = try FileHandle(forWritingTo: replica)  // in place: the same inode
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: snapshot)
        try handle.close()
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "after the rollback"],
            data: laptop.data
        )
        try laptop.send(to: hq, via: folder)
        let held = try NodeCtl.json(["held", "list"], data: hq.data) as? [[String: Any]] ?? []
        #expect(held.map { $0["reason"] as? String } == ["clone"])
        #expect(try Self.journal(hq, customer) == ["before the rollback"])
        #expect((try NodeCtl.json(["status"], data: hq.data) as? [String: Any])?["clones"] as? [String] == [laptop.id])
    }

    @Test func aSnapshotRolledBackInPlaceThatSyncsFirstIsToldByItsPeerAndLosesNothing() throws {
        // The same rollback, but the node syncs before it writes: HQ's hello holds more of the
        // laptop's own history than the laptop does. The laptop's next command begins a new
        // incarnation; what it wrote before the rollback comes back; nothing is held.
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let laptop = try TestNode("laptop", in: folder)
        try hq.trust(laptop)
        let serve = try ServeProcess(hq)
        try laptop.trust(hq, at: serve.address)
        let customer = try NodeCtl.ok(["customer", "add", "Snapshot Ltd"], data: laptop.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["sync"], data: laptop.data)
        let replica = laptop.data.appendingPathComponent("replica.sqlite")
        let snapshot = try Data(contentsOf: replica)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "before the rollback"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)
        let handle = try FileHandle(forWritingTo: replica)  // in place: the same inode
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: snapshot)
        try handle.close()

        try NodeCtl.ok(["sync"], data: laptop.data)
        try NodeCtl.ok(
            ["journal", "add", customer, "--kind", "note", "--notes", "after the rollback"],
            data: laptop.data
        )
        try NodeCtl.ok(["sync"], data: laptop.data)
        try NodeCtl.ok(["sync"], data: laptop.data)
        #expect(serve.stop() == 0)

        let both: Set<String> = ["before the rollback", "after the rollback"]
        for node in [hq, laptop] {
            #expect(try Self.journal(node, customer) == both, "\(node.name)")
            #expect((try NodeCtl.json(["held", "list"], data: node.data) as? [Any])?.isEmpty == true, "\(node.name)")
            #expect(try NodeCtl.run(["check"], data: node.data).status == 0, "\(node.name)")
        }
        let status = try NodeCtl.json(["status"], data: laptop.data) as? [String: Any]
        #expect(status?["restoredAt"] is String)
        let atHQ = try NodeCtl.json(["status"], data: hq.data) as? [String: Any]
        let peer = (atHQ?["peers"] as? [[String: Any]])?.first
        #expect(peer?["rolledBackAt"] is String)
        #expect((atHQ?["clones"] as? [Any])?.isEmpty == true)
        #expect(try NodeCtl.run(["check"], data: hq.data).stdout.contains("rolled back"))
    }
}

extension TestNode {
    /// The same node (id and name) in another folder: a copy of `node`'s folder made there.
    init(copyOf node: TestNode, at data: URL) {
        self.data = data
        id = node.id
        name = node.name
    }
}
