// A libFuzzer harness for applying peers' batches (`Replica.apply`). Built and run by
// scripts/fuzz-apply.sh, which compiles it together with
// Tests/ReplicationTests/Fuzz/HostileBatchGenerator.swift (the generator the replay test uses);
// not part of the Swift package.
//
// An input that starts with the batch magic `NXCB` is decoded by `ChangeBatchCodec` (small
// limits, as in fuzz/FuzzChangeBatch.swift) and applied as decoded and with an empty base. Any
// other input drives the structured generator: a stream of hostile but well-formed batches,
// local writes and decisions on held changes. Either way apply may only throw a
// ReplicationError `.missingPrerequisites` or `.clockTooFarAhead`, and afterwards `check()`
// must find nothing and `heldChanges()` / `conflicts()` must not throw; anything else is a
// `fatalError` (a finding), as is a trap or an ASan report.
//
// One replica per process, made in a temporary folder and made anew every `freshEvery`
// inputs so that it does not grow without bound (a finding that needs the state of earlier
// inputs then shows as a crash input that does not reproduce alone: rerun with
// -runs on the crash file's corpus neighbours, or set FUZZ_APPLY_FRESH_EVERY=1).

import Foundation
import Replication

private let freshEvery = Int(ProcessInfo.processInfo.environment["FUZZ_APPLY_FRESH_EVERY"] ?? "") ?? 16

nonisolated(unsafe) private var replica: Replica?
nonisolated(unsafe) private var folder: URL?
nonisolated(unsafe) private var inputs = 0

private func currentReplica() -> Replica {
    if let replica, inputs % freshEvery != 0 { return replica }
    replica = nil
    if let folder { try? FileManager.default.removeItem(at: folder) }
    let base =
        FileManager.default.fileExists(atPath: "/dev/shm")
        ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
    let made = base.appendingPathComponent("fuzz-apply-\(getpid())-\(inputs)")
    do {
        let fresh = try HostileBatchGenerator.makeReplica(at: made)
        replica = fresh
        folder = made
        return fresh
    } catch {
        fatalError("could not create the replica in \(made.path): \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzApply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let replica = currentReplica()
    inputs += 1
    let problems = HostileBatchGenerator.runInput(input, on: replica)
    if !problems.isEmpty {
        fatalError("apply broke its promise (input \(inputs) on this replica):\n" + problems.joined(separator: "\n"))
    }
    return 0
}
