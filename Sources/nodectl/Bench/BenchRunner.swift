import Foundation
import Logging
import Model
import Node
import Replication

/// Runs W1's phases on one pair of fresh nodes: A writes, B starts empty and syncs from A.
struct BenchRunner {
    let executable: String
    let scratch: URL
    let journal: Int

    struct PairResult {
        var build: [(String, JSONValue)] = []
        var initial: [(String, JSONValue)] = []
        var incremental: [(String, JSONValue)] = []
        var laptop: [(String, JSONValue)] = []
        var buildSeconds = 0.0
        var initialSeconds = 0.0
        var initialBytes: UInt64 = 0
        var initialPeakA: Int64 = 0
        var initialPeakB: Int64 = 0
        var incrementalSeconds = 0.0
        var incrementalBytes: UInt64 = 0
    }

    /// Runs the phases for `customers`; the incremental phase edits every `editEvery`-th one.
    func run(customers: Int, editEvery: Int = 100, label: String) throws -> PairResult {
        let folder = scratch.appendingPathComponent("w1-\(customers)")
        try? FileManager.default.removeItem(at: folder)
        let quiet = Logger.quiet
        let a = try NodeHome.initialize(at: folder.appendingPathComponent("a"), name: "bench-a", logger: quiet)
        let b = try NodeHome.initialize(at: folder.appendingPathComponent("b"), name: "bench-b", logger: quiet)
        try a.replica.addPeer(b.nodeID, name: "b", address: nil)
        var result = PairResult()

        progress("\(label): node A writes \(customers) customers with \(journal) journal entries each")
        let started = ContinuousClock.now
        let populate = try child([
            "populate", "--data", a.directory.path, "--customers", String(customers), "--journal", String(journal),
        ])
        try expectSuccess(populate, "populate")
        result.buildSeconds = (ContinuousClock.now - started).seconds
        let changes = try a.replica.versionVector().count
        result.build = [
            ("customers", .number(Int64(customers))), ("journal", .number(Int64(journal))),
            ("changes", .number(Int64(changes))), ("seconds", .measure(result.buildSeconds)),
            ("peakMemoryA", .number(populate.peakResidentBytes)),
        ]

        progress("\(label): node B syncs from A over TLS (initial)")
        let initial = try syncPhase(a: a, b: b)
        result.initial = initial.fields
        result.initialSeconds = initial.seconds
        result.initialBytes = initial.bytes
        result.initialPeakA = initial.peakA
        result.initialPeakB = initial.peakB

        progress("\(label): node A edits the phone of every 100th customer; B syncs (incremental)")
        try expectSuccess(
            try child(["populate", "--data", a.directory.path, "--edit-phones", "1", "--every", String(editEvery)]),
            "edit"
        )
        let incremental = try syncPhase(a: a, b: b)
        result.incremental = incremental.fields
        result.incrementalSeconds = incremental.seconds
        result.incrementalBytes = incremental.bytes

        progress("\(label): a laptop assigned 1 % of the customers syncs from A (initial)")
        result.laptop = try laptopPhase(a: a, folder: folder, initialBytes: result.initialBytes)
        try? FileManager.default.removeItem(at: folder)
        return result
    }

    /// The goal of issue 15: a laptop assigned 1 % of the customers moves at most 2 % of the
    /// full initial sync's bytes.
    static let laptopBytesGoal = 0.02

    /// A new laptop L, trusted by A as a laptop and assigned every 100th customer (in id order),
    /// syncs from A: its bytes against the full initial sync's, and what it holds.
    func laptopPhase(a: NodeHome, folder: URL, initialBytes: UInt64) throws -> [(String, JSONValue)] {
        let laptop = try NodeHome.initialize(
            at: folder.appendingPathComponent("laptop"),
            name: "bench-laptop",
            role: .laptop,
            logger: Logger.quiet
        )
        try a.replica.addPeer(laptop.nodeID, name: "laptop", address: nil, role: .laptop)
        let customers = try a.replica.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM customers ORDER BY id").enumerated()
                .filter { $0.offset % 100 == 0 }.compactMap { EntityID($0.element) }
        }
        try a.replica.write {
            _ = try $0.recordAssignment(.assign, customers: customers, node: laptop.nodeID, nodeName: "laptop")
        }
        let phase = try syncPhase(a: a, b: laptop)
        let held = try laptop.replica.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0 }
        let ratio = Double(phase.bytes) / Double(max(initialBytes, 1))
        return phase.fields + [
            ("assigned", .number(Int64(customers.count))), ("customersHeld", .number(Int64(held))),
            ("fullSyncBytes", .number(Int64(initialBytes))), ("bytesRatio", .measure(ratio)),
            ("goalBytesRatio", .measure(Self.laptopBytesGoal)), ("goalMet", .bool(ratio <= Self.laptopBytesGoal)),
        ]
    }

    struct Phase {
        var fields: [(String, JSONValue)]
        var seconds: Double
        var bytes: UInt64
        var peakA: Int64
        var peakB: Int64
    }

    /// Starts A's `serve`, runs B's `sync` against it, stops A; checks B now holds what A holds.
    func syncPhase(a: NodeHome, b: NodeHome) throws -> Phase {
        let serve = try child(["serve", "--data", a.directory.path, "--listen", "127.0.0.1:0", "--interval", "3600"])
        let addressFile = a.directory.appendingPathComponent("serve.address")
        var address: String?
        for _ in 0..<600 where address == nil {
            address = (try? String(contentsOf: addressFile, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            if address == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let address else {
            serve.signal(SIGKILL)
            throw UsageError("node A's serve did not start: \(serve.errors)")
        }
        try b.replica.addPeer(a.nodeID, name: "a", address: address)
        let started = ContinuousClock.now
        let sync = try child(["sync", "--data", b.directory.path, "--json"])
        sync.wait()
        let seconds = (ContinuousClock.now - started).seconds
        serve.signal(SIGTERM)
        serve.wait()
        try expectSuccess(sync, "sync")
        guard let object = try? JSONSerialization.jsonObject(with: Data(sync.output.utf8)) as? [String: Any],
            let peer = (object["peers"] as? [[String: Any]])?.first
        else { throw UsageError("sync printed no result: \(sync.output)") }
        let sent = (peer["bytesSent"] as? NSNumber)?.uint64Value ?? 0
        let received = (peer["bytesReceived"] as? NSNumber)?.uint64Value ?? 0
        let converged = try a.replica.versionVector() == b.replica.versionVector()
        return Phase(
            fields: [
                ("seconds", .measure(seconds)),
                ("bytesAtoB", .number(Int64(received))), ("bytesBtoA", .number(Int64(sent))),
                ("bytesTotal", .number(Int64(sent + received))),
                ("payloadBytesAtoB", .number(Int64((peer["payloadBytesReceived"] as? NSNumber)?.intValue ?? 0))),
                ("payloadBytesBtoA", .number(Int64((peer["payloadBytesSent"] as? NSNumber)?.intValue ?? 0))),
                ("changes", .number(Int64((peer["received"] as? NSNumber)?.intValue ?? 0))),
                ("converged", .bool(converged)),
                ("peakMemoryA", .number(serve.peakResidentBytes)), ("peakMemoryB", .number(sync.peakResidentBytes)),
            ],
            seconds: seconds,
            bytes: sent + received,
            peakA: serve.peakResidentBytes,
            peakB: sync.peakResidentBytes
        )
    }

    func child(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(executable, arguments, scratch: scratch)
    }

    func expectSuccess(_ process: ChildProcess, _ what: String) throws {
        guard process.wait() == 0 else {
            throw UsageError(
                "\(what) failed (exit \(process.wait())): \(process.errors.split(separator: "\n").last ?? "")"
            )
        }
    }
}

extension Logger {
    static let quiet = Logger(label: "nextsoft.bench", factory: { _ in SwiftLogNoOpLogHandler() })
}
