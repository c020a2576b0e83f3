import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// The options every command takes.
struct DataOptions: ParsableArguments {
    @Option(
        name: .customLong("data"),
        help: "The node's folder (default: $NEXTSOFT_DATA, else $XDG_DATA_HOME/nextsoft, else ~/.local/share/nextsoft)."
    )
    var directory: String?

    var url: URL { DataDirectory.resolve(explicit: directory) }

    func open() throws -> NodeHome { try NodeHome.open(at: url) }
}

struct JSONOption: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print exactly one JSON document on stdout.")
    var enabled = false
}

/// A command whose failures print one line on stderr and exit with status 1.
protocol NodeCommand: AsyncParsableCommand {
    func execute() async throws
}

extension NodeCommand {
    mutating func run() async throws {
        do {
            try await execute()
        } catch let error as CleanExit {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            Output.diagnostic("nodectl: error: " + describe(error))
            throw ExitCode(1)
        }
    }
}

/// One line naming the problem.
func describe(_ error: any Error) -> String {
    let text: String
    switch error {
    case let error as ReplicationError: text = error.message
    case let error as ModelError: text = error.message
    case let error as NodeError: text = error.message
    case let error as IdentityError: text = error.message
    case let error as BundleError: text = error.summary
    case let error as CodecError: text = "the bundle is refused: " + error.message
    case let error as BlobError: text = error.message
    case let error as UsageError: text = error.message
    case let error as ExchangeError: text = error.message
    case let error as NetworkError: text = error.message
    case let error where FileProblem.isDiskFull(error): text = FileProblem.diskFullWords
    default: text = String(describing: error)
    }
    return text.replacingOccurrences(of: "\n", with: " ")
}

/// Bad input that ArgumentParser could not see (a malformed id, a `FIELD=VALUE` without `=`).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

func parseEntityID(_ text: String, _ what: String) throws -> EntityID {
    guard let id = EntityID(text.trimmingCharacters(in: .whitespaces)) else {
        throw UsageError("'\(text)' is not a \(what) id")
    }
    return id
}

func parseNodeID(_ text: String) throws -> NodeID {
    guard let id = NodeID(text) else {
        throw UsageError("'\(text)' is not a node id (mistyped? node ids carry check characters)")
    }
    return id
}

/// The role named on the command line; a usage error for anything but `office` or `laptop`.
func parseRole(_ text: String) throws -> NodeRole {
    guard let role = NodeRole(rawValue: text.lowercased()) else {
        throw UsageError("'\(text)' is not a role: office or laptop")
    }
    return role
}

/// `--as PERSON`: who is writing. Every writing command takes it.
struct PersonOption: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: "Who is writing (default: $NEXTSOFT_USER, else this node's name); recorded with the write."
    )
    var person: String?

    /// The person named by `--as`, else by `$NEXTSOFT_USER` (when set and not empty), checked
    /// (``PersonName``); `nil` when neither names one: the node's name stands for the person.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let source: String
        let given: String
        if let person {
            (source, given) = ("--as", person)
        } else if let user = environment["NEXTSOFT_USER"], !user.isEmpty {
            (source, given) = ("$NEXTSOFT_USER", user)
        } else {
            return nil
        }
        do {
            return try PersonName.validated(given)
        } catch let error as ReplicationError {
            throw UsageError(
                "\(source) names no person: \(error.message.replacingOccurrences(of: "the person's name ", with: "the name "))"
            )
        }
    }

    /// The person, or this node's name when none is named: who a record says wrote it.
    func name(_ home: NodeHome) throws -> String {
        try resolved() ?? PersonName.standingFor(node: home.replica.name())
    }
}
