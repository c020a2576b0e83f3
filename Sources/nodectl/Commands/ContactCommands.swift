import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Add and edit a customer's contacts.",
        subcommands: [Add.self, Set.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "A new contact of a customer.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Option(help: "The contact's name.") var name: String
        @Option(help: "Job title.") var title: String?
        @Option(help: "Salutation (Mr., Dr., ...).") var salutation: String?
        @Option(name: .customLong("phone"), help: "A phone number, optionally 'label: number' (repeatable).")
        var phones: [String] = []
        @Option(name: .customLong("email"), help: "An e-mail address, optionally 'label: address' (repeatable).")
        var emails: [String] = []
        @Option(help: "Free-form address; lines separated by newlines.") var address: String?
        @Option(help: "Notes.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let home = try data.open()
            var fields: [String: String] = [:]
            fields["title"] = title
            fields["salutation"] = salutation
            fields["address"] = address
            fields["notes"] = notes
            let id = try home.replica.write {
                try $0.createContact(customer: customer, name: name, fields: fields, phones: phones, emails: emails)
            }
            if json.enabled {
                Output.json(Views.contact(try home.replica.contact(id), country: try home.replica.defaultCountry()))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a contact: FIELD=VALUE (empty clears), phones+=P / phones-=P, emails+=E / emails-=E.",
            discussion: "Fields: name, title, salutation, address, notes, customer, phones, emails."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The contact's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String]

        func execute() async throws {
            let entity = try parseEntityID(id, "contact")
            let parsed = try edits.map(FieldEdit.init(parsing:))
            guard !parsed.isEmpty else { throw UsageError("name at least one FIELD=VALUE to set") }
            let home = try data.open()
            try home.replica.write { writer in
                for edit in parsed { try edit.apply(to: .contact, entity, &writer) }
            }
        }
    }
}
