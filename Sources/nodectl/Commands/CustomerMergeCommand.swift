import ArgumentParser
import Foundation
import Node
import Replication

extension CustomerCommand {
    struct Merge: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "One customer entered twice: merge the duplicate into the customer kept.",
            discussion: """
                The duplicate's contacts, journal and documents show in the kept customer's folder \
                on every node, and its id leads there ('customer show DUPLICATE_ID'), also for what \
                other nodes write to it before or after they hear of the merge. The duplicate's own \
                fields stay in its history. Merging twice is merging once; merging into a customer \
                that was itself merged merges into the one it shows as.

                Example: nodectl customer merge 01a2379b-51d1-7000-824d-31054e8b1893 01a2379b-9a0e-7000-824d-31054e8b1893
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer to keep.") var keep: String
        @Argument(help: "The duplicate, merged into it.") var duplicate: String

        func execute() async throws {
            let who = try person.resolved()
            let keepID = try parseEntityID(keep, "customer")
            let duplicateID = try parseEntityID(duplicate, "customer")
            let home = try data.open()
            let name = try person.name(home)
            let kept = try home.replica.write(as: who) {
                try $0.mergeCustomers(keep: keepID, duplicate: duplicateID, by: name).keep
            }
            let folder = try home.replica.folder(kept)
            if json.enabled {
                Output.json(
                    .object([
                        ("id", .string(kept.description)),
                        ("merged", .array(folder.merged.map { .string($0.description) })),
                    ])
                )
            } else {
                Output.line(kept.description)
            }
        }
    }
}
