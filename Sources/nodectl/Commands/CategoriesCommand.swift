import ArgumentParser
import Replication

/// `nodectl categories`: every category in use, with how many customers are in it.
struct CategoriesCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories",
        abstract: "Every category in use, with how many customers are in it.",
        discussion: """
            Spellings that differ only in case (VIP, vip) are one category, shown by its most common \
            spelling, as 'customer list --category' matches them. Archived customers are counted only \
            with --archived (only them) or --all.

            Example: nodectl categories --json
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Flag(help: "Count only archived customers.") var archived = false
    @Flag(help: "Count archived customers too.") var all = false

    func execute() async throws {
        guard !(archived && all) else { throw UsageError("--archived and --all exclude each other") }
        let home = try data.open()
        let categories = try home.replica.categories(archive: archived ? .archived : all ? .all : .current)
        if json.enabled {
            Output.json(
                .array(
                    categories.map {
                        .object([("category", .string($0.category)), ("customers", .number(Int64($0.customers)))])
                    }
                )
            )
        } else {
            Output.table(
                ["CATEGORY", "CUSTOMERS", "ALSO SPELLED"],
                categories.map {
                    [$0.category, String($0.customers), $0.spellings.dropFirst().joined(separator: ", ")]
                }
            )
        }
    }
}
