import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl job`: projects for customers.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Jobs: projects for customers, optionally from a sales order, with dates and status.",
        discussion:
            "Example: nodectl job add 01a2379b-51d1-7000-824d-31054e8b1893 --title 'Boiler room refit' --start 2026-12-01",
        subcommands: [Add.self, List.self, Show.self, Set.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a job for a customer; it starts planned.",
            discussion: """
                Example: nodectl job add 01a2379b-51d1-7000-824d-31054e8b1893 --title 'Boiler room refit' --order HQ-SO-000007 --start 2026-12-01 --end 2026-12-12
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "What the job is.") var title: String
        @Option(help: "The sales order it comes from (id or number).") var order: String?
        @Option(help: "Starts on, YYYY-MM-DD.") var start: String?
        @Option(help: "Ends on, YYYY-MM-DD.") var end: String?
        @Option(help: "Notes.") var notes: String?

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            let start = try start.map { try businessDate($0, "--start") }
            let end = try end.map { try businessDate($0, "--end") }
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) {
                try $0.addJob(customer: customer, title: title, order: order, start: start, end: end, notes: notes)
            }
            if json.enabled {
                Output.json(ServiceViews.job(try replica.job(id).job))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every job, or one customer's, by start date.",
            discussion: "Example: nodectl job list --json"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "A customer's id.") var customer: String?

        func execute() async throws {
            let customer = try customer.map { try parseEntityID($0, "customer") }
            let jobs = try data.open().replica.jobs(customer: customer)
            if json.enabled {
                Output.json(.array(jobs.map(ServiceViews.job)))
                return
            }
            Output.table(
                ["ID", "CUSTOMER", "TITLE", "STATUS", "START", "END", "ORDER"],
                jobs.map {
                    [
                        $0.id.description, $0.customerName, $0.title, $0.status, $0.start ?? "", $0.end ?? "",
                        $0.orderNumber ?? "",
                    ]
                }
            )
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A job with its service calls.",
            discussion: "Example: nodectl job show 01a2379b-51d1-7000-824d-31054e8b1893"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The job's id.") var id: String

        func execute() async throws {
            let detail = try data.open().replica.job(try parseEntityID(id, "job"))
            let job = detail.job
            if json.enabled {
                guard case .object(var members) = ServiceViews.job(job) else { return }
                members.append(("calls", .array(detail.calls.map(ServiceViews.call))))
                Output.json(.object(members))
                return
            }
            Output.line("\(job.title)  [\(job.id)]")
            Output.line("Customer: \(job.customerName)  [\(job.customerID)]")
            Output.line("Status: \(job.status)")
            if let start = job.start { Output.line("Start: \(start)") }
            if let end = job.end { Output.line("End: \(end)") }
            if let order = job.orderNumber { Output.line("Order: \(order)") }
            if let notes = job.notes {
                Output.line("Notes:")
                Output.wrapped(notes, indent: "  ")
            }
            Output.line("")
            Output.line("Service calls (\(detail.calls.count))")
            ServiceViews.printCalls(detail.calls)
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a job: FIELD=VALUE (title, order, start, end, status, notes).",
            discussion: """
                status is one of planned, active, completed, cancelled; order an order of the job's customer (id \
                or number); an empty value clears an optional field. All edits land together or none does.

                Example: nodectl job set 01a2379b-51d1-7000-824d-31054e8b1893 status=active end=2026-12-19
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The job's id.") var id: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String] = []

        func validate() throws {
            if edits.isEmpty { throw ValidationError("Missing expected argument '<edits> ...' (FIELD=VALUE)") }
        }

        func execute() async throws {
            let id = try parseEntityID(id, "job")
            let edits = try plainEdits(edits)
            let who = try person.resolved()
            try data.open().replica.write(as: who) { writer in
                for (field, value) in edits { try writer.setJob(id, field: field, to: value) }
            }
        }
    }
}
