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
        let (ageing, figures) = try ageingAndCreditFigures(asOf: asOf)
        return try pool.read { db in
            let currency = try FinancialLookup.currency(db)
            let pastDueBuckets = AgeingBucket.allCases.filter { $0 != .current }
            let rows: [CollectionsRow] = ageing.compactMap { row in
                let pastDue = pastDueBuckets.reduce(Int64(0)) { $0 + (row.buckets[$1]?.minorUnits ?? 0) }
                guard pastDue > 0, let folder = row.customerID else { return nil }
                let figure = figures[folder.description]
                return CollectionsRow(
                    ageing: row,
                    pastDue: Money(minorUnits: pastDue, currency: currency),
                    rating: Self.rating(row, figure),
                    openPromises: figure?.openPromises ?? 0,
                    brokenPromises: figure?.brokenPromises ?? 0,
                    lastCall: figure?.lastCallAt.map {
                        .init(at: $0, contact: figure?.lastCallContact, notes: figure?.lastCallNotes ?? "")
                    },
                    hold: figure?.holdSince.map {
                        .init(since: $0, by: figure?.holdBy ?? "", reason: figure?.holdReason ?? "")
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

    /// The whole-book ageing and every folder's credit figures as of `asOf`: two passes over the
    /// book, read at once on two connections of the pool (a pool's readers see one committed
    /// state each; both read the records as of `asOf`, which only a later write could change).
    func ageingAndCreditFigures(asOf: BusinessDate) throws -> ([AgeingRow], [String: FolderCreditFigures]) {
        let other = ResultBox<[String: FolderCreditFigures]>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            other.set(Result { try self.pool.read { db in try Self.creditFigures(db, asOf: asOf) } })
        }
        let ageing = Result { try self.ageing(asOf: asOf, customer: nil).filter { $0.customerID != nil } }
        group.wait()
        return (try ageing.get(), try other.get())
    }

    /// Every folder's credit figures as of `asOf` (``CreditSQL/everyFolder``), by folder id.
    static func creditFigures(_ db: Database, asOf: BusinessDate) throws -> [String: FolderCreditFigures] {
        var figures: [String: FolderCreditFigures] = [:]
        for row in try Row.fetchAll(db, sql: CreditSQL.everyFolder, arguments: ["asOf": asOf.description]) {
            figures[row["folder"]] = FolderCreditFigures(
                invoicesDue: row["invoices_due"],
                delinquent: row["delinquent"],
                invoiced: row["invoiced"],
                openPromises: row["open_promises"],
                brokenPromises: row["broken_promises"],
                lastCallAt: row["last_call_at"],
                lastCallContact: row["last_call_contact"],
                lastCallNotes: row["last_call_notes"],
                holdSince: row["hold_since"],
                holdBy: row["hold_by"],
                holdReason: row["hold_reason"]
            )
        }
        return figures
    }

    /// A folder's rating from its ageing row and its credit figures: the same inputs, from the
    /// same queries, as `report collections` shows.
    static func rating(_ row: AgeingRow?, _ figure: FolderCreditFigures?) -> CreditRating {
        let over60 = [AgeingBucket.days61To90, .days91To120, .days121Plus].reduce(Int64(0)) {
            $0 + (row?.buckets[$1]?.minorUnits ?? 0)
        }
        return CreditRating(
            .init(
                invoicesDue: figure?.invoicesDue ?? 0,
                delinquent: figure?.delinquent ?? 0,
                overdue60: over60,
                invoicedInYear: figure?.invoiced ?? 0,
                brokenPromises: figure?.brokenPromises ?? 0
            )
        )
    }
}

/// One folder's row of ``CreditSQL/everyFolder``.
struct FolderCreditFigures: Sendable {
    var invoicesDue: Int
    var delinquent: Int
    var invoiced: Int64
    var openPromises: Int
    var brokenPromises: Int
    var lastCallAt: String?
    var lastCallContact: String?
    var lastCallNotes: String?
    var holdSince: String?
    var holdBy: String?
    var holdReason: String?
}

/// A result handed from one thread to another.
final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    func set(_ result: Result<Value, any Error>) {
        lock.withLock { self.result = result }
    }

    func get() throws -> Value {
        guard let result = lock.withLock({ self.result }) else {
            throw ReplicationError(.invalidValue, "a concurrent read returned nothing")
        }
        return try result.get()
    }
}
