import Foundation
import Logging
import Model
import Replication

/// Recomputes every customer's credit rating once a day while `serve` runs: at start unless
/// this day's ratings were recorded already (a restarted `serve` does not read the whole book
/// again), then at the first check after each midnight (UTC), and records the ratings that changed
/// (``Replica/recordRatings(asOf:)``), logging how many. What `credit show` prints is always
/// computed afresh from the records and the date; this keeps the day-by-day history.
struct DailyRatings: Sendable {
    let replica: Replica
    let logger: Logger
    /// How often the day is checked.
    let check: Duration = .seconds(60)

    /// Today in UTC: the business date ratings are recorded for.
    static func today(_ now: Date = Date()) -> BusinessDate {
        BusinessDate(unixMilliseconds: Int64(now.timeIntervalSince1970 * 1000))
    }

    func run() async {
        var done = try? replica.ratingsRecordedThrough()
        while !Task.isCancelled {
            let today = Self.today()
            if done != today {
                do {
                    let changes = try replica.recordRatings(asOf: today)
                    done = today
                    logger.info("credit ratings as of \(today): \(changes.count) changed")
                } catch {
                    logger.warning("credit ratings as of \(today) could not be recorded: \(error)")
                }
            }
            try? await Task.sleep(for: check)
        }
    }
}
