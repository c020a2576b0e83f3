import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl campaign`: marketing campaigns, their members and responses, and the mailing list.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Marketing campaigns: members, responses, and the mailing list for the direct-mail partner.",
        discussion: "Example: nodectl campaign add 'Winter offer' --type mail --start 2026-12-01",
        subcommands: [Add.self, List.self, Show.self, Members.self, Respond.self, Export.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a campaign: mail, email, phone, event, survey, promotion or service-contract.",
            discussion: "Example: nodectl campaign add 'Winter offer' --type mail --start 2026-12-01 --end 2026-12-31"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The campaign's name.") var name: String
        @Option(help: "mail, email, phone, event, survey, promotion or service-contract.") var type: String
        @Option(help: "Starts on, YYYY-MM-DD.") var start: String?
        @Option(help: "Ends on, YYYY-MM-DD.") var end: String?
        @Option(help: "Notes.") var notes: String?

        func execute() async throws {
            let start = try start.map { try businessDate($0, "--start") }
            let end = try end.map { try businessDate($0, "--end") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addCampaign(name: name, type: type, start: start, end: end, notes: notes)
            }
            if json.enabled {
                Output.json(MarketingViews.campaign(try replica.campaign(id).campaign))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every campaign, with its members and responses counted.",
            discussion: "Example: nodectl campaign list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let campaigns = try data.open().replica.campaigns()
            if json.enabled {
                Output.json(.array(campaigns.map(MarketingViews.campaign)))
                return
            }
            Output.table(
                ["ID", "NAME", "TYPE", "START", "END", "MEMBERS", "RESPONSES"],
                whole: [0],
                right: [5, 6],
                campaigns.map {
                    [
                        $0.id.description, $0.name, $0.type, $0.start?.description ?? "", $0.end?.description ?? "",
                        String($0.members), String($0.responses),
                    ]
                }
            )
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A campaign with its members and their responses.",
            discussion: "Example: nodectl campaign show 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The campaign's id.") var id: String

        func execute() async throws {
            let detail = try data.open().replica.campaign(try parseEntityID(id, "campaign"))
            if json.enabled {
                guard case .object(var members) = MarketingViews.campaign(detail.campaign) else { return }
                members += [
                    (
                        "memberList",
                        .array(
                            detail.members.map {
                                .object([
                                    ("customerId", .string($0.customerID.description)), ("name", .string($0.name)),
                                    ("chosenBy", .string($0.chosenBy)), ("addedAt", .string($0.addedAt)),
                                ])
                            }
                        )
                    ),
                    ("responseList", .array(detail.responses.map(MarketingViews.response))),
                ]
                Output.json(.object(members))
                return
            }
            let campaign = detail.campaign
            Output.line("\(campaign.name)  \(campaign.type)  [\(campaign.id)]")
            if campaign.start != nil || campaign.end != nil {
                Output.line("From \(campaign.start?.description ?? "-") to \(campaign.end?.description ?? "-")")
            }
            if let notes = campaign.notes { Output.wrapped(notes, indent: "  ") }
            Output.line("Members (\(detail.members.count))")
            Output.table(
                ["CUSTOMER", "ID", "CHOSEN BY", "RESPONSES"],
                whole: [1],
                indent: "  ",
                detail.members.map { member in
                    [
                        member.name, member.customerID.description, member.chosenBy,
                        detail.responses.filter { $0.customerID == member.customerID }.map(\.outcome)
                            .joined(separator: "; "),
                    ]
                }
            )
        }
    }

    struct Members: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add members: customers by id, or every customer of a category or a search, as they are now.",
            discussion: """
                Members are recorded as the customers chosen now: a customer who joins the category later is not \
                added. Archived customers are left out of a category or a search.

                Example: nodectl campaign members 01a2379b-51d1-7000-824d-31054e8b1893 --category retail
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The campaign's id.") var id: String
        @Argument(help: "Customer ids.") var customers: [String] = []
        @Option(help: "Every customer of this category.") var category: String?
        @Option(help: "Every customer this search finds (as customer list --search).") var search: String?

        func validate() throws {
            let ways = [!customers.isEmpty, category != nil, search != nil].filter { $0 }.count
            if ways != 1 {
                throw ValidationError("name the members one way: CUSTOMER_ID..., --category C or --search TEXT")
            }
        }

        func execute() async throws {
            let campaign = try parseEntityID(id, "campaign")
            let who = try person.resolved()
            let replica = try data.open().replica
            var chosen: [EntityID]
            let how: String
            if let category {
                chosen = try replica.customers(categories: [category]).map(\.id)
                how = "category \(category)"
            } else if let search {
                try requireText(search, "--search")
                chosen = try replica.customers(search: search).map(\.id)
                how = "search \(search)"
            } else {
                chosen = try customers.map { try parseEntityID($0, "customer") }
                how = "by id"
            }
            if chosen.isEmpty { throw UsageError("no customer matches \(how)") }
            let added = try replica.write(as: who) {
                try $0.addCampaignMembers(campaign, customers: chosen, chosenBy: how)
            }
            Output.diagnostic("Added \(added.count) member\(added.count == 1 ? "" : "s") (\(how))")
        }
    }

    struct Respond: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a member's response (immutable).",
            discussion:
                "Example: nodectl campaign respond 01a2379b-51d1-7000-824d-31054e8b1893 01a2379b-51d1-7000-824d-31054e8b1894 --outcome 'ordered 2 filters'"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var date: DateOption
        @Argument(help: "The campaign's id.") var id: String
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "How they answered.") var outcome: String

        func execute() async throws {
            let campaign = try parseEntityID(id, "campaign")
            let customer = try parseEntityID(customer, "customer")
            let when = try date.resolved()
            let who = try person.resolved()
            let response = try data.open().replica.write(as: who) {
                try $0.respond(campaign: campaign, customer: customer, outcome: outcome, date: when)
            }
            Output.line(response.description)
        }
    }

    struct Export: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "The mailing list for the direct-mail partner (CSV): each address formatted by its country.",
            discussion: """
                Columns: customer_id, name, contact (with salutation), address_line_1..5 — the contact's address, \
                else the customer's, one line per column as its country's template writes it. Archived customers and \
                customers on credit hold are left out unless --include-archived / --include-held.

                Example: nodectl campaign export 01a2379b-51d1-7000-824d-31054e8b1893 --output mailing.csv
                """
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The campaign's id.") var id: String
        @Option(help: "Write the list to this file instead of standard output.") var output: String?
        @Flag(name: .customLong("include-archived"), help: "Include archived customers.") var includeArchived = false
        @Flag(name: .customLong("include-held"), help: "Include customers on credit hold.") var includeHeld = false

        func execute() async throws {
            let campaign = try parseEntityID(id, "campaign")
            let replica = try data.open().replica
            let entries = try replica.mailingList(campaign, includeArchived: includeArchived, includeHeld: includeHeld)
            let text = MailingList.csv(entries, defaultCountry: try replica.defaultCountry())
            try Output.write(text, to: output)
            if let output { Output.diagnostic("Wrote \(entries.count) addresses to \(output)") }
        }
    }
}
