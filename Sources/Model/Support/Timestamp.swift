import Foundation

/// ISO 8601 timestamps as the contract prints and reads them (`2026-11-29T14:05:00Z`).
public enum Timestamp {
    /// Formats in UTC with a `Z`, with milliseconds only when there are any.
    public static func format(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let whole = Date(timeIntervalSince1970: TimeInterval(ms.floorDiv(1000)))
        let base = whole.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(
                .colon
            ).timeZone(separator: .omitted)
        )
        let fraction = ms.floorMod(1000)
        guard fraction != 0 else { return base }
        let digits = String(fraction)
        let padded = String(repeating: "0", count: 3 - digits.count) + digits
        return String(base.dropLast()) + "." + padded + "Z"
    }

    /// Parses an ISO 8601 timestamp with a zone (`Z` or `±hh:mm`), with or without fractional
    /// seconds; also a plain date (`2026-11-29`, taken as midnight UTC).
    public static func parse(_ text: String) throws(ModelError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let strategies: [Date.ISO8601FormatStyle] = [
            .iso8601,
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
        ]
        for style in strategies {
            if let date = try? style.parse(trimmed) { return date }
        }
        if trimmed.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(trimmed) {
            return date
        }
        throw ModelError(
            .invalidTimestamp,
            "not an ISO 8601 timestamp with a zone: '\(text)' (e.g. 2026-11-29T14:05:00Z)"
        )
    }
}

extension Int64 {
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
    fileprivate func floorMod(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
