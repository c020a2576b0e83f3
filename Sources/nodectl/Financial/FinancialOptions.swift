import ArgumentParser
import Foundation
import Model
import Replication

/// Today as a calendar date where this node is (the business date a document defaults to).
func today() -> BusinessDate {
    let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
    return (try? BusinessDate(year: parts.year!, month: parts.month!, day: parts.day!))
        ?? BusinessDate(unixMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
}

/// A date given on the command line (`YYYY-MM-DD`), else today.
func businessDate(_ text: String?, _ option: String) throws -> BusinessDate {
    guard let text else { return today() }
    do { return try BusinessDate(parsing: text.trimmingCharacters(in: .whitespaces)) } catch let error as ModelError {
        throw UsageError("\(option): \(error.message)")
    }
}

/// `--line` texts read as lines (``LineRequest``).
func lineRequests(_ texts: [String]) throws -> [LineRequest] {
    try texts.map { text in
        do { return try LineRequest(parsing: text) } catch let error as ModelError { throw UsageError(error.message) }
    }
}

/// `--date DATE`: when the paperwork happened (default today).
struct DateOption: ParsableArguments {
    @Option(help: "The business date, YYYY-MM-DD (default: today).") var date: String?

    func resolved() throws -> BusinessDate { try businessDate(date, "--date") }
}

/// `--as-of DATE`: the date the figures are computed for (default today).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Figures as of this date, YYYY-MM-DD (default: today).")
    var asOf: String?

    func resolved() throws -> BusinessDate { try businessDate(asOf, "--as-of") }
}

/// JSON and text forms of the Financial tab's values.
enum FinancialViews {
    static func line(_ line: SalesLine, _ currency: CurrencyCode) -> JSONValue {
        .object([
            ("part", .string(line.part)), ("description", .string(line.description)),
            ("quantity", .string(line.quantity)),
            ("price", .string(Money(minorUnits: line.unitPrice, currency: currency).description)),
            ("discount", .string(line.discount)), ("taxRate", .string(line.taxRate)),
            ("net", .string(Money(minorUnits: line.net, currency: currency).description)),
            ("tax", .string(Money(minorUnits: line.tax, currency: currency).description)),
        ])
    }

    static func document(_ document: SalesDocument, invoice: InvoiceSummary? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(document.id.description)), ("number", .string(document.number)),
            ("kind", .string(document.kind.name)), ("customerId", .string(document.customerID.description)),
            ("date", .string(document.date.description)),
        ]
        for key in [
            "dueDate", "terms", "validUntil", "deliverBy", "quote", "quoteNumber", "order", "orderNumber", "invoice",
            "invoiceNumber", "salesperson",
        ] {
            if let value = document.details[key] { members.append((key, .string(value))) }
        }
        members += [
            ("currency", .string(document.currency.code)), ("subtotal", .string(document.subtotal.description)),
            ("tax", .string(document.tax.description)), ("total", .string(document.total.description)),
        ]
        if let invoice {
            members += [
                ("credited", .string(invoice.credited.description)), ("paid", .string(invoice.paid.description)),
                ("discount", .string(invoice.discount.description)), ("open", .string(invoice.open.description)),
                ("status", .string(invoice.status)),
            ]
        } else if document.kind != .creditNote {
            members.append(("status", .string(document.status)))
        }
        for key in ["reason", "creditOverride", "cancelled", "notes"] {
            if let value = document.details[key] { members.append((key, .string(value))) }
        }
        members.append(("lines", .array(document.lines.map { line($0, document.currency) })))
        if document.kind == .order {
            members.append(
                (
                    "deliveries",
                    .array(
                        document.deliveries.map { delivery in
                            .object([
                                ("date", .string(delivery.date)),
                                (
                                    "lines",
                                    .array(
                                        delivery.lines.map {
                                            .object([("part", .string($0.part)), ("quantity", .string($0.quantity))])
                                        }
                                    )
                                ),
                            ])
                        }
                    )
                )
            )
        }
        return .object(members)
    }

    static func invoiceRow(_ invoice: InvoiceSummary) -> JSONValue {
        .object([
            ("id", .string(invoice.id.description)), ("number", .string(invoice.number)),
            ("customerId", .string(invoice.customerID.description)), ("date", .string(invoice.date.description)),
            ("dueDate", .string(invoice.dueDate.description)), ("total", .string(invoice.total.description)),
            ("open", .string(invoice.open.description)), ("status", .string(invoice.status)),
        ])
    }

    static func payment(_ payment: PaymentView) -> JSONValue {
        .object([
            ("id", .string(payment.id.description)), ("number", .string(payment.number)),
            ("customerId", .string(payment.customerID.description)), ("date", .string(payment.date.description)),
            ("amount", .string(payment.amount.description)), ("currency", .string(payment.amount.currency.code)),
            ("method", .string(payment.method)), ("reference", .optional(payment.reference)),
            (
                "applied",
                .array(
                    payment.applied.map {
                        .object([
                            ("invoice", .string($0.invoice.description)), ("invoiceNumber", .optional($0.number)),
                            ("amount", .string($0.amount.description)), ("discount", .string($0.discount.description)),
                        ])
                    }
                )
            ),
            ("unapplied", .string(payment.unapplied.description)),
            (
                "reversed",
                payment.reversed.map { .object([("date", .string($0.date)), ("reason", .string($0.reason))]) } ?? .null
            ),
        ])
    }

    static func ageing(_ row: AgeingRow) -> JSONValue {
        .object(
            [
                ("customerId", .optional(row.customerID?.description)), ("name", .optional(row.name)),
            ] + AgeingBucket.allCases.map { ($0.rawValue, .string(row.buckets[$0]!.description)) } + [
                ("unapplied", .string(row.unapplied.description)), ("balance", .string(row.balance.description)),
            ]
        )
    }

    /// Bucket headings as a person reads them.
    static let bucketHeadings: [AgeingBucket: String] = [
        .current: "CURRENT", .days1To30: "1-30", .days31To60: "31-60", .days61To90: "61-90", .days91To120: "91-120",
        .days121Plus: "121+",
    ]

    /// Prints a document's lines and totals, amounts aligned.
    static func printLines(_ document: SalesDocument) { printLines(document.lines, document.currency) }

    /// Prints lines with their amounts aligned.
    static func printLines(_ lines: [SalesLine], _ currency: CurrencyCode, indent: String = "") {
        Output.table(
            ["PART", "DESCRIPTION", "QTY", "PRICE", "DISC", "TAX%", "NET", "TAX"],
            right: [2, 3, 4, 5, 6, 7],
            indent: indent,
            lines.map {
                [
                    $0.part, $0.description, $0.quantity,
                    Money(minorUnits: $0.unitPrice, currency: currency).description,
                    $0.discount == "0" ? "" : $0.discount + "%", $0.taxRate + "%",
                    Money(minorUnits: $0.net, currency: currency).description,
                    Money(minorUnits: $0.tax, currency: currency).description,
                ]
            }
        )
    }

    /// Prints label–amount pairs with the amounts aligned on the right.
    static func printTotals(_ pairs: [(String, Money)]) {
        let width = pairs.map { $0.1.description.count }.max() ?? 0
        let label = pairs.map { $0.0.count }.max() ?? 0
        for (name, amount) in pairs {
            let text = amount.description
            Output.line(
                "  " + name.padding(toLength: label, withPad: " ", startingAt: 0) + "  "
                    + String(repeating: " ", count: width - text.count) + text + " " + amount.currency.code
            )
        }
    }
}

extension FinancialViews {
    /// The `financial` member of `customer show --json`.
    static func tab(_ tab: FinancialTab) -> JSONValue {
        let row = tab.ageing
        return .object([
            ("asOf", .string(tab.asOf.description)), ("currency", .string(row.balance.currency.code)),
            ("balance", .string(row.balance.description)),
            (
                "ageing",
                .object(
                    AgeingBucket.allCases.map { ($0.rawValue, .string(row.buckets[$0]!.description)) } + [
                        ("unapplied", .string(row.unapplied.description))
                    ]
                )
            ),
            ("documentCount", .number(Int64(tab.documentCount))),
            (
                "recent",
                .array(
                    tab.recent.map {
                        .object([
                            ("kind", .string($0.kind)), ("id", .string($0.id.description)),
                            ("number", .string($0.number)), ("date", .string($0.date.description)),
                            ("amount", .string($0.amount.description)), ("open", .optional($0.open?.description)),
                            ("status", .string($0.status)),
                        ])
                    }
                )
            ),
        ])
    }

    /// The Financial section of `customer show`.
    static func printTab(_ tab: FinancialTab) {
        let row = tab.ageing
        Output.line("Financial (as of \(tab.asOf))")
        Output.line(
            "  Balance \(row.balance) \(row.balance.currency)\(row.unapplied.isZero ? "" : "  (credit on account \(row.unapplied))")"
        )
        let buckets = AgeingBucket.allCases
        Output.table(
            buckets.map { bucketHeadings[$0]! },
            right: Swift.Set(buckets.indices),
            [buckets.map { row.buckets[$0]!.description }]
        )
        guard !tab.recent.isEmpty else { return }
        Output.line("  Latest documents (\(tab.recent.count) of \(tab.documentCount)):")
        Output.table(
            ["DATE", "KIND", "NUMBER", "AMOUNT", "OPEN", "STATUS"],
            whole: [0, 2],
            right: [3, 4],
            tab.recent.map {
                [$0.date.description, $0.kind, $0.number, $0.amount.description, $0.open?.description ?? "", $0.status]
            }
        )
    }
}
