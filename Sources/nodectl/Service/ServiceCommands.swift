import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// `nodectl service`: service calls — the technician's day.
struct ServiceCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Service calls: problem, schedule, crew, status, crew notes and charges.",
        discussion: "Example: nodectl service list --crew Ann --open",
        subcommands: [Add.self, Set.self, Crew.self, Note.self, Charge.self, List.self, Show.self]
    )

    struct Add: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a service call for a customer; refused while the customer is on credit hold.",
            discussion: """
                The call is numbered from this node's series (PREFIX-SC-000001) and starts scheduled.

                Example: nodectl service add 01a2379b-51d1-7000-824d-31054e8b1893 --problem 'No hot water' --scheduled 2026-12-08T09:00:00Z --crew Ann --crew Bob
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The customer's id.") var customer: String
        @Option(help: "What is wrong ('-': read standard input).") var problem: String?
        @Option(name: .customLong("problem-file"), help: "Read the problem from this file.") var problemFile: String?
        @Option(help: "The equipment it is about (an id).") var equipment: String?
        @Option(help: "The job it belongs to (an id).") var job: String?
        @Option(help: "When, ISO 8601 with zone (2026-12-08T09:00:00Z).") var scheduled: String?
        @Option(help: "A technician on the crew (repeat for more).") var crew: [String] = []

        func validate() throws { try requireOption(problem, problemFile, "problem") }

        func execute() async throws {
            let customer = try parseEntityID(customer, "customer")
            var input = LongTextInput()
            let problem = try input.text(problem, file: problemFile, option: "problem") ?? ""
            try requireText(problem, "--problem")
            let equipment = try equipment.map { try parseEntityID($0, "equipment") }
            let job = try job.map { try parseEntityID($0, "job") }
            var when: Date?
            if let text = scheduled {
                do { when = try Timestamp.parse(text) } catch { throw UsageError("--scheduled: \(error.message)") }
            }
            let who = try person.resolved()
            let replica = try data.open().replica
            let issued = try replica.write(as: who) {
                try $0.addServiceCall(
                    customer: customer,
                    problem: problem,
                    equipment: equipment,
                    job: job,
                    scheduled: when,
                    crew: crew
                )
            }
            if json.enabled {
                Output.json(ServiceViews.call(try replica.serviceCall(issued.id.description).call))
            } else {
                Output.line("\(issued.id)  \(issued.number)")
            }
        }
    }

    struct Set: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change a call: status=scheduled|dispatched|in-progress|completed|cancelled, scheduled, problem, equipment, job, completed.",
            discussion: """
                status=completed records today as the completion date unless completed=DATE is given. Two \
                statuses set on two nodes apart are a conflict, kept until settled (nodectl conflicts list). All \
                edits land together or none does.

                Example: nodectl service set HQ-SC-000001 status=in-progress
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The call (id or number).") var call: String
        @Argument(help: "FIELD=VALUE edits.") var edits: [String] = []

        func validate() throws {
            if edits.isEmpty { throw ValidationError("Missing expected argument '<edits> ...' (FIELD=VALUE)") }
        }

        func execute() async throws {
            let edits = try plainEdits(edits)
            let who = try person.resolved()
            try data.open().replica.write(as: who) { try $0.setServiceCall(call, edits: edits, today: today()) }
        }
    }

    struct Crew: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add technicians to a call's crew, or take them off.",
            discussion: """
                The crew is a set: two technicians added on two laptops at once are both on it; a removal takes \
                off only what this node had seen.

                Example: nodectl service crew HQ-SC-000001 --add Carol --remove Bob
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @Argument(help: "The call (id or number).") var call: String
        @Option(help: "A technician to add (repeat for more).") var add: [String] = []
        @Option(help: "A technician to take off (repeat for more).") var remove: [String] = []

        func validate() throws {
            if add.isEmpty, remove.isEmpty { throw ValidationError("say whom: --add PERSON or --remove PERSON") }
        }

        func execute() async throws {
            let who = try person.resolved()
            try data.open().replica.write(as: who) { try $0.changeCrew(call, add: add, remove: remove) }
        }
    }

    struct Note: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a crew note to a call: immutable, time-stamped, by the person writing.",
            discussion:
                "Example: nodectl service note HQ-SC-000001 --text 'Replaced the pump seal; pressure holds at 1.5 bar.' --as Ann"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @Argument(help: "The call (id or number).") var call: String
        @Option(help: "The note ('-': read standard input).") var text: String?
        @Option(name: .customLong("text-file"), help: "Read the note from this file.") var textFile: String?

        func validate() throws { try requireOption(text, textFile, "text") }

        func execute() async throws {
            var input = LongTextInput()
            let text = try input.text(text, file: textFile, option: "text") ?? ""
            try requireText(text, "--text")
            let who = try person.resolved()
            let id = try data.open().replica.write(as: who) { try $0.addServiceNote(call, text: text) }
            if json.enabled {
                Output.json(.object([("id", .string(id.description))]))
            } else {
                Output.line(id.description)
            }
        }
    }

    struct Charge: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Charge labour and parts on a call (lines as for invoices); immutable.",
            discussion: """
                A line is 'PART QTY [@PRICE] [-DISCOUNT%]', priced from the price list unless @PRICE is given.

                Example: nodectl service charge HQ-SC-000001 --line 'LAB 2.5' --line 'SEAL-7 1 @12.40'
                """
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var person: PersonOption
        @OptionGroup var json: JSONOption
        @OptionGroup var date: DateOption
        @Argument(help: "The call (id or number).") var call: String
        @Option(help: "A line: 'PART QTY [@PRICE] [-DISCOUNT%]' (repeat for more).") var line: [String] = []

        func validate() throws {
            if line.isEmpty { throw ValidationError("Missing expected argument '--line <line>'") }
        }

        func execute() async throws {
            let requests = try lineRequests(line)
            let when = try date.resolved()
            let who = try person.resolved()
            let replica = try data.open().replica
            let id = try replica.write(as: who) { try $0.addServiceCharge(call, lines: requests, date: when) }
            if json.enabled {
                let detail = try replica.serviceCall(call)
                guard let charge = detail.charges.first(where: { $0.id == id }) else { return }
                Output.json(
                    .object([
                        ("id", .string(id.description)), ("subtotal", .string(charge.subtotal.description)),
                        ("tax", .string(charge.tax.description)), ("total", .string(charge.total.description)),
                    ])
                )
            } else {
                Output.line(id.description)
            }
        }
    }

    struct List: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Service calls by scheduled time: a customer's, a technician's, the open ones.",
            discussion: "Example: nodectl service list --crew Ann --open"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Option(help: "Only this customer's calls.") var customer: String?
        @Option(help: "Only calls with this technician on the crew.") var crew: String?
        @Flag(help: "Only calls neither completed nor cancelled.") var open = false

        func execute() async throws {
            let filter = ServiceCallFilter(
                customer: try customer.map { try parseEntityID($0, "customer") },
                crew: crew,
                openOnly: open
            )
            let calls = try data.open().replica.serviceCalls(filter)
            if json.enabled {
                Output.json(.array(calls.map(ServiceViews.call)))
            } else {
                ServiceViews.printCalls(calls)
            }
        }
    }

    struct Show: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "A call with its crew notes and charges.",
            discussion: "Example: nodectl service show HQ-SC-000001"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The call (id or number).") var call: String

        func execute() async throws {
            let detail = try data.open().replica.serviceCall(call)
            if json.enabled {
                Output.json(ServiceViews.detail(detail))
            } else {
                ServiceViews.printDetail(detail)
            }
        }
    }
}
