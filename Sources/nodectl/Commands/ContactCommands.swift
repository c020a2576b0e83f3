import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Add and edit a customer's contacts.",
        discussion: "Example: nodectl contact add 01a2379b-51d1-7000-824d-31054e8b1893 --name \"John Smith\"",
        subcommands: [Add.self, Set.self, Remove.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A new contact of a customer.",
            discussion: """
                --notes - reads the notes from standard input, --notes-file FILE from a file (the same \
                for --address); up to 256 KB. The name is stored without surrounding spaces.

                Example: nodectl contact add 01a2379b-51d1-7000-824d-31054e8b1893 --name "John Smith" --title "VP of sales" --phone "mobile: 555 123 4567"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Option(help: "The contact's name.") var name: String
        @Option(help: "Job title.") var title: String?
        @Option(help: "Salutation (Mr., Dr., ...).") var salutation: String?
        @Option(name: .customLong("phone"), help: "A phone number, optionally 'label: number' (repeatable).")
        var phones: [String] = []
        @Option(name: .customLong("email"), help: "An e-mail address, optionally 'label: address' (repeatable).")
        var emails: [String] = []
        @Option(help: "Free-form address; lines separated by newlines ('-': read standard input).")
        var address: String?
        @Option(name: .customLong("address-file"), help: "Read the address from this file.") var addressFile: String?
        @Option(help: "Notes ('-': read standard input).") var notes: String?
        @Option(name: .customLong("notes-file"), help: "Read the notes from this file.") var notesFile: String?

        func execute() async throws {
            let who = try person.resolved()
            let customer = try parseEntityID(customerID, "customer")
            var input = LongTextInput()
            let notes = try input.text(notes, file: notesFile, option: "notes")
            let address = try input.text(address, file: addressFile, option: "address")
            if let notes { try requireText(notes, "--notes", hint: "leave it out for no notes") }
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            let home = try data.open()
            var fields: [String: String] = [:]
            fields["title"] = title
            fields["salutation"] = salutation
            fields["address"] = address
            fields["notes"] = notes
            let id = try home.replica.write(as: who) {
                try $0.createContact(customer: customer, name: name, fields: fields, phones: phones, emails: emails)
            }
            if json.enabled {
                Output.json(
                    Views.attaching(
                        by: try home.replica.creators(of: [id])[id],
                        to: Views.contact(try home.replica.contact(id), country: try home.replica.defaultCountry())
                    )
                )
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a contact: FIELD=VALUE (empty clears), phones+=P / phones-=P, emails+=E / emails-=E.",
            discussion: """
                Fields: name, title, salutation, address, notes, customer, phones, emails. FIELD=- reads \
                the value from standard input, FIELD-file=FILE from a file (up to 256 KB); a name is \
                stored without surrounding spaces.

                Example: nodectl contact set 01a2379c-0b4e-7000-824d-31054e8b1893 title="Head of sales" phones+="work: 555 0100"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The contact's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String]

        func execute() async throws {
            let who = try person.resolved()
            let entity = try parseEntityID(id, "contact")
            let parsed = try FieldEdit.parse(edits)
            guard !parsed.isEmpty else { throw UsageError("name at least one FIELD=VALUE to set") }
            let home = try data.open()
            try home.replica.write(as: who) { writer in
                for edit in parsed { try edit.apply(to: .contact, entity, &writer) }
            }
        }
    }
}
