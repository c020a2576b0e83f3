import ArgumentParser
import Foundation
import Node
import Replication

extension CustomerCommand {
    struct Archive: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hide a customer from lists; the folder stays whole (an edit that replicates).",
            discussion: "Example: nodectl customer archive 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The customer's id.") var id: String

        func execute() async throws {
            let entity = try parseEntityID(id, "customer")
            let who = try person.resolved()
            try data.open().replica.write(as: who) { try $0.set(.customer, entity, field: "archived", to: "true") }
        }
    }

    struct Unarchive: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an archived customer in lists again.",
            discussion: "Example: nodectl customer unarchive 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The customer's id.") var id: String

        func execute() async throws {
            let entity = try parseEntityID(id, "customer")
            let who = try person.resolved()
            try data.open().replica.write(as: who) { try $0.set(.customer, entity, field: "archived", to: nil) }
        }
    }
}
