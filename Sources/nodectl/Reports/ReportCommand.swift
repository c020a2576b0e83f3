import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl report`: reports across folders, computed in SQL over the plain tables.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports across folders (table, csv or json).",
        discussion: "Example: nodectl report collections --as-of 2026-12-31 --format csv --output collections.csv",
        subcommands: [Customers.self, Todos.self, Collections.self, Sales.self, Top.self]
    )

    struct Collections: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers with a balance past due: ageing, last collection call, promises, rating, hold.",
            discussion: """
                The most past due first. Rating and risk as credit show computes them (docs/CREDIT.md).

                Example: nodectl report collections --as-of 2026-12-31
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var report: ReportOptions
        @OptionGroup var asOf: AsOfOption

        func execute() async throws {
            let date = try asOf.resolved()
            let rows = try data.open().replica.collectionsReport(asOf: date)
            let buckets = AgeingBucket.allCases
            let header =
                ["CUSTOMER", "ID", "PAST DUE", "BALANCE"] + buckets.map { FinancialViews.bucketHeadings[$0]! }
                + ["RATING", "RISK", "OPEN PROMISES", "BROKEN PROMISES", "LAST CALL", "HOLD"]
            let table = rows.map { row in
                [row.name, row.customerID.description, row.pastDue.description, row.ageing.balance.description]
                    + buckets.map { row.ageing.buckets[$0]!.description }
                    + [
                        row.rating.rating, row.rating.risk, String(row.openPromises), String(row.brokenPromises),
                        row.lastCall.map { "\($0.at) \($0.contact ?? "-"): \($0.notes)" } ?? "",
                        row.hold.map { "since \($0.since) by \($0.by): \($0.reason)" } ?? "",
                    ]
            }
            let json: JSONValue = .array(
                rows.map { row in
                    .object([
                        ("customerId", .string(row.customerID.description)), ("name", .string(row.name)),
                        ("pastDue", .string(row.pastDue.description)),
                        ("balance", .string(row.ageing.balance.description)),
                        ("ageing", FinancialViews.ageing(row.ageing)), ("rating", .string(row.rating.rating)),
                        ("risk", .string(row.rating.risk)), ("openPromises", .number(Int64(row.openPromises))),
                        ("brokenPromises", .number(Int64(row.brokenPromises))),
                        (
                            "lastCollectionCall",
                            row.lastCall.map {
                                .object([
                                    ("at", .string($0.at)), ("contact", .optional($0.contact)),
                                    ("notes", .string($0.notes)),
                                ])
                            } ?? .null
                        ),
                        (
                            "hold",
                            row.hold.map {
                                .object([
                                    ("since", .string($0.since)), ("by", .string($0.by)),
                                    ("reason", .string($0.reason)),
                                ])
                            } ?? .null
                        ),
                    ])
                }
            )
            try report.emit(header: header, right: Set(2..<(4 + buckets.count)), rows: table, json: json)
        }
    }
}
