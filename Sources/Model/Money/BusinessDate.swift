/// A calendar date of business — issue, due, payment, promised-by — as `YYYY-MM-DD`, with no
/// time and no zone: the same date on every node.
///
/// Kept as the count of days since 1970-01-01 in the proleptic Gregorian calendar, so adding
/// days and taking differences is integer arithmetic (no `Calendar`, no time zone, no
/// daylight saving). Years 0001–9999.
public struct BusinessDate: Hashable, Sendable, Comparable, CustomStringConvertible, Strideable {
    /// Days since 1970-01-01 (negative before).
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// The date of `year`, `month`, `day`; refused when it is no date (`2026-02-29`).
    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else {
            throw ModelError(.invalidValue, "\(year)-\(month)-\(day) is not a date")
        }
        daysSinceEpoch = Self.days(year: year, month: month, day: day)
    }

    /// Reads exactly `YYYY-MM-DD` (`2026-12-07`); anything else — `2026-2-7`, `07/12/2026`,
    /// `2026-02-30`, a time — is refused with a line naming the text.
    public init(parsing text: String) throws {
        let bytes = Array(text.utf8)
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            digits.allSatisfy({ (48...57).contains(bytes[$0]) })
        else {
            throw ModelError(.invalidValue, "'\(text)' is not a date: write YYYY-MM-DD, as 2026-12-07")
        }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        do {
            try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
        } catch {
            throw ModelError(.invalidValue, "'\(text)' is not a date: there is no such day")
        }
    }

    /// The UTC date of a Unix time in milliseconds.
    public init(unixMilliseconds: Int64) {
        let day: Int64 = 86_400_000
        let floor = unixMilliseconds >= 0 ? unixMilliseconds / day : -((-unixMilliseconds + day - 1) / day)
        daysSinceEpoch = Int(floor)
    }

    /// Year, month, day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> BusinessDate { BusinessDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// Days from `other` to this date: positive when this one is later.
    public func days(since other: BusinessDate) -> Int { daysSinceEpoch - other.daysSinceEpoch }

    public static func < (lhs: BusinessDate, rhs: BusinessDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
    public func distance(to other: BusinessDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }
    public func advanced(by n: Int) -> BusinessDate { adding(days: n) }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
