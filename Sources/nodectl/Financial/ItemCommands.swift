import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl item`: the price list, shared by every node.
struct ItemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "The price list: parts and services, shared by every node.",
        discussion: "Example: nodectl item add W-100 --description 'Water filter' --price 49.90 --tax 8.25%",
        subcommands: [Add.self, List.self, Set.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a part or service to the price list.",
            discussion: "Example: nodectl item add LAB --description 'Labour, per hour' --price 85.00 --unit h"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The part: one word, as W-100.") var part: String
        @Option(help: "What it is.") var description: String
        @Option(help: "The unit price in the node's currency, as 49.90.") var price: String
        @Option(help: "The tax rate, as 8.25% (default 0).") var tax: String?
        @Option(help: "The unit, as h or pcs.") var unit: String?

        func execute() async throws {
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addItem(part: part, description: description, price: price, tax: tax, unit: unit)
            }
            if json.enabled {
                Output.json(ItemCommand.view(try replica.items().first { $0.id == id }!))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "The price list, by part.",
            discussion: "Example: nodectl item list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let replica = try data.open().replica
            let items = try replica.items()
            if json.enabled {
                Output.json(.array(items.map(ItemCommand.view)))
            } else {
                let currency = try replica.currency()
                Output.table(
                    ["PART", "DESCRIPTION", "PRICE", "TAX", "UNIT"],
                    right: [2, 3],
                    items.map { [$0.part, $0.description, "\($0.price) \(currency)", $0.tax + "%", $0.unit ?? ""] }
                )
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an item: FIELD=VALUE (description, price, tax, unit, part).",
            discussion: """
                A price change applies to documents made after it; issued ones keep the lines they copied. \
                All edits land together or none does.

                Example: nodectl item set W-100 price=52.00
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The part.") var part: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String] = []

        func validate() throws {
            if edits.isEmpty { throw ValidationError("Missing expected argument '<edits> ...' (FIELD=VALUE)") }
        }

        func execute() async throws {
            let who = try person.resolved()
            let parsed = try edits.map { text in
                guard let equals = text.firstIndex(of: "=") else { throw UsageError("'\(text)' is not FIELD=VALUE") }
                return (
                    String(text[..<equals]).trimmingCharacters(in: .whitespaces),
                    String(text[text.index(after: equals)...])
                )
            }
            let known = ["description", "price", "tax", "unit", "part"]
            for (field, _) in parsed where !known.contains(field) {
                throw UsageError("an item has no field '\(field)' (fields: \(known.joined(separator: ", ")))")
            }
            try data.open().replica.write(as: who) { writer in
                var part = part
                for (field, value) in parsed {
                    try writer.setItem(part: part, field: field, to: value)
                    if field == "part" { part = value.trimmingCharacters(in: .whitespaces) }
                }
            }
        }
    }

    static func view(_ item: PriceListItem) -> JSONValue {
        .object([
            ("id", .string(item.id.description)), ("part", .string(item.part)),
            ("description", .string(item.description)), ("price", .string(item.price)), ("tax", .string(item.tax)),
            ("unit", .optional(item.unit)),
        ])
    }
}
