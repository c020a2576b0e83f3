import Foundation
import GRDB
import Model

/// One customer of `report collections`: a balance past due, with what a collector needs.
public struct CollectionsRow: Sendable, Hashable {
    /// The latest collection call: when, the contact reached, the notes.
    public struct Call: Sendable, Hashable {
        public let at: String
        public let contact: String?
        public let notes: String
    }

    /// The earliest hold in force.
    public struct Hold: Sendable, Hashable {
        public let since: String
        public let by: String
        public let reason: String
    }

    public let ageing: AgeingRow
    public var customerID: EntityID { ageing.customerID! }
    public var name: String { ageing.name ?? "" }
    /// What is more than 0 days past due.
    public let pastDue: Money
    public let rating: CreditRating
    public let openPromises: Int
    public let brokenPromises: Int
    public let lastCall: Call?
    public let hold: Hold?
}

extension Replica {
    /// `report collections`: every customer with a balance past due as of `asOf`, the most past
    /// due first (then by name): its ageing, latest collection call, open and broken promises,
    /// rating and hold. Two queries over the whole book (the ageing, and every folder's credit
    /// figures), joined by folder.
    public func collectionsReport(asOf: BusinessDate) throws -> [CollectionsRow] {
        let ageing = try ageing(asOf: asOf, customer: nil).filter { $0.customerID != nil }
        return try pool.read { db in
            let currency = try FinancialLookup.currency(db)
            let figures = try Self.creditFigures(db, asOf: asOf)
            let pastDueBuckets = AgeingBucket.allCases.filter { $0 != .current }
            let rows: [CollectionsRow] = ageing.compactMap { row in
                let pastDue = pastDueBuckets.reduce(Int64(0)) { $0 + (row.buckets[$1]?.minorUnits ?? 0) }
                guard pastDue > 0, let folder = row.customerID else { return nil }
                let figure = figures[folder.description]
                let broken: Int = figure?["broken_promises"] ?? 0
                let rating = Self.rating(row, figure)
                let callAt: String? = figure?["last_call_at"]
                let holdSince: String? = figure?["hold_since"]
                return CollectionsRow(
                    ageing: row,
                    pastDue: Money(minorUnits: pastDue, currency: currency),
                    rating: rating,
                    openPromises: figure?["open_promises"] ?? 0,
                    brokenPromises: broken,
                    lastCall: callAt.map {
                        .init(at: $0, contact: figure?["last_call_contact"], notes: figure?["last_call_notes"] ?? "")
                    },
                    hold: holdSince.map {
                        .init(since: $0, by: figure?["hold_by"] ?? "", reason: figure?["hold_reason"] ?? "")
                    }
                )
            }
            return rows.sorted {
                $0.pastDue != $1.pastDue
                    ? $0.pastDue > $1.pastDue
                    : ($0.name.lowercased(), $0.customerID.description) < (
                        $1.name.lowercased(), $1.customerID.description
                    )
            }
        }
    }

    /// Every folder's credit figures as of `asOf` (``CreditSQL/everyFolder``), by folder id.
    static func creditFigures(_ db: Database, asOf: BusinessDate) throws -> [String: Row] {
        var figures: [String: Row] = [:]
        for row in try Row.fetchAll(db, sql: CreditSQL.everyFolder, arguments: ["asOf": asOf.description]) {
            figures[row["folder"]] = row
        }
        return figures
    }

    /// A folder's rating from its ageing row and its credit figures: the same inputs, from the
    /// same queries, as `report collections` shows.
    static func rating(_ row: AgeingRow?, _ figure: Row?) -> CreditRating {
        let over60 = [AgeingBucket.days61To90, .days91To120, .days121Plus].reduce(Int64(0)) {
            $0 + (row?.buckets[$1]?.minorUnits ?? 0)
        }
        return CreditRating(
            .init(
                invoicesDue: figure?["invoices_due"] ?? 0,
                delinquent: figure?["delinquent"] ?? 0,
                overdue60: over60,
                invoicedInYear: figure?["invoiced"] ?? 0,
                brokenPromises: figure?["broken_promises"] ?? 0
            )
        )
    }
}
