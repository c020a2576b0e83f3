import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Inspect and settle concurrent edits of one field.",
        discussion: "Example: nodectl conflicts list",
        subcommands: [List.self, Show.self, Resolve.self]
    )

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open conflicts.",
            discussion: "Example: nodectl conflicts list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption

        func execute() async throws {
            let conflicts = try data.open().replica.conflicts()
            if json.enabled {
                Output.json(.array(conflicts.map(Views.conflict)))
            } else if conflicts.isEmpty {
                Output.line("No open conflicts.")
            } else {
                Output.table(
                    ["ID", "ENTITY", "FIELD", "CURRENT", "CANDIDATES"],
                    whole: [0, 1],
                    conflicts.map {
                        [
                            $0.id, "\($0.entity.name) \($0.entityID)", $0.field, $0.current ?? "(empty)",
                            String($0.candidates.count),
                        ]
                    }
                )
            }
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One conflict, with the history of that field.",
            discussion: "Example: nodectl conflicts show 3f2a9c1e"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The conflict's id.") var id: String

        func execute() async throws {
            let replica = try data.open().replica
            let conflict = try replica.conflict(id)
            let history = try replica.history(of: conflict.entityID, field: conflict.field)
            if json.enabled {
                guard case .object(var members) = Views.conflict(conflict) else { return }
                members.append(("history", .array(history.map(Views.history))))
                Output.json(.object(members))
                return
            }
            Output.line(
                "Conflict \(conflict.id): \(conflict.entity.name) \(conflict.entityID), field \(conflict.field)"
            )
            Output.line("Current:")
            Output.wrapped(conflict.current ?? "(empty)", indent: "  ")
            Output.table(
                ["#", "VALUE", "ORIGIN", "AT"],
                conflict.candidates.enumerated().map {
                    [
                        String($0.offset), $0.element.value ?? "(empty)", $0.element.origin.short,
                        Timestamp.format($0.element.time.date),
                    ]
                }
            )
            Output.line("History:")
            for entry in history {
                let head = "  \(Timestamp.format(entry.time.date))  \(entry.origin.short)  "
                let value = TerminalText.oneLine(entry.value ?? "(empty)")
                Output.line(head + TerminalText.truncated(value, toWidth: Terminal.width - DisplayWidth.of(head)))
            }
        }
    }

    struct Resolve: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a conflict: keep candidate N, or write a new value. Replicates like any write.",
            discussion: """
                --value - reads the new value from standard input, --value-file FILE from a file (up to 256 KB).

                Example: nodectl conflicts resolve 3f2a9c1e --pick 1
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The conflict's id.") var id: String
        @Option(help: "Keep candidate N (0-based, in 'candidates' order).") var pick: Int?
        @Option(help: "Write this value instead ('-': read standard input).") var value: String?
        @Option(name: .customLong("value-file"), help: "Write the contents of this file instead.") var valueFile:
            String?

        func validate() throws {
            guard (pick == nil) != (value == nil && valueFile == nil) else {
                throw ValidationError("give exactly one of --pick N or --value VALUE")
            }
        }

        func execute() async throws {
            let who = try person.resolved()
            var input = LongTextInput()
            let value = try input.text(value, file: valueFile, option: "value")
            let replica = try data.open().replica
            try replica.resolve(conflict: id, pick: pick, value: value, as: who)
            Output.diagnostic("Settled conflict \(id)")
        }
    }
}

struct HistoryCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every known write of an entity's fields: value, origin node, who wrote it, clock.",
        discussion: "Example: nodectl history 01a2379b-51d1-7000-824d-31054e8b1893 phone"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Argument(help: "The entity's id (customer, contact, journal entry, document).") var entityID: String
    @Argument(help: "Only this field.") var field: String?

    func execute() async throws {
        let id = try parseEntityID(entityID, "customer, contact, journal entry or document")
        let history = try data.open().replica.history(of: id, field: field)
        if json.enabled {
            Output.json(.array(history.map(Views.history)))
        } else {
            Output.table(
                ["AT", "ORIGIN", "BY", "FIELD", "OP", "VALUE", "CURRENT"],
                history.map {
                    [
                        Timestamp.format($0.time.date), $0.origin.short, Views.byText($0.by),
                        $0.field.isEmpty ? "(record)" : $0.field,
                        Views.operationName($0.operation), $0.value ?? "(empty)", $0.isCurrent ? "yes" : "",
                    ]
                }
            )
        }
    }
}
