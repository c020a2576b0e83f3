import ArgumentParser
import Foundation
import Model
import Node
import Replication

extension ReportCommand {
    struct Customers: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "The customer list: name, categories, main phone, city, balance, last contact.",
            discussion: "Example: nodectl report customers --category retail --format csv --output customers.csv"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var report: ReportOptions
        @Option(help: "Only customers of this category (repeat for any of several).") var category: [String] = []
        @Option(help: "Only customers this search finds (as customer list --search).") var search: String?

        func execute() async throws {
            let replica = try data.open().replica
            let country = try replica.defaultCountry()
            let rows = try replica.customersReport(categories: category, search: search, asOf: today())
            let cells = rows.map { row -> [String] in
                let customer = row.customer
                let phone = row.mainPhone.map {
                    PhoneNumber(parsing: $0, defaultCountry: country).formatted(homeCountry: country)
                }
                let city = Address(parsing: customer.address, defaultCountry: country).locality
                return [
                    customer.name, customer.id.description, customer.categories.joined(separator: ", "), phone ?? "",
                    city ?? "", row.balance.description, row.lastContact ?? "", customer.industry, customer.source,
                    customer.size,
                ]
            }
            let json: JSONValue = .array(
                rows.indices.map { index in
                    let cell = cells[index]
                    return .object([
                        ("customerId", .string(cell[1])), ("name", .string(cell[0])),
                        ("categories", .array(rows[index].customer.categories.map(JSONValue.string))),
                        ("phone", .string(cell[3])), ("city", .string(cell[4])), ("balance", .string(cell[5])),
                        ("lastContact", .optional(rows[index].lastContact)), ("industry", .string(cell[7])),
                        ("source", .string(cell[8])), ("size", .string(cell[9])),
                    ])
                }
            )
            try report.emit(
                header: [
                    "NAME", "ID", "CATEGORIES", "PHONE", "CITY", "BALANCE", "LAST CONTACT", "INDUSTRY", "SOURCE",
                    "SIZE",
                ],
                right: [5],
                rows: cells,
                json: json
            )
        }
    }

    struct Todos: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open to-dos by assignee, overdue ones marked.",
            discussion: "Example: nodectl report todos --assignee Ann"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var report: ReportOptions
        @Option(help: "Only this person's.") var assignee: String?

        func execute() async throws {
            let date = today()
            let todos = try data.open().replica.todos(TodoFilter(assignee: assignee, openOnly: true))
                .sorted {
                    (($0.assignee ?? "").lowercased(), $0.due?.daysSinceEpoch ?? Int.max) < (
                        ($1.assignee ?? "").lowercased(), $1.due?.daysSinceEpoch ?? Int.max
                    )
                }
            let rows = todos.map {
                [
                    $0.assignee ?? "(nobody)", $0.due?.description ?? "", $0.isOverdue(on: date) ? "overdue" : "open",
                    TerminalText.oneLine($0.text), $0.customerName ?? "", $0.id.description,
                ]
            }
            try report.emit(
                header: ["ASSIGNEE", "DUE", "STATUS", "TEXT", "CUSTOMER", "ID"],
                rows: rows,
                json: .array(todos.map { MarketingViews.todo($0, today: date) })
            )
        }
    }

    struct Sales: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Invoiced amounts net of credit notes, excluding tax, by month, customer, item, category or salesperson.",
            discussion: """
                Invoices count by their date, credit notes by theirs. By item, a credit note of an amount (no lines) \
                is a row of its own; by category, a customer in several categories counts in each. --format svg draws \
                a bar chart.

                Example: nodectl report sales --from 2026-01-01 --to 2026-12-31 --by month --format svg --output sales.svg
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var report: ReportOptions
        @Option(help: "From this date, YYYY-MM-DD.") var from: String
        @Option(help: "To this date, YYYY-MM-DD (included).") var to: String
        @Option(help: "month, customer, item, category or salesperson.") var by: String

        func execute() async throws {
            let start = try businessDate(from, "--from")
            let end = try businessDate(to, "--to")
            guard start <= end else { throw UsageError("--from \(start) is after --to \(end)") }
            guard let grouping = SalesGrouping(rawValue: by.lowercased()) else {
                throw UsageError("--by is month, customer, item, category or salesperson, not '\(by)'")
            }
            let rows = try data.open().replica.sales(from: start, to: end, by: grouping)
            try Self.emit(
                rows,
                report: report,
                title: "Sales \(start) to \(end) by \(grouping.rawValue)",
                orientation: .vertical
            )
        }

        static func emit(_ rows: [SalesRow], report: ReportOptions, title: String, orientation: BarChart.Orientation)
            throws
        {
            let chart = BarChart(
                title: title,
                orientation: orientation,
                bars: rows.map {
                    .init(key: $0.key, label: $0.name, amount: $0.amount.description, value: $0.amount.minorUnits)
                }
            )
            try report.emit(
                header: ["KEY", "NAME", "AMOUNT"],
                right: [2],
                rows: rows.map { [$0.key, $0.name, $0.amount.description] },
                json: .array(
                    rows.map {
                        .object([
                            ("key", .string($0.key)), ("name", .string($0.name)),
                            ("amount", .string($0.amount.description)),
                        ])
                    }
                ),
                chart: chart
            )
        }
    }

    struct Top: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Top performers by sales (as report sales): customers, items or salespeople, largest first.",
            discussion: "Example: nodectl report top --by customers --limit 10 --format svg --output top.svg"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var report: ReportOptions
        @Option(help: "customers, items or salespeople.") var by: String
        @Option(help: "From this date, YYYY-MM-DD.") var from: String?
        @Option(help: "To this date, YYYY-MM-DD (included).") var to: String?
        @Option(help: "How many (default 10).") var limit: Int = 10

        func execute() async throws {
            let groupings: [String: SalesGrouping] = [
                "customers": .customer, "items": .item, "salespeople": .salesperson,
            ]
            guard let grouping = groupings[by.lowercased()] else {
                throw UsageError("--by is customers, items or salespeople, not '\(by)'")
            }
            guard limit > 0 else { throw UsageError("--limit is a number above 0, not \(limit)") }
            let start = try from.map { try businessDate($0, "--from") }
            let end = try to.map { try businessDate($0, "--to") }
            if let start, let end, start > end { throw UsageError("--from \(start) is after --to \(end)") }
            let rows = try data.open().replica.top(by: grouping, from: start, to: end, limit: limit)
            try Sales.emit(rows, report: report, title: "Top \(limit) \(by.lowercased())", orientation: .horizontal)
        }
    }
}
