import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct DocumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Letters, quotes and spreadsheets filed in a folder.",
        subcommands: [Add.self, List.self, Get.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "File a document in a customer's folder.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String
        @Argument(help: "The file.") var file: String
        @Option(help: "A title (default: the file's name).") var title: String?

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let home = try data.open()
            let document = try home.addDocument(customer: customer, file: URL(fileURLWithPath: file), title: title)
            if json.enabled {
                Output.json(Views.document(document, present: true))
            } else {
                Output.line(document.id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's documents.")
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customerID: String

        func execute() async throws {
            let customer = try parseEntityID(customerID, "customer")
            let home = try data.open()
            let documents = try home.replica.documents(customer: customer)
            if json.enabled {
                Output.json(.array(documents.map { Views.document($0, present: home.blobs.contains($0.digest)) }))
            } else {
                Output.table(
                    ["ID", "TITLE", "FILE", "SIZE", "PRESENT"],
                    documents.map {
                        [
                            $0.id.description, $0.title, $0.fileName, String($0.size),
                            home.blobs.contains($0.digest) ? "yes" : "no",
                        ]
                    }
                )
            }
        }
    }

    struct Get: NodeCommand {
        static let configuration = CommandConfiguration(abstract: "Write a document's bytes to a file.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The document's id.") var documentID: String
        @Option(help: "The file to write.") var output: String

        func execute() async throws {
            let id = try parseEntityID(documentID, "document")
            try data.open().exportDocument(id, to: URL(fileURLWithPath: output))
        }
    }
}
