import Foundation
import Model
import Replication

/// Workload W1 (../shared/bench/W1.md): N customers, each with J journal entries, written as a
/// user's writes would be, through the replica's one write API.
///
/// Customer i: name `Customer {i} Ltd`, phone `+1 555 {i:07}`, e-mail `c{i}@example.com`,
/// address `{i} Main Street` / `Springfield {10000 + i mod 90000}` (W1's street, city and zip,
/// in the folder's one free-form address field), category `retail`, `wholesale` or `service`,
/// notes `Prefers calls before noon`. Journal entry k: a call at `2026-11-{1 + k mod 28}T10:00Z`
/// with `Alice; Contact {i}`, notes `Follow-up {k} on invoice {i*10 + k}`.
public enum W1Workload {
    public static let categories = ["retail", "wholesale", "service"]

    /// Writes customers `range` (and their journals) in transactions of `chunk` customers.
    /// Returns the ids of the customers made, in order.
    @discardableResult
    public static func write(
        into replica: Replica,
        customers range: Range<Int>,
        journal: Int,
        author: String,
        chunk: Int = 1000
    ) throws -> [EntityID] {
        var ids: [EntityID] = []
        ids.reserveCapacity(range.count)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + chunk, range.upperBound)
            try replica.write { writer in
                for i in start..<end {
                    let id = try writer.createCustomer(
                        name: "Customer \(i) Ltd",
                        categories: [categories[i % 3]],
                        fields: [
                            "phone": "+1 555 " + String(format: "%07d", i),
                            "email": "c\(i)@example.com",
                            "address": "\(i) Main Street\nSpringfield \(10000 + i % 90000)",
                            "notes": "Prefers calls before noon",
                        ]
                    )
                    for k in 0..<journal {
                        _ = try writer.addJournalEntry(
                            customer: id,
                            at: entryDate(k),
                            kind: .call,
                            parties: "Alice; Contact \(i)",
                            notes: "Follow-up \(k) on invoice \(i * 10 + k)",
                            author: author
                        )
                    }
                    ids.append(id)
                }
            }
            start = end
        }
        return ids
    }

    /// Phase 3's edit: a new phone for every `every`-th customer (every 100th in W1; at 10×N
    /// the benchmark edits every 1000th, so that both runs make the same N/100 edits).
    public static func editPhones(
        in replica: Replica,
        customers ids: [EntityID],
        round: Int = 1,
        every: Int = 100
    ) throws -> Int {
        var edited = 0
        try replica.write { writer in
            for (i, id) in ids.enumerated() where i % max(every, 1) == 0 {
                try writer.set(
                    .customer,
                    id,
                    field: "phone",
                    to: "+1 555 " + String(format: "%07d", (i + round * 7) % 10_000_000)
                )
                edited += 1
            }
        }
        return edited
    }

    static func entryDate(_ k: Int) -> Date {
        var components = DateComponents()
        components.year = 2026
        components.month = 11
        components.day = 1 + k % 28
        components.hour = 10
        components.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
