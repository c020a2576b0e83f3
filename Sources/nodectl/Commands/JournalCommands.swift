import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "The folder's diary: calls, letters, visits, quotes, complaints.",
        subcommands: [Add.self, List.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A journal entry (immutable; a correction is a new entry with --corrects)."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Option(
            help:
                "call, sales-call, letter, email, meeting, visit, trade-show, collection, quote, complaint, commendation, note."
        )
        var kind: String
        @Option(help: "What happened.") var notes: String
        @Option(help: "Who took part.") var parties: String?
        @Option(help: "When (ISO 8601 with zone; default now).") var at: String?
        @Option(help: "The id of an entry this one corrects.") var corrects: String?
        @Option(help: "Who wrote it (default: this node's name).") var author: String?

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let kind = try JournalKind(parsing: kind)
            let date =
                try at.map { try Timestamp.parse($0) }
                ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let corrected = try corrects.map { try parseEntityID($0, "journal entry") }
            let home = try data.open()
            let author = try author ?? home.replica.name()
            let id = try home.replica.write {
                try $0.addJournalEntry(
                    customer: customer,
                    at: date,
                    kind: kind,
                    parties: parties ?? "",
                    notes: notes,
                    author: author,
                    corrects: corrected
                )
            }
            if json.enabled {
                guard let entry = try home.replica.journal(customer: customer).first(where: { $0.id == id }) else {
                    return
                }
                Output.json(Views.journal(entry))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's journal, oldest first.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let entries = try data.open().replica.journal(customer: customer)
            if json.enabled {
                Output.json(.array(entries.map(Views.journal)))
            } else {
                Output.table(
                    ["AT", "KIND", "PARTIES", "NOTES", "AUTHOR"],
                    entries.map { [Timestamp.format($0.at), $0.kind.rawValue, $0.parties, $0.notes, $0.author] }
                )
            }
        }
    }
}
