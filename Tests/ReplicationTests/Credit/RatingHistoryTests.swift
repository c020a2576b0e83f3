import Foundation
import Model
import Testing

@testable import Replication

/// The daily rating history: what `serve` records each day is the rating `credit show` computes
/// for that day, recorded once per change.
@Suite("Credit rating history")
struct RatingHistoryTests {
    static func day(_ text: String) -> BusinessDate { try! BusinessDate(parsing: text) }

    @Test func eachDayRecordsTheRatingsThatChangedAsCreditShowComputesThem() throws {
        let fixture = ReplicaFixture()
        let replica = try fixture.node(1)
        let (late, prompt, idle) = try replica.write { writer -> (EntityID, EntityID, EntityID) in
            _ = try writer.addItem(part: "W", description: "Widget", price: "100.00", tax: nil, unit: nil)
            let late = try writer.createCustomer(name: "Late Ltd")
            let prompt = try writer.createCustomer(name: "Prompt plc")
            let idle = try writer.createCustomer(name: "Idle & Co")
            for (customer, date) in [(late, "2026-01-05"), (late, "2026-03-01"), (prompt, "2026-02-01")] {
                let invoice = try writer.addInvoice(
                    customer: customer,
                    source: .lines([LineRequest(part: "W", quantity: Quantity(tenThousandths: 30_000))]),
                    date: Self.day(date),
                    terms: nil,
                    salesperson: nil,
                    notes: nil
                )
                if customer == prompt {
                    _ = try writer.addPayment(
                        customer: prompt,
                        amount: "300.00",
                        method: "ach",
                        reference: nil,
                        date: Self.day("2026-02-10"),
                        applications: [ApplicationRequest(invoice: invoice.number, amount: "300.00")]
                    )
                }
            }
            return (late, prompt, idle)
        }

        // 2026-02-01: Late's first invoice is 27 days past due, nothing delinquent yet.
        let first = try replica.recordRatings(asOf: Self.day("2026-02-01"))
        #expect(Set(first.map(\.customerID)) == [late, prompt], "a customer without a ledger is not rated")
        #expect(first.allSatisfy { $0.from == nil })
        #expect(try replica.recordRatings(asOf: Self.day("2026-02-01")).isEmpty, "recorded once a day")
        // Months later Late's invoices are long overdue: its rating falls; Prompt's does not move.
        let later = try replica.recordRatings(asOf: Self.day("2026-06-30"))
        #expect(later.map(\.customerID) == [late], "\(later)")
        for (customer, date) in [(late, "2026-02-01"), (late, "2026-06-30"), (prompt, "2026-02-01")] {
            let tab = try replica.creditTab(customer: customer, asOf: Self.day(date))
            let recorded = try #require(tab.ratingHistory.first)
            #expect(recorded.date == Self.day(date))
            #expect(recorded.rating == tab.rating.rating && recorded.points == tab.rating.points, "\(customer) \(date)")
        }
        let history = try replica.ratingHistory(customer: late, asOf: Self.day("2026-12-31"))
        #expect(history.count == 2)
        #expect(history[0].from == history[1].rating && history[0].rating > history[1].rating, "\(history)")
        #expect(try replica.ratingHistory(customer: idle, asOf: Self.day("2026-12-31")).isEmpty)
        #expect(try replica.ratingsRecordedThrough() == Self.day("2026-06-30"))
    }
}
