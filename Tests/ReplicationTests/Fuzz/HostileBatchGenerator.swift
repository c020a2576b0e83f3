// Turns fuzzer bytes into hostile but well-formed change batches and applies them to a replica.
//
// Shared by the libFuzzer harness fuzz/FuzzApply.swift (scripts/fuzz-apply.sh compiles this file
// into it) and by ApplyCrasherReplayTests, which replays the files in Crashers/apply/ through the
// same code. Public API of Replication only, so that it builds in both places.
//
// The bytes are read as a stream (zeros once it runs dry) that picks each step: a batch of
// 1...8 changes applied with an empty base, a local write, or an office's decision on a held
// change. Every choice aims at something the gate, the ledger or the materializer decides:
// forged own origins, gaps and duplicates in sequence numbers, numbers beyond bounds, clocks in
// the far future, predecessors nobody sent, unknown kinds, fields and operations, values not in
// stored form, broken records, two records under one id, decisions naming held changes. After
// every step the promise is checked: only the allowed errors, `check()` empty, held changes and
// conflicts listable.

import Foundation
import Model
import Replication

/// A byte stream that never ends: zeros after the last byte.
struct FuzzByteStream {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// A number below `count` (at most 256 choices from one byte).
    mutating func below(_ count: Int) -> Int { Int(byte()) % max(count, 1) }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    mutating func uint64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    /// A short string of the stream's bytes (valid UTF-8 only: Swift strings cannot hold other).
    mutating func text(maximum: Int = 12) -> String {
        let count = below(maximum + 1)
        let raw = (0..<count).map { _ in byte() }
        return String(decoding: raw, as: UTF8.self)
    }
}

/// Generates hostile batches from a byte stream and runs them against one replica.
struct HostileBatchGenerator {
    /// The fixed wall clock of the replica under test (2027-01-15, Unix milliseconds).
    static let now: UInt64 = 1_800_000_000_000
    /// The replica's own node, then three peers that send changes.
    static let nodes: [NodeID] = (0..<4).map { index in
        NodeID(digest: (0..<32).map { UInt8(truncatingIfNeeded: 0x11 * (index + 1) &+ $0) })
    }
    /// Nodes that never send anything (named only as predecessors and in decisions).
    static let strangers: [NodeID] = (0..<2).map { index in
        NodeID(digest: (0..<32).map { UInt8(truncatingIfNeeded: 0xA0 + index &* 7 &+ $0 &* 3) })
    }
    static var receiver: NodeID { nodes[0] }
    /// A few entity ids that changes share, so that kinds collide and records repeat.
    static let entities: [EntityID] = (0..<8).map { index in
        EntityID(milliseconds: 1_700_000_000_000 + UInt64(index), counter: UInt16(index), node: UInt64(index + 1))
    }

    static let fieldNames = [
        "name", "notes", "email", "phone", "address", "website", "categories", "customer", "salutation", "title",
        "phones", "emails", "",
    ]

    /// Makes the replica the generator expects: its own node id and the fixed wall clock.
    static func makeReplica(at directory: URL) throws -> Replica {
        try Replica.create(at: directory, nodeID: receiver, name: "fuzz", wallClock: { now })
    }

    private var stream: FuzzByteStream
    /// Changes generated so far, newest last (for predecessors and decisions).
    private var written: [Change] = []
    /// What the receiver held after the last step (for decisions on held changes).
    private var held: [HeldChange] = []

    init(_ bytes: [UInt8]) {
        stream = FuzzByteStream(bytes)
    }

    // MARK: Running

    /// The codec's limits for an input that is an encoded batch: small, as in
    /// fuzz/FuzzChangeBatch.swift, so that mutated bombs cost milliseconds.
    static let codecLimits = ChangeBatchCodec.Limits(
        maxDecompressedBytes: 1 << 20,
        maxChanges: 64,
        maxStringBytes: 1 << 18,
        maxNodes: 16,
        maxPredecessors: 16
    )

    /// Runs one fuzzer input: an encoded batch (it starts with the magic `NXCB`) is decoded and
    /// applied; anything else drives the generator. Returns the broken promises.
    static func runInput(_ bytes: [UInt8], on replica: Replica) -> [String] {
        guard bytes.starts(with: Array("NXCB".utf8)) else { return run(bytes, on: replica) }
        guard let batch = try? ChangeBatchCodec.decode(bytes, limits: codecLimits) else { return [] }
        return apply(decoded: batch, on: replica)
    }

    /// Runs every step the bytes describe against `replica`; returns the broken promises (none:
    /// the replica held up). Traps are not caught: the fuzzer reports those itself.
    static func run(_ bytes: [UInt8], on replica: Replica, maximumSteps: Int = 8) -> [String] {
        var generator = HostileBatchGenerator(bytes)
        do {
            generator.held = try replica.heldChanges()
        } catch {
            return ["heldChanges() threw \(error)"]
        }
        var problems: [String] = []
        var step = 0
        while !generator.stream.isAtEnd, step < maximumSteps, problems.isEmpty {
            step += 1
            let result = generator.step(on: replica, number: step)
            problems += result.problems
            generator.held = result.held ?? generator.held
        }
        return problems
    }

    /// Applies an already decoded batch (the codec path of the harness) with its own base and
    /// with an empty one; returns the broken promises.
    static func apply(decoded batch: ChangeBatch, on replica: Replica) -> [String] {
        var problems = apply(batch, on: replica, what: "the decoded batch").problems
        if problems.isEmpty, !batch.base.entries.isEmpty {
            problems +=
                apply(ChangeBatch(changes: batch.changes), on: replica, what: "the decoded batch, base emptied")
                .problems
        }
        return problems
    }

    /// What a step found: the broken promises, and what the receiver holds now (`nil` when it
    /// was not listed).
    typealias Outcome = (problems: [String], held: [HeldChange]?)

    private mutating func step(on replica: Replica, number: Int) -> Outcome {
        switch stream.below(16) {
        case 0:
            return localWrite(on: replica, number: number)
        case 1:
            return localDecision(on: replica, number: number)
        default:
            let vector: VersionVector
            do {
                vector = try replica.versionVector()
            } catch {
                return (["step \(number): versionVector() threw \(error)"], nil)
            }
            let batch = makeBatch(vector: vector)
            return Self.apply(batch, on: replica, what: "step \(number)")
        }
    }

    /// Applies one batch and checks the promise.
    static func apply(_ batch: ChangeBatch, on replica: Replica, what: String) -> Outcome {
        var problems: [String] = []
        do {
            try replica.apply(batch)
        } catch let error as ReplicationError where error.code == .missingPrerequisites {
            // Allowed: nothing of the batch was applied.
        } catch {
            problems.append("\(what): apply threw \(type(of: error)) \(error)\n\(describe(batch))")
        }
        let checked = checkReplica(replica, after: what)
        problems += checked.problems
        if !problems.isEmpty, !problems[0].contains("apply threw") { problems.append(describe(batch)) }
        return (problems, checked.held)
    }

    /// The replica's own check must find nothing, and the listings must not throw.
    static func checkReplica(_ replica: Replica, after what: String) -> Outcome {
        var problems: [String] = []
        var held: [HeldChange]?
        do {
            let broken = try replica.check()
            if !broken.isEmpty { problems.append("\(what): check() found \(broken)") }
        } catch {
            problems.append("\(what): check() threw \(error)")
        }
        do {
            held = try replica.heldChanges()
        } catch {
            problems.append("\(what): heldChanges() threw \(error)")
        }
        do {
            _ = try replica.conflicts()
        } catch {
            problems.append("\(what): conflicts() threw \(error)")
        }
        return (problems, held)
    }

    static func describe(_ batch: ChangeBatch) -> String {
        batch.changes.enumerated().map { index, change in
            let node = nodes.firstIndex(of: change.origin).map { "n\($0)" } ?? change.origin.short
            let predecessors = change.predecessors.map { id in
                (nodes.firstIndex(of: id.origin).map { "n\($0)" } ?? id.origin.short) + "#\(id.seq)"
            }
            return
                "  [\(index)] \(node)#\(change.seq) t=\(change.time) kind=\(change.entity.code) \(change.entityID) "
                + "field='\(change.field)' op=\(change.operation) value=\(change.value.map { "'\($0.prefix(200))'" } ?? "nil") "
                + "preds=\(predecessors)"
        }.joined(separator: "\n")
    }

    // MARK: Local steps

    /// A local write: creating a customer must always work; a write to a shared id may be
    /// refused, but only with a ReplicationError.
    private mutating func localWrite(on replica: Replica, number: Int) -> Outcome {
        let target = stream.pick(Self.entities)
        let field = stream.pick(["notes", "name", "email", "website"])
        let value = stream.pick(["local", "", "x@example.com", "Zoë"])
        var problems: [String] = []
        do {
            try replica.write { writer in _ = try writer.createCustomer(name: "Local \(number)") }
        } catch {
            problems.append("step \(number): a local createCustomer failed: \(error)")
        }
        do {
            try replica.write { writer in try writer.set(.customer, target, field: field, to: value) }
        } catch is ReplicationError {
            // Allowed: the id is not a customer here, or the value is refused.
        } catch {
            problems.append("step \(number): a local set threw \(type(of: error)) \(error)")
        }
        let checked = Self.checkReplica(replica, after: "step \(number) (local write)")
        return (problems + checked.problems, checked.held)
    }

    /// An office accepts or drops a held change here (the decision is then a local record).
    private mutating func localDecision(on replica: Replica, number: Int) -> Outcome {
        guard !held.isEmpty else { return ([], nil) }
        let chosen = pickHeld()
        let accept = stream.byte() % 3 != 0
        do {
            if accept {
                try replica.acceptHeld([chosen.id], by: "fuzz")
            } else {
                try replica.dropHeld([chosen.id], reason: "fuzz", by: "fuzz")
            }
        } catch is ReplicationError {
            // Allowed: a change that cannot be accepted is refused.
        } catch {
            return (
                [
                    "step \(number): \(accept ? "acceptHeld" : "dropHeld") of \(chosen.reason.rawValue) change "
                        + "\(chosen.entity) \(chosen.entityID) '\(chosen.field)' \(chosen.operation) "
                        + "value=\(chosen.value ?? "nil") threw \(type(of: error)) \(error)"
                ], nil
            )
        }
        return Self.checkReplica(replica, after: "step \(number) (local decision)")
    }

    /// A held change (the caller checks there is one), mostly one this input sent: the held
    /// list of a replica that lived through many inputs is long, and a decision on the change
    /// just held is what reaches the acceptance paths.
    private mutating func pickHeld() -> HeldChange {
        let recent = held.filter { candidate in
            written.contains { $0.origin == candidate.origin && $0.seq == candidate.seq }
        }
        let pool = recent.isEmpty || stream.below(4) == 0 ? held : recent
        return pool[stream.below(pool.count)]
    }

    // MARK: Batches

    mutating func makeBatch(vector: VersionVector) -> ChangeBatch {
        let count = 1 + stream.below(8)
        var next = vector
        var changes: [Change] = []
        for _ in 0..<count {
            let change = makeChange(next: &next)
            changes.append(change)
            written.append(change)
            if written.count > 64 { written.removeFirst(written.count - 64) }
        }
        return ChangeBatch(changes: changes)
    }

    /// One change; `next` is what the receiver holds after the batch's earlier changes (as far
    /// as in-order changes go).
    private mutating func makeChange(next: inout VersionVector) -> Change {
        // Origin: mostly the three peers, sometimes a forgery of the receiver's own id.
        let origin = Self.nodes[stream.pick([1, 2, 3, 1, 2, 3, 1, 2, 0])]
        let have = next[origin]
        let seq: UInt64
        switch stream.below(16) {
        case 0...8: seq = have + 1
        case 9: seq = have
        case 10: seq = have + 2 + UInt64(stream.below(3))
        case 11: seq = 0
        case 12: seq = have + 1000
        case 13: seq = UInt64(Int64.max)
        case 14: seq = UInt64(Int64.max) + 1
        default: seq = stream.uint64()
        }
        if seq == have + 1, seq <= UInt64(Int64.max) { next[origin] = seq }

        let time = makeTime()
        let kindCode: UInt8
        switch stream.below(16) {
        case 0...2, 15: kindCode = 1
        case 3...5: kindCode = 2
        case 6, 7: kindCode = 3
        case 8, 9: kindCode = 4
        case 10, 11: kindCode = 5
        case 12: kindCode = 0
        case 13: kindCode = 6
        default: kindCode = stream.byte()
        }
        let entityID = makeEntityID()
        var (field, operation) = naturalFieldAndOperation(kind: kindCode)
        if stream.below(8) == 0 { field = stream.below(4) == 0 ? stream.text() : stream.pick(Self.fieldNames) }
        if stream.below(8) == 0 {
            operation = Replication.Operation(code: stream.below(4) == 0 ? stream.byte() : UInt8(stream.below(8)))
        }
        let value = makeValue(kind: kindCode, field: field, operation: operation, entityID: entityID)
        let predecessors = makePredecessors(entityID: entityID, field: field, operation: operation, value: value)
        return Change(
            origin: origin,
            seq: seq,
            time: time,
            entity: EntityKind(code: kindCode),
            entityID: entityID,
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors
        )
    }

    private mutating func makeTime() -> HybridTime {
        let counter = UInt16(stream.below(4))
        let milliseconds: UInt64
        switch stream.below(32) {
        case 0...19: milliseconds = Self.now - UInt64(stream.below(8)) * 1000
        case 20...23: milliseconds = Self.now - 86_400_000 * UInt64(1 + stream.below(200))
        case 24: milliseconds = Self.now + 9 * 60 * 1000  // within the drift bound
        case 25: milliseconds = 0
        case 26: milliseconds = Self.now + 11 * 60 * 1000  // beyond the drift bound: applied all the same
        case 27: milliseconds = (1 << 47) - 1  // the largest storable, far in the future
        case 28: milliseconds = 1 << 47  // beyond any date: held as malformed
        case 29: milliseconds = UInt64.max
        default: milliseconds = Self.now
        }
        return HybridTime(milliseconds: milliseconds, counter: stream.below(8) == 0 ? UInt16.max : counter)
    }

    private mutating func makeEntityID() -> EntityID {
        switch stream.below(12) {
        case 0...8: return Self.entities[stream.below(4) == 0 ? stream.below(Self.entities.count) : stream.below(3)]
        case 9: return EntityID(high: 0, low: 0)
        case 10: return EntityID(high: UInt64.max, low: UInt64.max)
        default: return EntityID(high: stream.uint64(), low: stream.uint64())
        }
    }

    private mutating func naturalFieldAndOperation(kind: UInt8) -> (String, Replication.Operation) {
        switch kind {
        case 1:
            let field = stream.pick(["name", "notes", "email", "phone", "address", "website", "categories", "name"])
            return (field, field == "categories" ? stream.pick([.add, .add, .remove]) : .assign)
        case 2:
            let field = stream.pick(["customer", "name", "salutation", "title", "address", "notes", "phones", "emails"])
            return (field, field == "phones" || field == "emails" ? stream.pick([.add, .add, .remove]) : .assign)
        case 3, 4, 5:
            return ("", .record)
        default:
            return (stream.pick(Self.fieldNames), Replication.Operation(code: UInt8(stream.below(8))))
        }
    }

    // MARK: Values

    private mutating func makeValue(
        kind: UInt8,
        field: String,
        operation: Replication.Operation,
        entityID: EntityID
    ) -> String? {
        if stream.below(operation == .add || operation == .remove ? 6 : 16) == 0 { return nil }
        if stream.below(16) == 0 { return stream.text(maximum: 24) }
        if operation == .record || field.isEmpty {
            switch kind {
            case 3: return journalRecord(entityID: entityID)
            case 4: return documentRecord()
            case 5: return decisionRecord()
            default: return stream.pick([journalRecord(entityID: entityID), documentRecord(), decisionRecord()])
            }
        }
        switch field {
        case "email": return email()
        case "customer": return entityReference()
        case "categories": return stream.pick(["VIP", " VIP", "vip", "", "VIP ", "Key account", "\u{0}"])
        case "phones":
            return stream.pick([
                "mobile: 1", "Mobile: 1", "mobile:1", "+44 20 7946 0958", "work: +1 555 0100", "mobile:", ": 1",
                "http://x", "fax-home: 2",
            ])
        case "emails":
            return stream.pick([
                "work: a@example.com", "Work: a@example.com", "a@example.com", "work: A@Example.COM", "home: not-mail",
                "work:  b@example.com",
            ])
        case "name":
            return stream.pick([
                "Acme Ltd", "", "  ", "Zoë & Co", "Globex", " padded ", String(repeating: "n", count: 300),
            ])
        default:
            return stream.pick([
                "text", "", "Zoë", "line\nbreak", "  spaced  ", "\u{0}nul", "https://example.com",
                stream.below(64) == 0 ? String(repeating: "x", count: FieldRule.maximumValueBytes + 1) : "short",
            ])
        }
    }

    private mutating func email() -> String {
        stream.pick([
            "a@example.com", "A@Example.COM", "a@example.com ", " a@example.com", "not an email", "a@b", "@example.com",
            "a@@example.com", "zoë@example.com", "", "a.b+c@example.co.uk",
        ])
    }

    private mutating func entityReference() -> String {
        switch stream.below(6) {
        case 0, 1, 2: return Self.entities[stream.below(3)].description
        case 3: return Self.entities[stream.below(3)].description.uppercased()
        case 4: return " " + Self.entities[0].description
        default: return stream.pick(["", "not-an-id", "00000000-0000-0000-0000-000000000000"])
        }
    }

    /// A JSON text member: good, of another type, or missing (`nil`).
    private mutating func textMember(_ good: String) -> String? {
        switch stream.below(10) {
        case 0: return nil
        case 1: return "null"
        case 2: return "5"
        case 3: return "true"
        case 4: return "\"\""
        default: return json(good)
        }
    }

    private mutating func entityMember() -> String? {
        switch stream.below(10) {
        case 0: return nil
        case 1: return "7"
        case 2: return json(Self.entities[stream.below(3)].description.uppercased())
        case 3: return json("not-an-id")
        default: return json(Self.entities[stream.below(Self.entities.count)].description)
        }
    }

    private mutating func integerMember(_ good: Int64) -> String? {
        stream.pick([
            String(good), String(good), String(good), "0", "-1", "1.5", "1e300", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "true", "\"12\"", "null", "1.0", "-0", "4e18", nil,
        ])
    }

    private mutating func journalRecord(entityID: EntityID) -> String {
        record([
            ("customerId", entityMember()),
            ("at", textMember("2026-11-29T14:05:00Z")),
            ("kind", textMember(stream.pick(["call", "meeting", "email", "bogus"]))),
            ("parties", textMember("Zoë, Sam")),
            ("notes", textMember("talked")),
            ("author", textMember("sam")),
            ("corrects", stream.below(3) == 0 ? entityMember() : nil),
        ])
    }

    private mutating func documentRecord() -> String {
        let digest: String
        switch stream.below(8) {
        case 0: digest = String(repeating: "AB", count: 32)  // upper case
        case 1: digest = String(repeating: "a", count: 63)
        case 2: digest = String(repeating: "g", count: 64)
        case 3: digest = String(repeating: "0", count: 64) + "0"
        default: digest = String(repeating: stream.pick(["ab", "01", "ff", "9c"]), count: 32)
        }
        return record([
            ("customerId", entityMember()),
            ("title", textMember("Contract")),
            ("fileName", textMember("contract.pdf")),
            ("mediaType", textMember("application/pdf")),
            ("size", integerMember(Int64(stream.below(5000)))),
            ("digest", stream.below(8) == 0 ? textMember("x") : json(digest)),
            ("addedAt", textMember("2026-11-29T14:05:00Z")),
            ("addedBy", textMember("sam")),
        ])
    }

    /// A decision record, mostly on a change the receiver holds or was sent recently.
    private mutating func decisionRecord() -> String {
        var origin = Self.nodes[stream.below(Self.nodes.count)].description
        var seq = Int64(stream.below(6))
        switch stream.below(4) {
        case 0, 1:
            if !held.isEmpty {
                let chosen = pickHeld()
                origin = chosen.origin.description
                seq = chosen.seq.flatMap { Int64(exactly: $0) } ?? Int64.max
            }
        case 2:
            if !written.isEmpty {
                let chosen = written[stream.below(written.count)]
                origin = chosen.origin.description
                seq = Int64(truncatingIfNeeded: chosen.seq)
            }
        default:
            break
        }
        let originMember: String? =
            switch stream.below(10) {
            case 0: nil
            case 1: json(origin.lowercased())
            case 2: json(Self.strangers[0].description)
            case 3: "42"
            default: json(origin)
            }
        return record([
            ("origin", originMember),
            ("seq", stream.below(6) == 0 ? integerMember(seq) : String(seq)),
            (
                "decision",
                stream.pick([json("accept"), json("accept"), json("drop"), json("Accept"), json("maybe"), nil])
            ),
            ("reason", textMember("checked")),
            ("decidedAt", textMember("2026-11-29T14:05:00Z")),
            ("decidedBy", textMember("office")),
        ])
    }

    /// A JSON object of the members present, in order or shuffled, sometimes with a duplicate
    /// key, an extra member, or broken.
    private mutating func record(_ members: [(String, String?)]) -> String {
        var present = members.compactMap { key, value in value.map { (key, $0) } }
        switch stream.below(12) {
        case 0: present.reverse()
        case 1: if let first = present.first { present.append((first.0, stream.pick(["null", "1", json("other")]))) }
        case 2: present.append(("extra", json("from a newer release")))
        default: break
        }
        let text = "{" + present.map { "\(json($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        switch stream.below(24) {
        case 0: return String(text.dropLast())
        case 1: return "[" + text + "]"
        case 2: return stream.pick(["null", "", "42", "\"text\"", "{}"])
        default: return text
        }
    }

    private func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\u{0}"..."\u{1F}": out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Predecessors

    private mutating func makePredecessors(
        entityID: EntityID,
        field: String,
        operation: Replication.Operation,
        value: String?
    ) -> [WriteID] {
        let sameField = written.filter { $0.entityID == entityID && $0.field == field }
        var result: [WriteID] = []
        switch operation {
        case .assign:
            // What a writer usually names: the field's latest writes.
            if let last = sameField.last, stream.below(3) != 0 { result.append(last.id) }
        case .remove:
            result += sameField.filter { $0.operation == .add && $0.value == value }.suffix(2).map(\.id)
        case .record:
            if stream.below(8) != 0 { return [] }
        default:
            break
        }
        for _ in 0..<stream.pick([0, 0, 0, 1, 1, 2, 3]) {
            switch stream.below(10) {
            case 0, 1, 2:
                if !written.isEmpty { result.append(written[stream.below(written.count)].id) }
            case 3: result.append(WriteID(origin: stream.pick(Self.strangers), seq: 1))
            case 4: result.append(WriteID(origin: stream.pick(Self.nodes), seq: 1 + UInt64(stream.below(4))))
            case 5: result.append(WriteID(origin: stream.pick(Self.nodes), seq: UInt64(Int64.max)))
            case 6: result.append(WriteID(origin: stream.pick(Self.nodes), seq: UInt64(Int64.max) + 1))
            case 7: result.append(WriteID(origin: stream.pick(Self.nodes), seq: 0))
            case 8: if let first = result.first { result.append(first) }
            default: result.append(WriteID(origin: stream.pick(Self.nodes + Self.strangers), seq: stream.uint64()))
            }
        }
        return result
    }
}
