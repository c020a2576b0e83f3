import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// Any kind of the folder, by its declaration: the generic form of `customer add/set/show`.
struct EntityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entity",
        abstract: "Add, edit and show an entity of any kind the folder declares, by its fields.",
        discussion: "Example: nodectl entity show 01a2379b-51d1-7000-824d-31054e8b1893",
        subcommands: [Add.self, Set.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "New entity of KIND with FIELD=VALUE fields.",
            discussion: """
                FIELD=- reads a value from standard input, FIELD-file=FILE from a file (up to 256 KB).

                Example: nodectl entity add customer name="Acme Ltd" categories+=retail
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The kind (customer, contact, ...).") var kind: String
        @Argument(help: "FIELD=VALUE fields, or SET+=ELEMENT.") var edits: [String] = []

        func execute() async throws {
            let who = try person.resolved()
            let home = try data.open()
            guard let entityKind = home.replica.schema.kind(named: kind),
                home.replica.schema.declaration(of: entityKind) != nil
            else {
                let known = home.replica.schema.declarations.filter { !$0.isRecord }.map(\.name)
                throw UsageError("no kind '\(kind)' (kinds: \(known.joined(separator: ", ")))")
            }
            var values: [String: String] = [:]
            var elements: [String: [String]] = [:]
            for edit in try FieldEdit.parse(edits) {
                switch edit.kind {
                case .set: values[edit.field] = edit.value
                case .add: elements[edit.field, default: []].append(edit.value)
                case .remove: throw UsageError("a new \(kind) has no \(edit.field) to remove from")
                }
            }
            let id = try home.replica.write(as: who) { try $0.create(entityKind, values: values, elements: elements) }
            if json.enabled {
                Output.json(Views.entity(try home.replica.entity(id)))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit fields: FIELD=VALUE (empty clears), SET+=ELEMENT, SET-=ELEMENT; all or none.",
            discussion: """
                FIELD=- reads a value from standard input, FIELD-file=FILE from a file (up to 256 KB).

                Example: nodectl entity set 01a2379b-51d1-7000-824d-31054e8b1893 website=acme.example
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The entity's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String]

        func execute() async throws {
            let who = try person.resolved()
            let entity = try parseEntityID(id, "entity")
            let parsed = try FieldEdit.parse(edits)
            guard !parsed.isEmpty else { throw UsageError("name at least one FIELD=VALUE to set") }
            let home = try data.open()
            let kind = try home.replica.kind(of: entity)
            try home.replica.write(as: who) { writer in
                for edit in parsed { try edit.apply(to: kind, entity, &writer) }
            }
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One entity's fields, as its plain table holds them.",
            discussion: "Example: nodectl entity show 01a2379b-51d1-7000-824d-31054e8b1893 --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The entity's id.") var id: String

        func execute() async throws {
            let snapshot = try data.open().replica.entity(try parseEntityID(id, "entity"))
            if json.enabled {
                Output.json(Views.entity(snapshot))
                return
            }
            Output.line("\(snapshot.kind.name) \(snapshot.id)")
            for field in snapshot.fields {
                guard let value = field.value, value.contains(where: \.isNewline) || value.count > 60 else {
                    Output.line("  \(field.name): \(field.value ?? "")")
                    continue
                }
                Output.line("  \(field.name):")
                Output.wrapped(value, indent: "    ")
            }
            for set in snapshot.sets { Output.line("  \(set.name): \(set.elements.joined(separator: "; "))") }
        }
    }
}
