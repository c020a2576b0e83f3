import Model
import Replication

/// Builders of change batches shared by the codec tests.
enum ChangeBatchFixtures {
    /// A node id made from a name, as a certificate digest would be.
    static func node(_ name: String) -> NodeID {
        NodeID(certificateDER: Array("certificate of \(name)".utf8))
    }

    /// A change with sensible defaults for the parts a test does not care about.
    static func change(
        _ origin: NodeID,
        _ seq: UInt64,
        time: HybridTime = HybridTime(milliseconds: 1_790_000_000_000, counter: 0),
        entity: EntityKind = .customer,
        id: EntityID? = nil,
        field: String = "name",
        operation: Operation = .assign,
        value: String? = "Acme Ltd",
        predecessors: [WriteID] = []
    ) -> Change {
        Change(
            origin: origin,
            seq: seq,
            time: time,
            entity: entity,
            entityID: id
                ?? EntityID(milliseconds: time.milliseconds, counter: time.counter, node: origin.discriminator),
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors
        )
    }

    /// The W1-like workload: `customers` customers, each with eight short text fields and five
    /// journal entries, all written by one node with an incrementing hybrid clock.
    static func w1(customers: Int) -> ChangeBatch {
        let origin = node("w1")
        var clock = HybridClock()
        let start: UInt64 = 1_790_000_000_000
        var changes: [Change] = []
        changes.reserveCapacity(customers * 13)
        var seq: UInt64 = 0
        func append(
            _ time: HybridTime,
            _ entity: EntityKind,
            _ id: EntityID,
            _ field: String,
            _ operation: Operation,
            _ value: String
        ) {
            seq += 1
            changes.append(
                Change(
                    origin: origin,
                    seq: seq,
                    time: time,
                    entity: entity,
                    entityID: id,
                    field: field,
                    operation: operation,
                    value: value
                )
            )
        }
        let categories = ["retail", "wholesale", "service"]
        for i in 0..<customers {
            let now = start + UInt64(i)
            var time = clock.tick(now: now)
            let customer = EntityID(milliseconds: time.milliseconds, counter: time.counter, node: origin.discriminator)
            let fields: [(String, Operation, String)] = [
                ("name", .assign, "Customer \(i) Ltd"),
                ("phone", .assign, "+1 555 \(padded(i, to: 7))"),
                ("email", .assign, "c\(i)@example.com"),
                ("street", .assign, "\(i) Main Street"),
                ("city", .assign, "Springfield"),
                ("zip", .assign, "\(10000 + i % 90000)"),
                ("category", .add, categories[i % 3]),
                ("notes", .assign, "Prefers calls before noon"),
            ]
            for (index, (field, operation, value)) in fields.enumerated() {
                if index > 0 { time = clock.tick(now: now) }
                append(time, .customer, customer, field, operation, value)
            }
            for k in 0..<5 {
                time = clock.tick(now: now)
                let entry = EntityID(milliseconds: time.milliseconds, counter: time.counter, node: origin.discriminator)
                let json =
                    #"{"at":"2026-11-0\#(k + 1)T10:00:00Z","kind":"call","notes":"Follow-up \#(k) on invoice \#(i * 10 + k)","parties":"Alice; Contact \#(i)"}"#
                append(time, .journal, entry, "", .record, json)
            }
        }
        return ChangeBatch(base: VersionVector(), changes: changes)
    }

    private static func padded(_ number: Int, to width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A seeded generator (SplitMix64), so that random tests fail the same way every run.
    struct SeededGenerator: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
