import Foundation
import Model
import Node
import Replication
import Testing

/// Offline bundles carry who wrote each change, except for a peer known to read no persons.
@Suite("Bundles and persons")
struct BundlePersonsTests {
    @Test func aBundleForAPeerOfAnEarlierReleaseLeavesPersonsOut() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-persons-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let home = try NodeHome.initialize(at: root.appendingPathComponent("hq"), name: "hq")
        let other = try NodeHome.initialize(at: root.appendingPathComponent("old"), name: "old")
        try home.replica.write(as: "Ann Smith") { _ = try $0.createCustomer(name: "Acme Ltd") }
        try home.replica.addPeer(other.nodeID, name: "old", address: nil)

        func versions(for peer: Peer?) throws -> [UInt8] {
            let file = root.appendingPathComponent("\(UUID().uuidString).bundle")
            _ = try OfflineBundles.create(home: home, for: peer, output: file)
            let (bundle, _) = try SignedBundle.decode(Array(try Data(contentsOf: file)))
            return bundle.sections.filter { $0.kind == 1 }.map { $0.bytes[4] }
        }
        // Nothing known of the peer: persons go (codec version 2).
        #expect(try versions(for: nil) == [2])
        #expect(try versions(for: home.replica.peer("old")) == [2])
        // Its last hello did not announce persons (release 0.2.0): version 1, which it reads.
        try home.replica.recordVersion(of: other.nodeID, release: "0.2.0", readsPersons: false)
        #expect(try home.replica.peer("old").readsPersons == false)
        #expect(try versions(for: home.replica.peer("old")) == [1])
        try home.replica.recordVersion(of: other.nodeID, release: "0.3.0", readsPersons: true)
        #expect(try versions(for: home.replica.peer("old")) == [2])
    }
}
