import Foundation
import Model
import Testing

/// Terms, business dates and ageing buckets. Dates are checked against Foundation's Gregorian
/// calendar, an independent implementation.
@Suite("Terms, dates and ageing")
struct PaymentTermsTests {
    static func date(_ text: String) throws -> BusinessDate { try BusinessDate(parsing: text) }

    @Test(
        "terms read and print",
        arguments: [
            ("net 30", "net 30"), ("2/10 net 30", "2/10 net 30"), ("Net  45", "net 45"),
            ("2.5/10 net 45", "2.5/10 net 45"), ("net 0", "net 0"), ("1/30 NET 30", "1/30 net 30"),
        ]
    )
    func terms(_ text: String, _ printed: String) throws {
        #expect(try PaymentTerms(parsing: text).description == printed)
    }

    @Test(
        arguments: [
            "net", "net -5", "30 net", "2/40 net 30", "0/10 net 30", "2/10 net", "net 30 days", "", "2/ten net 30",
            "101/10 net 30", "net 99999", "2/10/5 net 30", "net 3O",
        ]
    )
    func badTerms(_ text: String) {
        #expect(throws: ModelError.self) { try PaymentTerms(parsing: text) }
    }

    @Test func dueDatesAndTheDiscountWindow() throws {
        let terms = try PaymentTerms(parsing: "2/10 net 30")
        let issued = try Self.date("2026-01-31")
        #expect(terms.dueDate(issuedOn: issued).description == "2026-03-02")
        #expect(terms.discountDeadline(issuedOn: issued)?.description == "2026-02-10")
        let total = Money(minorUnits: 100_000, currency: .usd)
        #expect(try terms.maximumDiscount(on: total).description == "20.00")
        // 2 % of 0.25 is 0.005: half away from zero, 0.01.
        #expect(try terms.maximumDiscount(on: Money(minorUnits: 25, currency: .usd)).minorUnits == 1)
        let twenty = Money(minorUnits: 2000, currency: .usd)
        try terms.checkDiscount(twenty, on: total, paidOn: try Self.date("2026-02-10"), issuedOn: issued)
        #expect(throws: ModelError.self, "a day late") {
            try terms.checkDiscount(twenty, on: total, paidOn: try Self.date("2026-02-11"), issuedOn: issued)
        }
        #expect(throws: ModelError.self, "a cent too much") {
            try terms.checkDiscount(
                Money(minorUnits: 2001, currency: .usd),
                on: total,
                paidOn: issued,
                issuedOn: issued
            )
        }
        #expect(throws: ModelError.self, "net terms give none") {
            try PaymentTerms.standard.checkDiscount(twenty, on: total, paidOn: issued, issuedOn: issued)
        }
    }

    @Test func datesAgreeWithTheGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch = Date(timeIntervalSince1970: 0)
        // From 1600-01-01: Foundation's calendar is Julian before the 1582 reform; ours is
        // proleptic Gregorian, as ISO 8601 dates are.
        for days in stride(from: -135_140, through: 2_932_896, by: 997) {
            let date = BusinessDate(daysSinceEpoch: days)
            let reference = calendar.dateComponents(
                [.year, .month, .day],
                from: epoch.addingTimeInterval(Double(days) * 86_400)
            )
            let (year, month, day) = date.components
            #expect(year == reference.year && month == reference.month && day == reference.day, "\(days)")
            #expect(try BusinessDate(parsing: date.description) == date)
        }
    }

    @Test func leapDaysAndBadDates() throws {
        for good in ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "1970-01-01"] {
            #expect(try Self.date(good).description == good)
        }
        #expect(try Self.date("1970-01-01").daysSinceEpoch == 0)
        for bad in [
            "2026-02-29", "1900-02-29", "2026-2-7", "07/12/2026", "2026-12-07T00:00", "2026-13-01", "2026-00-10",
            "0000-01-01", "2026-04-31", "", "2026-12-7 ", "２０２６-01-01",
        ] {
            #expect(throws: ModelError.self, "\(bad)") { try Self.date(bad) }
        }
        #expect(try Self.date("2026-12-31").adding(days: 1).description == "2027-01-01")
        #expect(try Self.date("2026-03-01").days(since: try Self.date("2026-02-01")) == 28)
        #expect(BusinessDate(unixMilliseconds: -1).description == "1969-12-31")
    }

    @Test(
        "ageing buckets by days past due",
        arguments: [
            (-5, AgeingBucket.current), (0, .current), (1, .days1To30), (30, .days1To30), (31, .days31To60),
            (60, .days31To60),
            (61, .days61To90), (90, .days61To90), (91, .days91To120), (120, .days91To120), (121, .days121Plus),
            (5000, .days121Plus),
        ]
    )
    func bucket(_ days: Int, _ bucket: AgeingBucket) throws {
        #expect(AgeingBucket(daysPastDue: days) == bucket)
        let due = try Self.date("2026-06-30")
        #expect(AgeingBucket(due: due, asOf: due.adding(days: days)) == bucket)
    }
}
