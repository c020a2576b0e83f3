import Foundation
import Model
import Replication

/// JSON and text forms of the Marketing tab's values.
enum MarketingViews {
    /// A to-do as `todo list --json` prints it: the contract's keys, then more.
    static func todo(_ todo: TodoItem, today: BusinessDate) -> JSONValue {
        .object([
            ("id", .string(todo.id.description)), ("text", .string(todo.text)),
            ("due", .optional(todo.due?.description)),
            ("assignee", .optional(todo.assignee)), ("done", .bool(todo.done)),
            ("customerId", .optional(todo.customerID?.description)), ("customerName", .optional(todo.customerName)),
            ("campaignId", .optional(todo.campaignID?.description)), ("overdue", .bool(todo.isOverdue(on: today))),
            ("doneAt", .optional(todo.doneAt)), ("doneBy", .optional(todo.doneBy)),
        ])
    }

    static func campaign(_ campaign: CampaignSummary) -> JSONValue {
        .object([
            ("id", .string(campaign.id.description)), ("name", .string(campaign.name)),
            ("type", .string(campaign.type)),
            ("start", .optional(campaign.start?.description)), ("end", .optional(campaign.end?.description)),
            ("notes", .optional(campaign.notes)), ("members", .number(Int64(campaign.members))),
            ("responses", .number(Int64(campaign.responses))),
        ])
    }

    static func response(_ response: CampaignResponse) -> JSONValue {
        .object([
            ("id", .string(response.id.description)), ("campaignId", .string(response.campaignID.description)),
            ("customerId", .string(response.customerID.description)), ("name", .string(response.customerName)),
            ("outcome", .string(response.outcome)), ("date", .string(response.date.description)),
            ("recordedBy", .string(response.recordedBy)),
        ])
    }

    /// The `marketing` member of `customer show --json`.
    static func tab(_ tab: MarketingTab, today: BusinessDate) -> JSONValue {
        .object([
            ("industry", .optional(tab.industry)), ("source", .optional(tab.source)), ("size", .optional(tab.size)),
            (
                "campaigns",
                .array(
                    tab.campaigns.map { participation in
                        guard case .object(var members) = campaign(participation.campaign) else { return .null }
                        members.append(("responses", .array(participation.responses.map(response))))
                        return .object(members)
                    }
                )
            ),
            ("todos", .array(tab.todos.map { todo($0, today: today) })),
        ])
    }

    static func printTodos(_ todos: [TodoItem], today: BusinessDate) {
        Output.table(
            ["ID", "DUE", "ASSIGNEE", "STATUS", "TEXT", "CUSTOMER"],
            whole: [0],
            todos.map {
                [
                    $0.id.description, $0.due?.description ?? "", $0.assignee ?? "",
                    $0.done ? "done" : $0.isOverdue(on: today) ? "OVERDUE" : "open", TerminalText.oneLine($0.text),
                    $0.customerName ?? "",
                ]
            }
        )
    }

    /// The Marketing section of `customer show`.
    static func printTab(_ tab: MarketingTab, today: BusinessDate) {
        Output.line("Marketing")
        let demographics = [("Industry", tab.industry), ("Source", tab.source), ("Size", tab.size)]
            .compactMap { label, value in value.map { "\(label): \($0)" } }
        if !demographics.isEmpty { Output.line("  " + demographics.joined(separator: "  ")) }
        Output.line("  Campaigns (\(tab.campaigns.count))")
        for participation in tab.campaigns {
            let campaign = participation.campaign
            Output.line(
                "    \(campaign.name)  \(campaign.type)\(campaign.start.map { "  from \($0)" } ?? "")  [\(campaign.id)]"
            )
            for response in participation.responses {
                Output.wrapped("\(response.date) answered: \(response.outcome)", indent: "      ")
            }
        }
        Output.line("  To-dos (\(tab.todos.count))")
        for todo in tab.todos {
            let state = todo.done ? "done" : todo.isOverdue(on: today) ? "OVERDUE" : "open"
            Output.wrapped(
                "\(todo.due.map { "\($0) " } ?? "")\(state)\(todo.assignee.map { " (\($0))" } ?? ""): \(todo.text)",
                indent: "    "
            )
        }
    }
}
