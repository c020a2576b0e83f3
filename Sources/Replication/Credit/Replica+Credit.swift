import Foundation
import GRDB
import Model

/// A credit hold in force: placed, and answered by no release this node holds.
public struct CreditHold: Sendable, Hashable {
    public let id: EntityID
    public let reason: String
    /// When it was placed (`YYYY-MM-DDTHH:MM:SSZ`).
    public let since: String
    /// Who placed it, and on which node.
    public let by: String
    public let node: String
}

/// A promise to pay with its status as of a date.
public struct PromiseSummary: Sendable, Hashable {
    public let id: EntityID
    public let date: BusinessDate
    public let by: BusinessDate
    public let amount: Money
    /// What the customer's payments dated from `date` to `by` add up to.
    public let paid: Money
    /// `kept`, `broken` or `open`.
    public let status: String
    public let contactID: EntityID?
    public let invoiceID: EntityID?
    public let notes: String?
    public let madeBy: String
}

/// A collection call: a journal entry of kind `collection`, with the contact reached.
public struct CollectionNote: Sendable, Hashable {
    public let id: EntityID
    /// When (`YYYY-MM-DDTHH:MM:SSZ`).
    public let at: String
    public let contactID: EntityID?
    /// The contact's name as this node holds it now.
    public let contactName: String?
    public let notes: String
    public let author: String
}

/// The Credit & Collections tab of a folder as of a date: every figure derived, none stored.
public struct CreditTab: Sendable, Hashable {
    public let customerID: EntityID
    public let asOf: BusinessDate
    public let ageing: AgeingRow
    public var balance: Money { ageing.balance }
    /// The customer's `credit-limit`, or `nil` when none is set.
    public let creditLimit: Money?
    /// Balance + what open orders have not yet invoiced.
    public let exposure: Money
    /// The earliest hold in force, or `nil`.
    public let hold: CreditHold?
    public let stats: PaymentStatistics
    public let rating: CreditRating
    /// Why, in words.
    public let riskFactors: [String]
    public let promises: [PromiseSummary]
    /// The latest collection calls (up to 5, newest first), made on or before the date.
    public let collectionNotes: [CollectionNote]
    /// The business exceptions of the folder not yet resolved (``BusinessException``).
    public let exceptions: [BusinessException]
    /// The latest changes of its rating that `serve` recorded day by day up to the date
    /// (``Replica/recordRatings(asOf:)``), newest first, at most 10.
    public let ratingHistory: [RatingChange]
}

extension Replica {
    /// The Credit & Collections tab of `customer`'s folder as of `asOf`.
    public func creditTab(customer: EntityID, asOf: BusinessDate) throws -> CreditTab {
        let ageing = try ageing(asOf: asOf, customer: customer).first!
        return try pool.read { db in
            let folder = try Self.requireCustomer(db, customer)
            return try Self.creditTab(db, folder: folder, asOf: asOf, ageing: ageing)
        }
    }

    static func creditTab(_ db: Database, folder: EntityID, asOf: BusinessDate, ageing: AgeingRow) throws -> CreditTab {
        let currency = try FinancialLookup.currency(db)
        let arguments: StatementArguments = ["folder": folder.description, "asOf": asOf.description]
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }

        let row = try Row.fetchOne(db, sql: CreditSQL.stats, arguments: arguments)!
        let stats = PaymentStatistics(
            invoicesPaid: row["invoices_paid"],
            minDaysToPay: row["min_days"],
            maxDaysToPay: row["max_days"],
            totalDaysToPay: row["sum_days"],
            totalDaysLate: row["sum_days_late"],
            timesLate: row["times_late"],
            timesDelinquent: row["times_delinquent"]
        )
        let invoicesDue: Int = row["invoices_due"]

        let promises = try Row.fetchAll(db, sql: CreditSQL.promises, arguments: arguments).map { row in
            let by = try BusinessDate(parsing: row["by_date"])
            let amount: Int64 = row["amount"]
            let paid: Int64 = row["paid"]
            let status = paid >= amount ? "kept" : by < asOf ? "broken" : "open"
            return PromiseSummary(
                id: EntityID(row["id"] as String)!,
                date: try BusinessDate(parsing: row["date"]),
                by: by,
                amount: money(amount),
                paid: money(paid),
                status: status,
                contactID: (row["contact_id"] as String?).flatMap(EntityID.init),
                invoiceID: (row["invoice_id"] as String?).flatMap(EntityID.init),
                notes: row["notes"],
                madeBy: row["made_by"]
            )
        }
        let hold = try Self.holdsInForce(db, folder: folder).first
        let remainder = try Int64.fetchOne(db, sql: CreditSQL.uninvoicedOrders, arguments: arguments) ?? 0
        let overdue = try Row.fetchOne(db, sql: CreditSQL.overdueFactor, arguments: arguments)!
        let limitText = try String.fetchOne(
            db,
            sql: "SELECT credit_limit FROM customers WHERE id = ?",
            arguments: [folder.description]
        )
        let creditLimit = try limitText.flatMap { text in
            text.isEmpty ? nil : try Money(parsing: text, currency: currency)
        }

        let broken = promises.filter { $0.status == "broken" }.count
        let over60: Int64 = overdue["over_60"]
        let invoiced: Int64 = overdue["invoiced"]
        let rating = CreditRating(
            .init(
                invoicesDue: invoicesDue,
                delinquent: stats.timesDelinquent,
                overdue60: over60,
                invoicedInYear: invoiced,
                brokenPromises: broken
            )
        )
        var factors: [String] = []
        if stats.timesDelinquent > 0 {
            factors.append(
                "\(stats.timesDelinquent) of the \(invoicesDue) invoices due were paid, or are open, more than 30 days past due"
            )
        }
        if stats.timesLate > 0 {
            factors.append("\(stats.timesLate) of the \(stats.invoicesPaid) invoices paid were paid late")
        }
        if over60 > 0 {
            let share =
                ageing.balance.minorUnits > 0
                ? " (\(Self.percent(over60, ageing.balance.minorUnits)) of the balance)" : ""
            factors.append("\(money(over60)) is more than 60 days past due\(share)")
        }
        if broken > 0 { factors.append(broken == 1 ? "1 broken promise" : "\(broken) broken promises") }
        if let hold { factors.append("on credit hold since \(hold.since): \(hold.reason)") }
        let exposure = money(ageing.balance.minorUnits + remainder)
        if let creditLimit, exposure > creditLimit {
            factors.append("exposure \(exposure) is over the credit limit \(creditLimit)")
        }
        let notes = try Row.fetchAll(db, sql: CreditSQL.collectionNotes, arguments: arguments).map { row in
            CollectionNote(
                id: EntityID(row["id"] as String)!,
                at: row["at"],
                contactID: (row["contact_id"] as String?).flatMap(EntityID.init),
                contactName: row["contact_name"],
                notes: row["notes"],
                author: row["author"]
            )
        }
        return CreditTab(
            customerID: folder,
            asOf: asOf,
            ageing: ageing,
            creditLimit: creditLimit,
            exposure: exposure,
            hold: hold,
            stats: stats,
            rating: rating,
            riskFactors: factors,
            promises: promises,
            collectionNotes: notes,
            exceptions: try Self.businessExceptions(db, folder: folder).filter { $0.customerID == folder },
            ratingHistory: try Self.ratingHistory(db, folder: folder, asOf: asOf, limit: 10)
        )
    }

    /// `part / whole` as a whole percentage, rounded half away from zero: `42 %`.
    static func percent(_ part: Int64, _ whole: Int64) -> String {
        let scaled = part.multipliedReportingOverflow(by: 100)
        guard !scaled.overflow, whole > 0 else { return "100 %" }
        return "\((scaled.partialValue * 2 + whole) / (2 * whole)) %"
    }

    /// The holds in force on a folder, earliest first.
    static func holdsInForce(_ db: Database, folder: EntityID) throws -> [CreditHold] {
        try Row.fetchAll(db, sql: CreditSQL.holdsInForce, arguments: ["folder": folder.description]).map {
            CreditHold(
                id: EntityID($0["id"] as String)!,
                reason: $0["reason"],
                since: $0["placed_at"],
                by: $0["placed_by"],
                node: $0["node"]
            )
        }
    }

    /// The holds in force on `customer`'s folder, earliest first (empty when not on hold).
    public func holds(customer: EntityID) throws -> [CreditHold] {
        try pool.read { db in
            try Self.holdsInForce(db, folder: try Self.requireCustomer(db, customer))
        }
    }
}
