import Foundation
import Model

@testable import Replication

extension LedgerRun {
    /// `report sales` by every grouping and `report top` by customers, items and salespeople over
    /// a random period, against the oracle's own sums of what the node holds: invoices by their
    /// date at their subtotal, credit notes by theirs at minus theirs (by item, a credit of lines
    /// by its lines' parts, one of an amount under key ""), to the cent.
    func checkSales(_ node: Int, _ view: LedgerOracle) throws {
        let from = firstDay - 3 + random.int(0...40)
        let to = random.chance(0.2) ? from + random.int(0...10) : max(from, today + random.int(0...30))
        var byMonth: [String: Int64] = [:]
        var byCustomer: [String: Int64] = [:]
        var byItem: [String: Int64] = [:]
        var bySalesperson: [String: Int64] = [:]
        for invoice in view.invoices.values where (from...to).contains(invoice.date) {
            byMonth[String(day(invoice.date).prefix(7)), default: 0] += invoice.subtotal
            byCustomer[invoice.customer, default: 0] += invoice.subtotal
            bySalesperson[invoice.salesperson ?? "", default: 0] += invoice.subtotal
            for line in invoice.lines { byItem[line.part, default: 0] += line.net }
        }
        for note in view.creditNotes.values where (from...to).contains(note.date) {
            byMonth[String(day(note.date).prefix(7)), default: 0] -= note.subtotal
            byCustomer[note.customer, default: 0] -= note.subtotal
            // A credit note's invoice is always held with it (a note is written on a node that holds it).
            bySalesperson[book.invoices[note.invoice]?.salesperson ?? "", default: 0] -= note.subtotal
            if let lines = note.lines {
                for line in lines { byItem[line.part, default: 0] -= line.net }
            } else {
                byItem["", default: 0] -= note.subtotal
            }
        }
        var byCategory: [String: Int64] = [:]
        for (customer, amount) in byCustomer {
            let categories = customers.first { $0.key == customer }?.categories ?? []
            for category in categories.isEmpty ? [""] : categories { byCategory[category, default: 0] += amount }
        }
        let expected: [(SalesGrouping, [String: Int64])] = [
            (.month, byMonth), (.customer, byCustomer), (.item, byItem), (.salesperson, bySalesperson),
            (.category, byCategory),
        ]
        for (grouping, sums) in expected {
            let rows = try nodes[node].sales(from: date(from), to: date(to), by: grouping)
            expect(
                rows.map { "\($0.key) \($0.amount.minorUnits)" },
                sums.keys.sorted().map { "\($0) \(sums[$0]!)" },
                "node \(node): report sales by \(grouping) \(day(from))…\(day(to))"
            )
            if grouping == .customer {
                let names = Dictionary(uniqueKeysWithValues: customers.map { ($0.key, $0.name) })
                expect(rows.map(\.name), rows.map { names[$0.key] ?? "?" }, "node \(node): sales by customer, names")
            }
            if grouping == .salesperson {
                expect(rows.map(\.name), rows.map { $0.key.isEmpty ? "(none)" : $0.key }, "node \(node): salespeople")
            }
        }
        let limit = random.int(1...4)
        for (grouping, sums) in [(SalesGrouping.customer, byCustomer), (.item, byItem), (.salesperson, bySalesperson)] {
            let rows = try nodes[node].top(by: grouping, from: date(from), to: date(to), limit: limit)
            let ranked = sums.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
            expect(
                rows.map { "\($0.key) \($0.amount.minorUnits)" },
                ranked.map { "\($0.key) \($0.value)" },
                "node \(node): report top \(limit) by \(grouping) \(day(from))…\(day(to))"
            )
        }
    }
}
