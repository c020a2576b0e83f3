import Foundation
import Model
import Replication

/// JSON and text forms of the Jobs & Service tab's values.
enum ServiceViews {
    static func equipment(_ equipment: EquipmentSummary) -> JSONValue {
        .object([
            ("id", .string(equipment.id.description)), ("customerId", .string(equipment.customerID.description)),
            ("customerName", .string(equipment.customerName)), ("model", .string(equipment.model)),
            ("serial", .string(equipment.serial)), ("installed", .optional(equipment.installed)),
            ("warrantyUntil", .optional(equipment.warrantyUntil)), ("site", .optional(equipment.site)),
            ("notes", .optional(equipment.notes)),
            ("likelyDuplicates", .array(equipment.likelyDuplicates.map { .string($0.description) })),
        ])
    }

    static func job(_ job: JobSummary) -> JSONValue {
        .object([
            ("id", .string(job.id.description)), ("customerId", .string(job.customerID.description)),
            ("customerName", .string(job.customerName)), ("title", .string(job.title)),
            ("orderId", .optional(job.orderID?.description)), ("orderNumber", .optional(job.orderNumber)),
            ("start", .optional(job.start)), ("end", .optional(job.end)), ("status", .string(job.status)),
            ("notes", .optional(job.notes)),
        ])
    }

    /// A call as `service list --json` prints it: the contract's keys, then more.
    static func call(_ call: ServiceCallSummary) -> JSONValue {
        .object([
            ("id", .string(call.id.description)), ("number", .string(call.number)),
            ("customerId", .string(call.customerID.description)), ("status", .string(call.status)),
            ("scheduled", .optional(call.scheduled)), ("crew", .array(call.crew.map(JSONValue.string))),
            ("equipmentId", .optional(call.equipmentID?.description)), ("charges", .string(call.charges.description)),
            ("equipment", .optional(call.equipment)),
            ("customerName", .string(call.customerName)), ("problem", .string(call.problem)),
            ("jobId", .optional(call.jobID?.description)), ("completed", .optional(call.completed)),
            ("invoices", .array(call.invoices.map(JSONValue.string))),
            ("conflicts", .array(call.conflicts.map(JSONValue.string))),
        ])
    }

    /// A call with its notes and charges (`service show --json`).
    static func detail(_ detail: ServiceCallDetail) -> JSONValue {
        guard case .object(var members) = call(detail.call) else { return call(detail.call) }
        members += [
            (
                "notes",
                .array(
                    detail.notes.map {
                        .object([
                            ("id", .string($0.id.description)), ("text", .string($0.text)), ("at", .string($0.at)),
                            ("by", .string($0.by)), ("node", .string($0.node)),
                        ])
                    }
                )
            ),
            (
                "chargeLines",
                .array(
                    detail.charges.map { charge in
                        .object([
                            ("id", .string(charge.id.description)), ("date", .string(charge.date.description)),
                            ("lines", .array(charge.lines.map { FinancialViews.line($0, charge.total.currency) })),
                            ("subtotal", .string(charge.subtotal.description)),
                            ("tax", .string(charge.tax.description)), ("total", .string(charge.total.description)),
                            ("by", .string(charge.by)),
                        ])
                    }
                )
            ),
        ]
        return .object(members)
    }

    /// The `service` member of `customer show --json`.
    static func tab(_ tab: ServiceTab) -> JSONValue {
        .object([
            ("equipment", .array(tab.equipment.map(equipment))), ("jobs", .array(tab.jobs.map(job))),
            ("calls", .array(tab.calls.map(detail))),
        ])
    }

    // MARK: Text

    static func printCalls(_ calls: [ServiceCallSummary]) {
        Output.table(
            ["NUMBER", "SCHEDULED", "STATUS", "CUSTOMER", "PROBLEM", "CREW", "CHARGES"],
            right: [6],
            calls.map {
                [
                    $0.number, $0.scheduled ?? "", $0.status + ($0.conflicts.contains("status") ? " (conflict)" : ""),
                    $0.customerName, TerminalText.truncated(TerminalText.oneLine($0.problem), toWidth: 40),
                    $0.crew.joined(separator: ", "),
                    $0.charges.description,
                ]
            }
        )
    }

    static func printDetail(_ detail: ServiceCallDetail, indent: String = "") {
        let call = detail.call
        Output.line("\(indent)Service call \(call.number)  [\(call.id)]")
        Output.line("\(indent)  Customer: \(call.customerName)  [\(call.customerID)]")
        Output.line("\(indent)  Problem:")
        Output.wrapped(call.problem, indent: indent + "    ")
        var status = call.status
        if let completed = call.completed { status += " \(completed)" }
        if call.conflicts.contains("status") { status += "  (in conflict: nodectl conflicts list)" }
        Output.line("\(indent)  Status: \(status)")
        if let scheduled = call.scheduled { Output.line("\(indent)  Scheduled: \(scheduled)") }
        if let equipment = call.equipmentID {
            Output.line("\(indent)  Equipment: \(call.equipment.map { "\($0)  " } ?? "")[\(equipment)]")
        }
        if let job = call.jobID { Output.line("\(indent)  Job: \(job)") }
        Output.line("\(indent)  Crew: \(call.crew.isEmpty ? "(none)" : call.crew.joined(separator: ", "))")
        if !call.invoices.isEmpty { Output.line("\(indent)  Invoiced: \(call.invoices.joined(separator: ", "))") }
        if !detail.notes.isEmpty {
            Output.line("\(indent)  Crew notes:")
            for note in detail.notes {
                Output.line("\(indent)    \(note.at)  \(note.by)")
                Output.wrapped(note.text, indent: indent + "      ")
            }
        }
        if !detail.charges.isEmpty {
            Output.line("\(indent)  Charges:")
            for charge in detail.charges {
                Output.line("\(indent)    \(charge.date)  by \(charge.by)")
                FinancialViews.printLines(charge.lines, charge.total.currency, indent: indent + "      ")
            }
            Output.line("\(indent)  Charged in all: \(call.charges) \(call.charges.currency)")
        }
    }

    static func printEquipment(_ equipment: [EquipmentSummary]) {
        Output.table(
            ["ID", "CUSTOMER", "MODEL", "SERIAL", "INSTALLED", "WARRANTY", ""],
            equipment.map {
                [
                    $0.id.description, $0.customerName, $0.model, $0.serial, $0.installed ?? "", $0.warrantyUntil ?? "",
                    $0.likelyDuplicates.isEmpty ? "" : "likely a duplicate of \($0.likelyDuplicates[0])",
                ]
            }
        )
    }

    /// The Jobs & Service section of `customer show`.
    static func printTab(_ tab: ServiceTab, country: CountryCode) {
        Output.line("Jobs & Service")
        Output.line("  Equipment (\(tab.equipment.count))")
        for item in tab.equipment {
            var line = "    \(item.model)  serial \(item.serial)"
            if let installed = item.installed { line += "  installed \(installed)" }
            if let warranty = item.warrantyUntil { line += "  warranty until \(warranty)" }
            if !item.likelyDuplicates.isEmpty { line += "  (likely a duplicate)" }
            Output.line(line + "  [\(item.id)]")
            if let site = item.site {
                Output.line(
                    "      at " + Address(parsing: site, defaultCountry: country).formattedLines.joined(separator: ", ")
                )
            }
        }
        Output.line("  Jobs (\(tab.jobs.count))")
        for job in tab.jobs {
            let dates = [job.start, job.end].compactMap { $0 }.joined(separator: " to ")
            Output.line(
                "    \(job.title)  \(job.status)\(dates.isEmpty ? "" : "  \(dates)")"
                    + "\(job.orderNumber.map { "  order \($0)" } ?? "")  [\(job.id)]"
            )
        }
        Output.line("  Service calls (\(tab.calls.count))")
        for detail in tab.calls {
            let call = detail.call
            Output.line(
                "    \(call.number)  \(call.status)\(call.conflicts.contains("status") ? " (conflict)" : "")"
                    + "  \(call.scheduled ?? "unscheduled")  crew: \(call.crew.isEmpty ? "-" : call.crew.joined(separator: ", "))"
                    + "  charges \(call.charges)"
                    + (call.invoices.isEmpty ? "" : "  invoiced \(call.invoices.joined(separator: ", "))")
                    + "  [\(call.id)]"
            )
            Output.wrapped(call.problem, indent: "      ")
            for note in detail.notes {
                Output.line("      note \(note.at) \(note.by):")
                Output.wrapped(note.text, indent: "        ")
            }
        }
    }
}
