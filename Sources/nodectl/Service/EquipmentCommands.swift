import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl equipment`: machines installed at customers, and their service history.
struct EquipmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equipment",
        abstract: "Equipment installed at customers: model, serial, dates, site, and its service history.",
        discussion: "Example: nodectl equipment list 01a2379b-51d1-7000-824d-31054e8b1893",
        subcommands: [Add.self, List.self, Show.self, Set.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a machine installed at a customer.",
            discussion: """
                A serial number this node holds already for the same model is taken all the same (two offices \
                may enter one machine apart) and shown as a likely duplicate.

                Example: nodectl equipment add 01a2379b-51d1-7000-824d-31054e8b1893 --model 'Boiler X200' --serial SN-4471 --installed 2025-03-01 --warranty-until 2027-03-01 --site '12 High St, Leeds LS1 4AP, United Kingdom'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "The model.") var model: String
        @Option(help: "The serial number.") var serial: String
        @Option(help: "Installed on, YYYY-MM-DD.") var installed: String?
        @Option(name: .customLong("warranty-until"), help: "Under warranty until, YYYY-MM-DD.") var warrantyUntil:
            String?
        @Option(help: "Where it is: a free-form address.") var site: String?
        @Option(help: "Notes.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let installed = try installed.map { try businessDate($0, "--installed") }
            let warranty = try warrantyUntil.map { try businessDate($0, "--warranty-until") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addEquipment(
                    customer: customer,
                    model: model,
                    serial: serial,
                    installed: installed,
                    warrantyUntil: warranty,
                    site: site,
                    notes: notes
                )
            }
            let added = try replica.equipmentHistory(id).equipment
            if let twin = added.likelyDuplicates.first {
                Output.diagnostic(
                    "note: \(added.model) serial \(added.serial) is recorded already (equipment \(twin)): likely one machine entered twice"
                )
            }
            if json.enabled {
                Output.json(ServiceViews.equipment(added))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every machine, or one customer's.",
            discussion: "Example: nodectl equipment list 01a2379b-51d1-7000-824d-31054e8b1893 --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "A customer's id.") var customer: String?

        func execute() async throws {
            let customer = try customer.map { try parseEntityID($0, "customer") }
            let equipment = try data.open().replica.equipment(customer: customer)
            if json.enabled {
                Output.json(.array(equipment.map(ServiceViews.equipment)))
            } else {
                ServiceViews.printEquipment(equipment)
            }
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A machine's story: where it is, its warranty, every service call on it with notes and charges.",
            discussion: "Example: nodectl equipment show 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The equipment's id.") var id: String

        func execute() async throws {
            let id = try parseEntityID(id, "equipment")
            let home = try data.open()
            let history = try home.replica.equipmentHistory(id)
            let item = history.equipment
            if json.enabled {
                guard case .object(var members) = ServiceViews.equipment(item) else { return }
                members.append(("calls", .array(history.calls.map(ServiceViews.detail))))
                Output.json(.object(members))
                return
            }
            Output.line("\(item.model)  serial \(item.serial)  [\(item.id)]")
            Output.line("Customer: \(item.customerName)  [\(item.customerID)]")
            if let installed = item.installed { Output.line("Installed: \(installed)") }
            if let warranty = item.warrantyUntil {
                Output.line("Warranty until: \(warranty)\(warranty < today().description ? " (expired)" : "")")
            }
            if let site = item.site {
                Output.line("Site:")
                for line in Address(parsing: site, defaultCountry: try home.replica.defaultCountry()).formattedLines {
                    Output.line("  \(line)")
                }
            }
            if let notes = item.notes {
                Output.line("Notes:")
                Output.wrapped(notes, indent: "  ")
            }
            for twin in item.likelyDuplicates {
                Output.line("Likely the same machine as equipment \(twin) (same model and serial)")
            }
            Output.line("")
            Output.line("Service history (\(history.calls.count))")
            for call in history.calls {
                ServiceViews.printDetail(call, indent: "  ")
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a machine: FIELD=VALUE (model, serial, installed, warranty-until, site, notes).",
            discussion: """
                An empty value clears an optional field. All edits land together or none does.

                Example: nodectl equipment set 01a2379b-51d1-7000-824d-31054e8b1893 warranty-until=2028-03-01
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The equipment's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String] = []

        func validate() throws {
            if edits.isEmpty { throw ValidationError("Missing expected argument '<edits> ...' (FIELD=VALUE)") }
        }

        func execute() async throws {
            let id = try parseEntityID(id, "equipment")
            let edits = try plainEdits(edits)
            let who = try person.resolved()
            try data.open().replica.write(as: who) { writer in
                for (field, value) in edits { try writer.setEquipment(id, field: field, to: value) }
            }
        }
    }
}

/// `FIELD=VALUE` edits of a kind without sets (`FIELD=-` reads standard input, `FIELD-file=FILE`
/// a file), in order.
func plainEdits(_ texts: [String]) throws -> [(String, String)] {
    try FieldEdit.parse(texts).map { edit in
        guard edit.kind == .set else { throw UsageError("\(edit.field) is not a set: write \(edit.field)=VALUE") }
        return (edit.field, edit.value)
    }
}
