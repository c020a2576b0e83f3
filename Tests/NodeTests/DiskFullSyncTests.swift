import Foundation
import GRDB
import Logging
import Model
import TestSupport
import Testing

@testable import Node
@testable import Replication

/// A full disk during sync (issue 10, item 8): the sync fails with "the disk is full", recorded
/// as the peer's last error, not a raw SQLite or Foundation dump; the replica stays as it was.
@Suite("A full disk during sync", .timeLimit(.minutes(2)), .onOwnThreads)
struct DiskFullSyncTests {
    @Test("a replica that cannot grow fails the sync with 'the disk is full', recorded on the peer")
    func fullReplica() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diskfull-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let hq = try NodeHome.initialize(at: folder.appendingPathComponent("hq"), name: "hq", logger: logger)
        let laptop = try NodeHome.initialize(
            at: folder.appendingPathComponent("laptop"),
            name: "laptop",
            logger: logger
        )
        let notes = String(repeating: "a long note about the customer. ", count: 60)
        try hq.replica.write { writer in
            for index in 0..<300 { _ = try writer.createCustomer(name: "Customer \(index)", fields: ["notes": notes]) }
        }
        // SQLite's own limit on the file stands in for a full disk: the writer connection may
        // grow the replica by a few pages only, and fails with SQLITE_FULL past them.
        try await laptop.replica.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 8)")
        }
        let before = try laptop.replica.counts().changes

        let hqEngine = SyncEngine(home: hq, logger: logger)
        let listener = SyncListener<SyncMessage, SyncMessage>(
            host: "127.0.0.1",
            port: 0,
            identity: hq.identity,
            verifier: { hqEngine.verifier() },
            framing: SyncEngine.framing(counter: nil),
            timeouts: hqEngine.timeouts,
            logger: logger
        )
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            try await listener.run(onBound: { bound.yield($0.port ?? 0) }) { await hqEngine.serve($0) }
        }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        try hq.replica.addPeer(laptop.nodeID, name: "laptop", address: nil)
        try laptop.replica.addPeer(hq.nodeID, name: "hq", address: "127.0.0.1:\(port)")
        let result = await SyncEngine(home: laptop, logger: logger).sync(with: try laptop.replica.peer("hq"))

        #expect(!result.ok)
        let error = try #require(result.error)
        #expect(error.contains("the disk is full"), "\(error)")
        let recorded = try #require(try laptop.replica.peer("hq").lastError)
        #expect(recorded.contains("the disk is full"), "\(recorded)")
        for dump in ["SQLite error", "SQLITE_FULL", "NSCocoaErrorDomain", "Code="] {
            #expect(!recorded.contains(dump), "\(recorded)")
        }
        #expect(!recorded.contains("\n"))
        #expect(try laptop.replica.counts().changes == before)
    }
}
