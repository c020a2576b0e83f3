import ArgumentParser
import Foundation
import Node
import Replication

struct HeldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "held",
        abstract: "Changes this node keeps but does not apply: from a newer release, or refused by a rule.",
        discussion: "Example: nodectl held list",
        subcommands: [List.self, Accept.self, Drop.self]
    )

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Held changes no office has decided on.",
            discussion: "Example: nodectl held list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let held = try data.open().replica.heldChanges()
            if json.enabled {
                Output.json(.array(held.map(Views.held)))
            } else if held.isEmpty {
                Output.line("No held changes.")
            } else {
                Output.table(
                    ["ID", "REASON", "ORIGIN", "ENTITY", "FIELD", "AT", "DETAIL"],
                    whole: [0],
                    held.map {
                        [
                            $0.id, $0.reason.rawValue, "\($0.origin.short)#\($0.seq.map(String.init) ?? "?")",
                            "\($0.entity) \($0.entityID)", $0.field.isEmpty ? "-" : $0.field, $0.at, $0.detail,
                        ]
                    }
                )
            }
        }
    }

    struct Accept: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply held changes as they are; the decision replicates.",
            discussion: """
                Only changes held for a broken rule or a missing predecessor can be accepted. \
                --reason - reads the reason from standard input, --reason-file FILE from a file.

                Example: nodectl held accept 7d41c2 --reason "checked with the customer"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Option(help: "Why (recorded with the decision; '-': read standard input).") var reason: String?
        @Option(name: .customLong("reason-file"), help: "Read the reason from this file.") var reasonFile: String?
        @Argument(help: "Held change ids (from 'held list').") var ids: [String]

        func execute() async throws {
            let who = try person.resolved()
            guard !ids.isEmpty else { throw UsageError("name at least one held change id") }
            var input = LongTextInput()
            let reason = try input.text(reason, file: reasonFile, option: "reason") ?? ""
            let home = try data.open()
            try home.replica.acceptHeld(ids, reason: reason, by: try who ?? home.replica.name())
        }
    }

    struct Drop: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Never apply held changes; they leave 'held list' on every node the decision reaches.",
            discussion: """
                --reason - reads the reason from standard input, --reason-file FILE from a file.

                Example: nodectl held drop 7d41c2 --reason "typed by mistake"
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Option(help: "Why (required; recorded with the decision; '-': read standard input).") var reason: String?
        @Option(name: .customLong("reason-file"), help: "Read the reason from this file.") var reasonFile: String?
        @Argument(help: "Held change ids (from 'held list').") var ids: [String]

        func validate() throws { try requireOption(reason, reasonFile, "reason") }

        func execute() async throws {
            let who = try person.resolved()
            guard !ids.isEmpty else { throw UsageError("name at least one held change id") }
            var input = LongTextInput()
            let reason = try input.text(reason, file: reasonFile, option: "reason") ?? ""
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw UsageError("--reason must say why")
            }
            let home = try data.open()
            try home.replica.dropHeld(ids, reason: reason, by: try who ?? home.replica.name())
        }
    }
}
