import ArgumentParser
import Foundation
import Node
import Replication

extension ContactCommand {
    struct Remove: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a contact out of its customer's folder (a write that replicates).",
            discussion: """
                The contact's writes stay in its history (nodectl history ID). An edit another node \
                made to the contact without having seen the removal makes it a conflict on the \
                field 'removed': the contact stays in the folder, marked, until the conflict is \
                settled (nodectl conflicts resolve). 'nodectl contact set ID removed=' brings a \
                removed contact back.

                Example: nodectl contact remove 01a2379c-0b4e-7000-824d-31054e8b1893
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The contact's id.") var id: String

        func execute() async throws {
            let who = try person.resolved()
            let entity = try parseEntityID(id, "contact")
            try data.open().replica.write(as: who) { try $0.removeEntity(.contact, entity) }
        }
    }
}
