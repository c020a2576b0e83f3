import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "The folder's diary: calls, letters, visits, quotes, complaints.",
        discussion: "Example: nodectl journal list 01a2379b-51d1-7000-824d-31054e8b1893",
        subcommands: [Add.self, List.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A journal entry (immutable; a correction is a new entry with --corrects).",
            discussion: """
                --notes - reads the notes from standard input, --notes-file FILE from a file: a pasted \
                e-mail of up to 256 KB. Notes and the author must not be empty.

                Example: nodectl journal add 01a2379b-51d1-7000-824d-31054e8b1893 --kind email --notes - < mail.txt
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Option(
            help:
                "call, sales-call, letter, email, meeting, visit, trade-show, collection, quote, complaint, commendation, note."
        )
        var kind: String
        @Option(help: "What happened ('-': read standard input).") var notes: String?
        @Option(name: .customLong("notes-file"), help: "Read the notes from this file.") var notesFile: String?
        @Option(help: "Who took part.") var parties: String?
        @Option(help: "When (ISO 8601 with zone; default now).") var at: String?
        @Option(help: "The id of an entry this one corrects.") var corrects: String?
        @Option(help: "The contact reached (a contact id; required for --kind collection).") var contact: String?
        @Option(help: "Who wrote it (default: the person writing: --as, $NEXTSOFT_USER, else this node's name).")
        var author: String?

        func validate() throws { try requireOption(notes, notesFile, "notes") }

        func execute() async throws {
            let who = try person.resolved()
            let customer = try parseEntityID(customerID, "customer")
            let kind = try JournalKind(parsing: kind)
            let contact = try contact.map { try parseEntityID($0, "contact") }
            if kind == .collection, contact == nil {
                throw UsageError("a collection note names the contact reached: --contact CONTACT_ID")
            }
            var input = LongTextInput()
            guard let notes = try input.text(notes, file: notesFile, option: "notes") else {
                throw UsageError("say what happened: --notes TEXT, --notes - (standard input) or --notes-file FILE")
            }
            try requireText(notes, "--notes")
            let date =
                try at.map { try Timestamp.parse($0) }
                ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let corrected = try corrects.map { try parseEntityID($0, "journal entry") }
            let home = try data.open()
            // The entry's author: --author when given (someone else's words, entered here),
            // else the person writing.
            let author = try author?.trimmingCharacters(in: .whitespacesAndNewlines) ?? person.name(home)
            try requireText(author, "--author")
            let id = try home.replica.write(as: who) {
                try $0.addJournalEntry(
                    customer: customer,
                    at: date,
                    kind: kind,
                    parties: parties ?? "",
                    notes: notes,
                    author: author,
                    corrects: corrected,
                    contact: contact
                )
            }
            if json.enabled {
                guard let entry = try home.replica.journal(customer: customer).first(where: { $0.id == id }) else {
                    return
                }
                Output.json(Views.attaching(by: try home.replica.creators(of: [id])[id], to: Views.journal(entry)))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A customer's journal, oldest first.",
            discussion: """
                Notes are cut to the terminal's width ('customer show' or --json has them whole); \
                an entry that a later one corrects is marked 'corrected by ID'.

                Example: nodectl journal list 01a2379b-51d1-7000-824d-31054e8b1893
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let replica = try data.open().replica
            let entries = try replica.journal(customer: customer)
            let by = try replica.creators(of: entries.map(\.id))
            if json.enabled {
                Output.json(.array(entries.map { Views.attaching(by: by[$0.id], to: Views.journal($0)) }))
            } else {
                let correctedBy = JournalMarks.correctedBy(entries)
                Output.table(
                    ["ID", "AT", "KIND", "AUTHOR", "PARTIES", "NOTES"],
                    whole: [0, 1],
                    entries.map {
                        [
                            $0.id.description, Timestamp.format($0.at), $0.kind.rawValue, authorText($0, by[$0.id]),
                            $0.parties,
                            (correctedBy[$0.id].map { "[corrected by \($0)] " } ?? "") + $0.notes,
                        ]
                    }
                )
            }
        }
    }
}

/// An entry's author with the person and node that entered it: `Ann (front desk)`, or
/// `Bob, by Ann (front desk)` when the author is not the person who wrote the entry.
private func authorText(_ entry: JournalEntry, _ by: WriteAuthor?) -> String {
    guard let by else { return entry.author }
    return entry.author == by.person ? Views.byText(by) : "\(entry.author), by \(Views.byText(by))"
}
