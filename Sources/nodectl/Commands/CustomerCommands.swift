import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Add, list, show and edit customers.",
        subcommands: [Add.self, List.self, Show.self, Set.self, Archive.self, Unarchive.self, Export.self, Import.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "A new customer.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's name.") var name: String
        @Option(name: .customLong("category"), help: "A category (repeatable).") var categories: [String] = []
        @Option(help: "Free-form notes.") var notes: String?
        @Option(help: "The main phone number.") var phone: String?
        @Option(help: "The main e-mail address.") var email: String?
        @Option(help: "The address; lines separated by newlines.") var address: String?
        @Option(help: "The web site.") var website: String?

        func execute() async throws {
            let home = try data.open()
            var fields: [String: String] = [:]
            fields["notes"] = notes
            fields["phone"] = phone
            fields["email"] = email
            fields["address"] = address
            fields["website"] = website
            let id = try home.replica.write {
                try $0.createCustomer(name: name, categories: categories, fields: fields)
            }
            let customer = try home.replica.folder(id).customer
            if json.enabled {
                Output.json(Views.customer(customer, country: try home.replica.defaultCountry()))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers, by name.",
            discussion: """
                --search matches customer and contact names, e-mails, addresses and notes by the \
                beginnings of their words, ignoring case and accents in any script, and phone numbers \
                (the customer's and its contacts') by their digits in any format. Every word given \
                must match.

                Example: nodectl customer list --search "555 123" --category retail --category VIP
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Option(
            name: .customLong("category"),
            help: "Only customers in this category, case ignored (repeatable: in any of them)."
        ) var categories: [String] = []
        @Option(help: "Only customers whose folder matches this text (words, or a phone number's digits).")
        var search: String?
        @Flag(help: "Only archived customers.") var archived = false
        @Flag(help: "Archived customers too.") var all = false

        func execute() async throws {
            guard !(archived && all) else { throw UsageError("--archived and --all exclude each other") }
            let home = try data.open()
            let country = try home.replica.defaultCountry()
            let customers = try home.replica.customers(
                categories: categories,
                search: search,
                archive: archived ? .archived : all ? .all : .current
            )
            if json.enabled {
                Output.json(.array(customers.map { Views.customer($0, country: country) }))
            } else {
                Output.table(
                    ["ID", "NAME", "CATEGORIES", "PHONE"],
                    customers.map {
                        [
                            $0.id.description, $0.name, $0.categories.joined(separator: ", "),
                            $0.phone.isEmpty
                                ? ""
                                : PhoneNumber(parsing: $0.phone, defaultCountry: country).formatted(
                                    homeCountry: country
                                ),
                        ]
                    }
                )
            }
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "The whole folder: every tab.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var id: String

        func execute() async throws {
            let home = try data.open()
            let folder = try home.replica.folder(try parseEntityID(id, "customer"))
            let country = try home.replica.defaultCountry()
            if json.enabled {
                guard case .object(var members) = Views.customer(folder.customer, country: country) else { return }
                members += [
                    ("contacts", .array(folder.contacts.map { Views.contact($0, country: country) })),
                    ("journal", .array(folder.journal.map(Views.journal))),
                    (
                        "documents",
                        .array(folder.documents.map { Views.document($0, present: home.blobs.contains($0.digest)) })
                    ),
                    ("conflicts", .array(folder.conflictedFields.map(JSONValue.string))),
                ]
                Output.json(.object(members))
                return
            }
            FolderPrinter(folder: folder, country: country, blobs: home.blobs).print()
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit fields: FIELD=VALUE (empty clears), or categories+=C / categories-=C.",
            discussion:
                "Fields: name, notes, phone, email, address, website, categories. All edits land together or none does."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The customer's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String]

        func execute() async throws {
            let entity = try parseEntityID(id, "customer")
            let parsed = try edits.map(FieldEdit.init(parsing:))
            guard !parsed.isEmpty else { throw UsageError("name at least one FIELD=VALUE to set") }
            let home = try data.open()
            try home.replica.write { writer in
                for edit in parsed { try edit.apply(to: .customer, entity, &writer) }
            }
        }
    }
}

/// One `FIELD=VALUE`, `FIELD+=ELEMENT` or `FIELD-=ELEMENT` argument.
struct FieldEdit {
    enum Kind { case set, add, remove }
    let field: String
    let kind: Kind
    let value: String

    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw UsageError("'\(text)' is not FIELD=VALUE")
        }
        var field = String(text[..<equals])
        value = String(text[text.index(after: equals)...])
        if field.hasSuffix("+") {
            kind = .add
            field.removeLast()
        } else if field.hasSuffix("-") {
            kind = .remove
            field.removeLast()
        } else {
            kind = .set
        }
        self.field = field.trimmingCharacters(in: .whitespaces)
        guard !self.field.isEmpty else { throw UsageError("'\(text)' names no field") }
    }

    func apply(to kind: EntityKind, _ id: EntityID, _ writer: inout LocalWriter) throws {
        switch self.kind {
        case .set:
            if writer.schema.declaration(of: kind)?.set(field) != nil {
                throw UsageError("\(field) is a set: use \(field)+=VALUE or \(field)-=VALUE")
            }
            try writer.set(kind, id, field: field, to: value.isEmpty ? nil : value)
        case .add: try writer.add(kind, id, field: field, element: value)
        case .remove: try writer.remove(kind, id, field: field, element: value)
        }
    }
}
