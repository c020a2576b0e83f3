import ArgumentParser
import Foundation
import Logging
import Model
import Node
import Replication

/// `nodectl bench`: workload W1 (../shared/bench/W1.md) or W2 (../shared/bench/W2.md) with two
/// real nodes in separate processes, syncing over mutually authenticated TLS on loopback, on
/// temporary folders.
struct BenchCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Run benchmark W1 (build, initial sync, incremental sync, scale check) or W2 (the ledger: build, initial sync, reports); one JSON object per phase.",
        discussion: """
            Each phase prints one JSON object on a line of its own (stdout): wall seconds, bytes on the wire each \
            way (TLS included), changes moved, and the peak resident memory of each process. The plain-SQLite \
            insert floor is measured in the same run. Progress goes to stderr. W2 (--workload w2) writes W1's \
            customers and a ledger over them (500 items, 20 invoices, 25 payments and one credit note a customer, \
            a reversal every 10th), syncs it, then times ageing, a statement and one customer's tab on B.

            Example: nodectl bench --customers 1000 --scale 1
            """
    )
    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case w1, w2
    }

    @Option(help: "The workload: w1 (customer folders) or w2 (the ledger).") var workload = Workload.w1
    @Option(help: "Customers in the workload (N).") var customers = 10_000
    @Option(help: "Journal entries per customer (J); 5 for w1, 0 for w2 unless given.") var journal: Int?
    @Option(help: "The scale check runs the incremental sync at this many times N (1 skips it; w1 only).")
    var scale = 10
    @Option(help: "Keep the nodes' folders here instead of a temporary folder.") var work: String?

    func execute() async throws {
        let journal = journal ?? (workload == .w1 ? 5 : 0)
        guard customers > 0, journal >= 0, scale >= 1 else {
            throw UsageError("--customers must be positive, --journal not negative, --scale at least 1")
        }
        let scratch =
            work.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("nextsoft-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: scratch) } }
        let runner = BenchRunner(executable: try Self.executablePath(), scratch: scratch, journal: journal)
        if workload == .w2 {
            try ledger(runner)
            return
        }

        progress("measuring the plain-insert floor (\(customers) customers)")
        let baseline = try PlainInsertFloor.measure(customers: customers, journal: journal, directory: scratch)
        Output.json(
            .object([
                ("phase", .string("floor")), ("customers", .number(Int64(customers))),
                ("journal", .number(Int64(journal))), ("values", .number(Int64(baseline.values))),
                ("seconds", .measure(baseline.seconds)),
            ])
        )

        let base = try runner.run(customers: customers, label: "N")
        Output.json(.object(phase("build") + base.build))
        let ratio = base.initialSeconds / max(baseline.seconds, 1e-9)
        let initial: [(String, JSONValue)] =
            phase("initialSync") + base.initial + [
                ("floorSeconds", .measure(baseline.seconds)), ("ratioToFloor", .measure(ratio)),
            ]
        Output.json(.object(initial))
        Output.json(.object(phase("incrementalSync") + base.incremental))
        Output.json(.object(phase("laptopSync") + base.laptop))

        guard scale > 1 else { return }
        let large = try runner.run(customers: customers * scale, editEvery: 100 * scale, label: "\(scale)N")
        let timeRatio = large.incrementalSeconds / max(base.incrementalSeconds, 1e-9)
        let bytesRatio = Double(large.incrementalBytes) / Double(max(base.incrementalBytes, 1))
        let extra: [(String, JSONValue)] = [
            ("timeRatio", .measure(timeRatio)),
            ("bytesRatio", .measure(bytesRatio)),
            ("buildSeconds", .measure(large.buildSeconds)),
            ("initialSyncSeconds", .measure(large.initialSeconds)),
            ("initialSyncBytes", .number(Int64(large.initialBytes))),
            ("peakMemoryInitialA", .number(large.initialPeakA)),
            ("peakMemoryInitialB", .number(large.initialPeakB)),
        ]
        let scaled: [(String, JSONValue)] = phase("scaleCheck") + [("scale", .number(Int64(scale)))]
        Output.json(.object(scaled + large.incremental + extra))
    }

    /// W2's phases: build, floor, initial sync, reports.
    private func ledger(_ runner: BenchRunner) throws {
        try runner.runLedger(customers: customers) { fields, name in
            Output.json(.object(phase(name) + [("workload", .string("w2"))] + fields))
        }
    }

    private func phase(_ name: String) -> [(String, JSONValue)] {
        [("phase", .string(name))]
    }

    static func executablePath() throws -> String {
        let link = "/proc/self/exe"
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: link) { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

func progress(_ text: String) {
    Output.diagnostic("bench: " + text)
}
