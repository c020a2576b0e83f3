import Foundation
import Model
import Testing

@testable import Replication

/// Three technicians' laptops work one service call apart — adding and removing crew, writing
/// notes, setting statuses — and sync in random pairs. After every step each node's call is
/// checked against an independent model of what it has seen: the crew is every add no removal
/// it holds had seen (add-wins), the notes are every note it holds, and the status is in
/// conflict exactly when two or more statuses it holds saw none of the others. At the end every
/// node shows the same call. `SERVICE_SEEDS` sets how many seeds run (default 100),
/// `SERVICE_SEED` runs one.
@Suite("Service calls under concurrency")
struct ServiceConcurrencyTests {
    static let people = ["Ann", "Bob", "Carol", "Dave", "Eve"]
    static let statuses = ["scheduled", "dispatched", "in-progress", "completed", "cancelled"]

    /// A write as the model knows it: what it did and which writes its node had seen.
    struct Op {
        enum Action {
            case add(String)
            case remove(String)
            case note(String)
            case status(String)
        }
        let action: Action
        let context: Set<Int>
    }

    /// What a node holding `seen` must show.
    struct Expected {
        var crew: [String]
        var notes: [String]
        /// The values of the statuses no other held status had seen: more than one is a conflict
        /// (also of one value written twice apart).
        var heads: [String]
    }

    static func expected(_ ops: [Op], seen: Set<Int>) -> Expected {
        var crew: [String] = []
        for person in people {
            let adds = seen.filter { if case .add(person) = ops[$0].action { return true } else { return false } }
            let removes = seen.filter {
                if case .remove(person) = ops[$0].action { return true } else { return false }
            }
            if adds.contains(where: { add in !removes.contains { ops[$0].context.contains(add) } }) {
                crew.append(person)
            }
        }
        let notes = seen.compactMap { index -> String? in
            if case .note(let text) = ops[index].action { return text } else { return nil }
        }
        let statuses = seen.filter { if case .status = ops[$0].action { return true } else { return false } }
        let heads = statuses.filter { status in !statuses.contains { ops[$0].context.contains(status) } }
        return Expected(
            crew: crew.sorted { $0.caseInsensitiveCompare($1) == .orderedAscending },
            notes: notes.sorted(),
            heads: heads.compactMap { if case .status(let word) = ops[$0].action { return word } else { return nil } }
        )
    }

    @Test func crewNotesAndStatusesFollowTheirMergeRulesOnEveryNode() throws {
        let environment = ProcessInfo.processInfo.environment
        let seeds: [UInt64] =
            environment["SERVICE_SEED"].flatMap(UInt64.init).map { [$0] }
            ?? Array(0..<(environment["SERVICE_SEEDS"].flatMap(UInt64.init) ?? 100))
        for seed in seeds { try run(seed: seed) }
    }

    func run(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let fixture = ReplicaFixture()
        let nodes = try (0..<3).map { try fixture.node($0 + 1) }
        let customer = try fixture.customer(on: nodes[0], sharedWith: [])
        var ops: [Op] = []
        var seen: [Set<Int>] = [[], [], []]
        func record(_ action: Op.Action, on node: Int) {
            ops.append(Op(action: action, context: seen[node]))
            seen[node].insert(ops.count - 1)
        }
        let first = Self.people[Int.random(in: 0..<Self.people.count, using: &random)]
        let call = try nodes[0].write {
            try $0.addServiceCall(
                customer: customer,
                problem: "No heat",
                equipment: nil,
                job: nil,
                scheduled: nil,
                crew: [first]
            )
        }.id
        record(.status("scheduled"), on: 0)
        record(.add(first), on: 0)
        for other in 1..<3 {
            try fixture.sync(nodes[0], to: nodes[other])
            seen[other].formUnion(seen[0])
        }
        var trace: [String] = []
        for step in 0..<40 {
            let node = Int.random(in: 0..<3, using: &random)
            let shown = try nodes[node].serviceCall(call.description)
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<3:
                let person = Self.people[Int.random(in: 0..<Self.people.count, using: &random)]
                try nodes[node].write { try $0.changeCrew(call.description, add: [person], remove: []) }
                record(.add(person), on: node)
                trace.append("\(step) node \(node) adds \(person)")
            case 3..<5:
                guard let person = shown.call.crew.randomElement(using: &random) else { continue }
                try nodes[node].write { try $0.changeCrew(call.description, add: [], remove: [person]) }
                record(.remove(person), on: node)
                trace.append("\(step) node \(node) removes \(person)")
            case 5..<6:
                let text = "note \(step) on \(node)"
                _ = try nodes[node].write { try $0.addServiceNote(call.description, text: text) }
                record(.note(text), on: node)
                trace.append("\(step) node \(node) notes")
            case 6..<8:
                let status = Self.statuses[Int.random(in: 0..<Self.statuses.count, using: &random)]
                // Writing the value the register holds, alone, is no write (no change is made).
                if shown.call.status == status, !shown.call.conflicts.contains("status") { continue }
                try nodes[node].write {
                    try $0.setServiceCall(
                        call.description,
                        edits: [("status", status)],
                        today: BusinessDate(daysSinceEpoch: 20_000)
                    )
                }
                record(.status(status), on: node)
                trace.append("\(step) node \(node) sets \(status)")
            default:
                let other = (node + Int.random(in: 1..<3, using: &random)) % 3
                try fixture.sync(nodes[node], to: nodes[other])
                seen[other].formUnion(seen[node])
                trace.append("\(step) sync \(node) → \(other)")
            }
            try check(
                nodes[node],
                call,
                Self.expected(ops, seen: seen[node]),
                "seed \(seed) step \(step) node \(node)",
                trace
            )
        }
        for _ in 0..<2 {
            for a in 0..<3 {
                for b in 0..<3 where a != b {
                    try fixture.sync(nodes[a], to: nodes[b])
                    seen[b].formUnion(seen[a])
                }
            }
        }
        let all = Self.expected(ops, seen: Set(0..<ops.count))
        let reference = try nodes[0].serviceCall(call.description)
        for (index, node) in nodes.enumerated() {
            try check(node, call, all, "seed \(seed) at the end, node \(index)", trace)
            let shown = try node.serviceCall(call.description)
            #expect(shown == reference, "seed \(seed): node \(index) shows another call than node 0")
        }
    }

    func check(_ replica: Replica, _ call: EntityID, _ expected: Expected, _ label: String, _ trace: [String]) throws {
        let shown = try replica.serviceCall(call.description)
        #expect(shown.call.crew == expected.crew, "\(label): crew\n\(trace.joined(separator: "\n"))")
        #expect(shown.notes.map(\.text).sorted() == expected.notes, "\(label): notes")
        let inConflict = shown.call.conflicts.contains("status")
        #expect(
            inConflict == (expected.heads.count > 1),
            "\(label): status heads \(expected.heads)\n\(trace.joined(separator: "\n"))"
        )
        #expect(
            expected.heads.contains(shown.call.status),
            "\(label): status \(shown.call.status) of \(expected.heads)"
        )
    }
}
