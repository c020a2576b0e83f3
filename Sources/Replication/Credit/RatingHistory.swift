import Foundation
import GRDB
import Model

/// A change of a customer's rating, as this node computed it on a day.
public struct RatingChange: Sendable, Hashable {
    public let customerID: EntityID
    public let date: BusinessDate
    /// The rating recorded before, `nil` the first time.
    public let from: String?
    public let rating: String
    public let risk: String
    public let points: Int
}

/// The daily rating history: every day `serve` runs, it computes every folder's rating as of
/// that day and records those that changed since the last it recorded (`rating_history`).
///
/// A rating is derived, never truth: `credit show` computes it from the records and the date
/// whenever it is shown (`--as-of` any date). The history is what this node computed each day
/// from what it held that day — local, never replicated — so a collector sees a customer
/// slipping from B to D and when; a payment that arrives later does not rewrite a past day.
enum RatingHistory {
    static let migration = "v10: rating history"
    static let sql = """
        CREATE TABLE rating_history (
            customer_id TEXT NOT NULL,
            date TEXT NOT NULL,
            rating TEXT NOT NULL,
            risk TEXT NOT NULL,
            points INTEGER NOT NULL,
            PRIMARY KEY (customer_id, date)
        ) STRICT, WITHOUT ROWID;
        """
}

extension Replica {
    /// Computes every folder's rating as of `asOf` (the two whole-book queries of `report
    /// collections`) and records, in one transaction, each whose rating or risk differs from
    /// the last recorded before `asOf`; returns those changes. Running it again for one date
    /// records nothing new.
    @discardableResult
    public func recordRatings(asOf: BusinessDate) throws -> [RatingChange] {
        let (ageing, figures) = try ageingAndCreditFigures(asOf: asOf)
        return try pool.write { db in
            var rows: [String: AgeingRow] = [:]
            for row in ageing { rows[row.customerID!.description] = row }
            let folders = Set(rows.keys).union(figures.keys).sorted()
            var last: [String: (String, String)] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT h.customer_id, h.rating, h.risk FROM rating_history h
                    WHERE h.date = (SELECT max(date) FROM rating_history x
                                    WHERE x.customer_id = h.customer_id AND x.date <= :asOf)
                    """,
                arguments: ["asOf": asOf.description]
            ) {
                last[row["customer_id"]] = (row["rating"], row["risk"])
            }
            var changes: [RatingChange] = []
            for folder in folders {
                guard let id = EntityID(folder) else { continue }
                let rating = Self.rating(rows[folder], figures[folder])
                let previous = last[folder]
                if let previous, previous == (rating.rating, rating.risk) { continue }
                try db.execute(
                    sql: """
                        INSERT INTO rating_history (customer_id, date, rating, risk, points) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (customer_id, date) DO UPDATE
                        SET rating = excluded.rating, risk = excluded.risk, points = excluded.points
                        """,
                    arguments: [folder, asOf.description, rating.rating, rating.risk, rating.points]
                )
                changes.append(
                    RatingChange(
                        customerID: id,
                        date: asOf,
                        from: previous?.0,
                        rating: rating.rating,
                        risk: rating.risk,
                        points: rating.points
                    )
                )
            }
            return changes
        }
    }

    /// The day of the latest recorded ratings, `nil` before the first.
    public func ratingsRecordedThrough() throws -> BusinessDate? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT max(date) FROM rating_history").map { try BusinessDate(parsing: $0) }
        }
    }

    /// A folder's recorded rating changes up to `asOf`, newest first.
    public func ratingHistory(customer: EntityID, asOf: BusinessDate) throws -> [RatingChange] {
        try pool.read { db in
            try Self.ratingHistory(db, folder: try Self.requireCustomer(db, customer), asOf: asOf, limit: nil)
        }
    }

    static func ratingHistory(_ db: Database, folder: EntityID, asOf: BusinessDate, limit: Int?) throws
        -> [RatingChange]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT date, rating, risk, points, previous FROM (
                    SELECT date, rating, risk, points, lag(rating) OVER (ORDER BY date) AS previous
                    FROM rating_history WHERE customer_id = ? AND date <= ?
                ) ORDER BY date DESC LIMIT ?
                """,
            arguments: [folder.description, asOf.description, limit ?? -1]
        )
        return try rows.map { row in
            RatingChange(
                customerID: folder,
                date: try BusinessDate(parsing: row["date"]),
                from: row["previous"],
                rating: row["rating"],
                risk: row["risk"],
                points: row["points"]
            )
        }
    }
}
