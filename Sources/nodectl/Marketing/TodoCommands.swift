import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl todo`: tasks and marketing to-dos.
struct TodoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "todo",
        abstract: "Tasks and marketing to-dos: text, due date, assignee, customer and campaign; done is a record.",
        discussion: "Example: nodectl todo list --assignee Ann --open",
        subcommands: [Add.self, Done.self, List.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a to-do.",
            discussion: """
                Example: nodectl todo add --customer 01a2379b-51d1-7000-824d-31054e8b1893 --text 'Send the winter offer' --due 2026-12-15 --assignee Ann
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Option(help: "The customer it is about (an id).") var customer: String?
        @Option(help: "The campaign it is for (an id).") var campaign: String?
        @Option(help: "What to do ('-': read standard input).") var text: String?
        @Option(name: .customLong("text-file"), help: "Read the text from this file.") var textFile: String?
        @Option(help: "Due by, YYYY-MM-DD.") var due: String?
        @Option(help: "Who does it.") var assignee: String?

        func validate() throws { try requireOption(text, textFile, "text") }

        func execute() async throws {
            var input = LongTextInput()
            let text = try input.text(text, file: textFile, option: "text") ?? ""
            try requireText(text, "--text")
            let customer = try customer.map { try parseEntityID($0, "customer") }
            let campaign = try campaign.map { try parseEntityID($0, "campaign") }
            let due = try due.map { try businessDate($0, "--due") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addTodo(text: text, due: due, assignee: assignee, customer: customer, campaign: campaign)
            }
            if json.enabled {
                let todo = try replica.todos(TodoFilter()).first { $0.id == id }!
                Output.json(MarketingViews.todo(todo, today: today()))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Done: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a to-do done (a record: two people finishing it apart is no conflict).",
            discussion: "Example: nodectl todo done 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The to-do's id.") var id: String

        func execute() async throws {
            let id = try parseEntityID(id, "to-do")
            let who = try person.resolved()
            _ = try data.open().replica.write(as: who) { try $0.completeTodo(id) }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "To-dos by due date: an assignee's, a customer's, the open or overdue ones.",
            discussion: "Example: nodectl todo list --assignee Ann --overdue"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Option(help: "Only this person's.") var assignee: String?
        @Option(help: "Only this customer's.") var customer: String?
        @Flag(help: "Only open ones due before today.") var overdue = false
        @Flag(help: "Only open ones.") var open = false

        func execute() async throws {
            let date = today()
            let filter = TodoFilter(
                assignee: assignee,
                customer: try customer.map { try parseEntityID($0, "customer") },
                openOnly: open,
                overdueOn: overdue ? date : nil
            )
            let todos = try data.open().replica.todos(filter)
            if json.enabled {
                Output.json(.array(todos.map { MarketingViews.todo($0, today: date) }))
            } else {
                MarketingViews.printTodos(todos, today: date)
            }
        }
    }
}
