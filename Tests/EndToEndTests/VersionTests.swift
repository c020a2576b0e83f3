import Foundation
import TestSupport
import Testing

/// Releases side by side, with real processes: a folder written by release 0.1.0 opens in this
/// one with nothing lost, and a node of the next release (the test-only preview schema) syncs
/// with this release directly and through it as a relay.
@Suite("Versions: 0.1.0 folders, and the next release through this one", .offThePool)
struct VersionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/release-0.1.0")
    static let acme = "01a2379b-51d1-7000-824d-31054e8b1893"

    /// A copy of the 0.1.0 folder (git keeps no file modes: the key is made private again).
    static func copyOf010(into folder: TemporaryFolder) throws -> URL {
        let data = folder.path("hq")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("hq"), to: data)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600],
            ofItemAtPath: data.appendingPathComponent("node-key.pem").path
        )
        return data
    }

    static func expected(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.appendingPathComponent("expected/\(name)")))
    }

    static func same(_ lhs: Any, _ rhs: Any) -> Bool { NSDictionary(dictionary: ["v": lhs]).isEqual(["v": rhs]) }

    /// Whether `now` says all that `then` said, the same way: every key of an object `then`
    /// printed with the same value (keys a later release adds are welcome), arrays item by item.
    static func covers(_ now: Any, _ then: Any) -> Bool {
        if let then = then as? [String: Any] {
            guard let now = now as? [String: Any] else { return false }
            return then.allSatisfy { key, value in now[key].map { covers($0, value) } ?? false }
        }
        if let then = then as? [Any] {
            guard let now = now as? [Any], now.count == then.count else { return false }
            return zip(now, then).allSatisfy { covers($0, $1) }
        }
        // Leaves as JSON text: Foundation on Linux does not take `true` read twice as equal.
        let text = { (value: Any) in try? JSONSerialization.data(withJSONObject: ["v": value], options: .sortedKeys) }
        return text(now) == text(then)
    }

    @Test func aFolderWrittenBy010OpensWithNothingLost() throws {
        let folder = try TemporaryFolder()
        let data = try Self.copyOf010(into: folder)
        let globex =
            (try Self.expected("customer-list.json") as? [[String: Any]])?.first { $0["name"] as? String == "Globex" }?[
                "id"
            ] as? String ?? ""
        // What 0.1.0 printed for this folder, this release prints the same.
        let comparisons: [([String], String)] = [
            (["customer", "show", Self.acme], "customer-acme.json"),
            (["customer", "show", globex], "customer-globex.json"),
            (["customer", "list"], "customer-list.json"),
            (["conflicts", "list"], "conflicts.json"),
            (["history", Self.acme], "history-acme.json"),
            (["peer", "list"], "peers.json"),
        ]
        for (command, file) in comparisons {
            let now = try NodeCtl.json(command, data: data)
            #expect(Self.covers(now, try Self.expected(file)), "\(command) differs from what 0.1.0 printed")
        }
        let check = try NodeCtl.json(["check"], data: data) as? [String: Any]
        #expect(check?["ok"] as? Bool == true)
        let status = try NodeCtl.json(["status"], data: data) as? [String: Any]
        #expect(status?["version"] as? String == "0.2.0")
        #expect(status?["changes"] as? Int == 18)
        #expect((try NodeCtl.json(["held", "list"], data: data) as? [Any])?.isEmpty == true)
        // The 0.1.0 bundle is still readable: everything in it is already held.
        let applied =
            try NodeCtl.json(
                ["bundle", "apply", Self.fixture.appendingPathComponent("laptop.bundle").path],
                data: data
            )
            as? [String: Any]
        #expect(applied?["applied"] as? Int == 0)
        // And the upgraded folder takes new writes and settles its 0.1.0 conflict.
        let conflict =
            (try NodeCtl.json(["conflicts", "list"], data: data) as? [[String: Any]])?.first?["id"] as? String
        try NodeCtl.ok(["conflicts", "resolve", conflict ?? "", "--pick", "1"], data: data)
        try NodeCtl.ok(["customer", "set", Self.acme, "website=acme.example"], data: data)
        let acme = try NodeCtl.json(["customer", "show", Self.acme], data: data) as? [String: Any]
        #expect(acme?["notes"] as? String == "from hq")
        #expect(acme?["website"] as? String == "acme.example")
        #expect((try NodeCtl.json(["check"], data: data) as? [String: Any])?["ok"] as? Bool == true)
    }

    @Test func theNextReleaseWritesPassThroughThisOneUnchangedAndApplyWhereUnderstood() throws {
        let folder = try TemporaryFolder()
        let next = try TestNode("next", in: folder, preview: true)
        let relay = try TestNode("relay", in: folder)
        let far = try TestNode("far", in: folder, preview: true)
        try next.trust(relay)
        try far.trust(relay)
        try relay.trust(far)
        try relay.trust(next)

        // The next release writes a kind and a field this release does not know, then an
        // ordinary edit after them (in the same batch).
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: next.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "set", customer, "preview_rating=A"], data: next.data)
        let sample = try NodeCtl.ok(
            ["entity", "add", "preview-sample", "customer=\(customer)", "name=Drill", "serial=SN-1"],
            data: next.data
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "set", customer, "notes=after the new kinds"], data: next.data)

        // next → relay, over TLS: the relay serves, the next release dials it.
        let relayServe = try ServeProcess(relay)
        try next.trust(relay, at: relayServe.address)
        let synced = try NodeCtl.json(["sync"], data: next.data) as? [String: Any]
        #expect((synced?["peers"] as? [[String: Any]])?.first?["ok"] as? Bool == true)
        relayServe.stop()

        // The relay holds what it cannot read, applies the rest, and says so.
        let held = try NodeCtl.json(["held", "list"], data: relay.data) as? [[String: Any]] ?? []
        #expect(Set(held.compactMap { $0["reason"] as? String }) == ["unknown-field", "unknown-kind"])
        #expect(held.count == 4, "preview_rating, and the sample's customer, name and serial")
        #expect(held.allSatisfy { $0["entityId"] as? String == sample || $0["field"] as? String == "preview_rating" })
        let onRelay = try NodeCtl.json(["customer", "show", customer], data: relay.data) as? [String: Any]
        #expect(onRelay?["notes"] as? String == "after the new kinds")
        #expect((try NodeCtl.json(["check"], data: relay.data) as? [String: Any])?["ok"] as? Bool == true)
        let relayStatus = try NodeCtl.json(["status"], data: relay.data) as? [String: Any]
        #expect(relayStatus?["held"] as? Int == 4)
        let peerOfRelay = (relayStatus?["peers"] as? [[String: Any]])?.first { $0["name"] as? String == "next" }
        #expect(peerOfRelay?["peerVersion"] as? String == "0.2.0-preview")

        // relay → far, over TLS: far understands everything the relay passed on unchanged.
        let farServe = try ServeProcess(far)
        try relay.trust(far, at: farServe.address)
        try NodeCtl.ok(["sync", "far"], data: relay.data)
        farServe.stop()
        let onFar = try NodeCtl.json(["entity", "show", sample], data: far.data) as? [String: Any]
        #expect(onFar?["kind"] as? String == "preview-sample")
        #expect(onFar?["name"] as? String == "Drill" && onFar?["serial"] as? String == "SN-1")
        #expect(onFar?["customer"] as? String == customer)
        let customerOnFar = try NodeCtl.json(["entity", "show", customer], data: far.data) as? [String: Any]
        #expect(customerOnFar?["preview_rating"] as? String == "A")
        #expect((try NodeCtl.json(["held", "list"], data: far.data) as? [Any])?.isEmpty == true)

        // Both ways: a write on the relay reaches the next release.
        try NodeCtl.ok(["customer", "set", customer, "phone=555 0100"], data: relay.data)
        let nextServe = try ServeProcess(next)
        try relay.trust(next, at: nextServe.address)
        try NodeCtl.ok(["sync", "next"], data: relay.data)
        nextServe.stop()
        let onNext = try NodeCtl.json(["customer", "show", customer], data: next.data) as? [String: Any]
        #expect(onNext?["phone"] as? String == "555 0100")

        // Upgrading the relay (the same folder, now run by the next release) applies what it held.
        PreviewNodes.register(relay.data)
        #expect((try NodeCtl.json(["held", "list"], data: relay.data) as? [Any])?.isEmpty == true)
        let upgraded = try NodeCtl.json(["entity", "show", sample], data: relay.data) as? [String: Any]
        #expect(upgraded?["name"] as? String == "Drill")
    }

    @Test func heldChangesAreDecidedThroughNodectl() throws {
        let folder = try TemporaryFolder()
        let next = try TestNode("next", in: folder, preview: true)
        let plain = try TestNode("plain", in: folder)
        try next.trust(plain)
        try plain.trust(next)
        let customer = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: next.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try NodeCtl.ok(["customer", "set", customer, "preview_rating=A"], data: next.data)
        let applied = try next.send(to: plain, via: folder)
        #expect(applied["held"] as? Int == 1)
        let held = try NodeCtl.json(["held", "list"], data: plain.data) as? [[String: Any]] ?? []
        let id = try #require(held.first?["id"] as? String)
        #expect(held.first?["reason"] as? String == "unknown-field")
        #expect(held.first?["origin"] as? String == next.id)
        #expect(held.first?["entityId"] as? String == customer)
        #expect(held.first?["field"] as? String == "preview_rating")
        #expect(held.first?["at"] is String)

        // This release cannot apply it: accepting is refused, saying to upgrade; nothing changes.
        let before = try plain.snapshot()
        try NodeCtl.refused(["held", "accept", id], data: plain.data, mentioning: "upgrade")
        try NodeCtl.refused(
            ["held", "drop", "nosuchid", "--reason", "x"],
            data: plain.data,
            mentioning: "no held change"
        )
        #expect(try NodeCtl.run(["held", "drop", id], data: plain.data).status == 2, "--reason is required")
        #expect(try plain.snapshot() == before)

        try NodeCtl.ok(["held", "drop", id, "--reason", "not used here"], data: plain.data)
        #expect((try NodeCtl.json(["held", "list"], data: plain.data) as? [Any])?.isEmpty == true)
        #expect((try NodeCtl.json(["status"], data: plain.data) as? [String: Any])?["held"] as? Int == 0)
    }
}
