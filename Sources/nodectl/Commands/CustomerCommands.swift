import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Add, list, show and edit customers.",
        discussion: "Example: nodectl customer list --search acme",
        subcommands: [
            Add.self, List.self, Show.self, Set.self, Archive.self, Unarchive.self, Merge.self, Export.self,
            Import.self, Hold.self, Release.self,
        ]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A new customer.",
            discussion: """
                --notes - reads the notes from standard input, --notes-file FILE from a file (the same \
                for --address); up to 256 KB.

                Example: nodectl customer add "Acme Ltd" --category retail --phone "(555) 123-4567" --notes-file intro.txt
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's name (surrounding spaces are dropped).") var name: String
        @Option(name: .customLong("category"), help: "A category (repeatable).") var categories: [String] = []
        @Option(help: "Free-form notes ('-': read standard input).") var notes: String?
        @Option(name: .customLong("notes-file"), help: "Read the notes from this file.") var notesFile: String?
        @Option(help: "The main phone number.") var phone: String?
        @Option(help: "The main e-mail address.") var email: String?
        @Option(help: "The address; lines separated by newlines ('-': read standard input).") var address: String?
        @Option(name: .customLong("address-file"), help: "Read the address from this file.") var addressFile: String?
        @Option(help: "The web site.") var website: String?

        func execute() async throws {
            let who = try person.resolved()
            var input = LongTextInput()
            let notes = try input.text(notes, file: notesFile, option: "notes")
            let address = try input.text(address, file: addressFile, option: "address")
            if let notes { try requireText(notes, "--notes", hint: "leave it out for no notes") }
            let home = try data.open()
            var fields: [String: String] = [:]
            fields["notes"] = notes
            fields["phone"] = phone
            fields["email"] = email
            fields["address"] = address
            fields["website"] = website
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            let id = try home.replica.write(as: who) {
                try $0.createCustomer(name: name, categories: categories, fields: fields)
            }
            let customer = try home.replica.folder(id).customer
            if json.enabled {
                Output.json(
                    Views.attaching(
                        by: try home.replica.creators(of: [customer.id])[customer.id],
                        to: Views.customer(customer, country: try home.replica.defaultCountry())
                    )
                )
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
                    whole: [0],
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
        static let configuration = CommandConfiguration(
            abstract: "The whole folder: every tab.",
            discussion: "Example: nodectl customer show 01a2379b-51d1-7000-824d-31054e8b1893 --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var id: String

        func execute() async throws {
            let home = try data.open()
            let folder = try home.replica.folder(try parseEntityID(id, "customer"))
            let country = try home.replica.defaultCountry()
            let financial = try home.replica.financialTab(customer: folder.customer.id, asOf: today())
            let credit = try home.replica.creditTab(customer: folder.customer.id, asOf: today())
            let service = try home.replica.serviceTab(customer: folder.customer.id)
            let marketing = try home.replica.marketingTab(customer: folder.customer.id)
            if json.enabled {
                // Who made each: the customer, its contacts, entries and documents.
                let by = try home.replica.creators(
                    of: [folder.customer.id] + folder.contacts.map(\.id) + folder.journal.map(\.id)
                        + folder.documents.map(\.id)
                )
                let customer = Views.attaching(
                    by: by[folder.customer.id],
                    to: Views.customer(folder.customer, country: country)
                )
                guard case .object(var members) = customer else { return }
                members += [
                    (
                        "contacts",
                        .array(
                            folder.contacts.map {
                                Views.attaching(by: by[$0.id], to: Views.contact($0, country: country))
                            }
                        )
                    ),
                    ("journal", .array(folder.journal.map { Views.attaching(by: by[$0.id], to: Views.journal($0)) })),
                    ("financial", FinancialViews.tab(financial)),
                    ("credit", CreditViews.tab(credit, inFolder: true)),
                    ("service", ServiceViews.tab(service)),
                    ("marketing", MarketingViews.tab(marketing, today: today())),
                    (
                        "documents",
                        .array(
                            folder.documents.map {
                                Views.attaching(
                                    by: by[$0.id],
                                    to: Views.document($0, present: home.blobs.contains($0.digest))
                                )
                            }
                        )
                    ),
                    ("conflicts", .array(folder.conflictedFields.map(JSONValue.string))),
                    ("merged", .array(folder.merged.map { .string($0.description) })),
                ]
                Output.json(.object(members))
                return
            }
            FolderPrinter(
                folder: folder,
                country: country,
                blobs: home.blobs,
                financial: financial,
                credit: credit,
                service: service,
                marketing: marketing
            )
            .print()
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit fields: FIELD=VALUE (empty clears), or categories+=C / categories-=C.",
            discussion: """
                Fields: name, notes, phone, email, address, website, terms (as '2/10 net 30'), credit-limit (as 5000.00), industry, source, size, categories. All edits land together \
                or none does. FIELD=- reads the value from standard input, FIELD-file=FILE from a file \
                (up to 256 KB); a name is stored without surrounding spaces.

                Example: nodectl customer set 01a2379b-51d1-7000-824d-31054e8b1893 notes-file=mail.txt categories+=vip
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The customer's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String]

        func execute() async throws {
            let who = try person.resolved()
            let entity = try parseEntityID(id, "customer")
            let parsed = try FieldEdit.parse(edits)
            guard !parsed.isEmpty else { throw UsageError("name at least one FIELD=VALUE to set") }
            let home = try data.open()
            try home.replica.write(as: who) { writer in
                for edit in parsed { try edit.apply(to: .customer, entity, &writer) }
            }
        }
    }
}
