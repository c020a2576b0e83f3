import ArgumentParser
import Foundation
import Model
import Replication

/// `nodectl changes`: the change feed — what changed, in which folder, by whom, when.
struct ChangesCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "What changed, newest last: which folder, what, the value, who (person and node), when.",
        discussion: """
            Every applied write this node holds, from any node, by its clock; --since keeps those \
            made at or after a time (ISO 8601 with a zone, or a date: 2026-12-06), --customer one \
            customer's folder (the customer, its contacts, journal entries and documents), --limit N \
            the newest N. Held changes are left out ('held list'). A write relayed through a node of \
            an earlier release may not say who made it: its node's name stands for the person.

            Example: nodectl changes --since 2026-12-06T00:00:00Z --customer 01a2379b-51d1-7000-824d-31054e8b1893
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Option(help: "Only writes made at or after this time (ISO 8601 with zone).") var since: String?
    @Option(help: "Only this customer's folder.") var customer: String?
    @Option(help: "Only the newest N writes.") var limit: Int?

    func execute() async throws {
        let start = try since.map(Self.parseSince)
        let folder = try customer.map { try parseEntityID($0, "customer") }
        if let limit, limit < 0 { throw UsageError("--limit must be 0 or more, not \(limit)") }
        let entries = try data.open().replica.changeFeed(since: start, customer: folder, limit: limit)
        if json.enabled {
            Output.json(.array(entries.map(Views.feed)))
            return
        }
        Output.table(
            ["AT", "CUSTOMER", "ENTITY", "ID", "FIELD", "VALUE", "BY"],
            whole: [0],
            entries.map(Self.row)
        )
    }

    /// The time of `--since`; a usage error (exit 1) naming the option for anything else.
    static func parseSince(_ text: String) throws -> Date {
        guard let date = try? Timestamp.parse(text) else {
            throw UsageError(
                "--since: not an ISO 8601 time with a zone: '\(text)' (e.g. 2026-12-06T08:00:00Z, or a date: 2026-12-06)"
            )
        }
        return date
    }

    /// One entry as a table row; an add or a remove says so before its element.
    static func row(_ entry: FeedEntry) -> [String] {
        let plain = entry.operation == .assign || entry.operation == .record
        let operation = plain ? "" : Views.operationName(entry.operation) + " "
        return [
            Timestamp.format(entry.time.date), entry.customerID ?? "", entry.entity, entry.entityID,
            entry.field.isEmpty ? "(record)" : entry.field, operation + (entry.value ?? "(empty)"),
            Views.byText(entry.by),
        ]
    }
}
