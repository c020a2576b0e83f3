import ArgumentParser
import Foundation
import Node
import Replication

/// The entry point: runs the command, and keeps the contract's exit statuses — 0 done, 1
/// refused or failed, 2 usage error (ArgumentParser's own would be 64).
@main
enum Main {
    static func main() async {
        do {
            var command = try NodeCtl.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            try flushStandardOutput()
        } catch {
            if NodeCtl.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((NodeCtl.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            NodeCtl.exit(withError: error)
        }
    }
}

/// Output that cannot be written — stdout on a full disk — fails the command in one line
/// ("cannot write the output: the disk is full") rather than exiting 0 with half of it.
private func flushStandardOutput() throws {
    // nil: every output stream (stdout is the one with buffered output).
    guard fflush(nil) != 0 else { return }
    let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    FileHandle.standardError.write(
        Data("nodectl: error: cannot write the output: \(FileProblem.reason(error, .write, path: nil))\n".utf8)
    )
    throw ExitCode(1)
}

/// `nodectl`: runs and administers a Nextsoft node. The contract is
/// ../shared/contract/nodectl.md; this type only lists the commands.
struct NodeCtl: AsyncParsableCommand {
    static let version = FolderSchema.currentRelease

    static let configuration = CommandConfiguration(
        commandName: "nodectl",
        abstract: "Run and administer a Nextsoft node: the customer-folder replica that syncs with its peers.",
        discussion: """
            Long text: every option that takes notes, a reason, a title or a value also reads it from \
            standard input when given '-', and from a file with its -file form (--notes-file FILE); in \
            FIELD=VALUE edits, FIELD=- and FIELD-file=FILE.

            Example: nodectl customer list --search acme
            """,
        version: version,
        subcommands: [
            InitCommand.self, IdCommand.self, ServeCommand.self, SyncCommand.self, StatusCommand.self, PeerCommand.self,
            BundleCommand.self,
            CustomerCommand.self, CategoriesCommand.self, ContactCommand.self, JournalCommand.self,
            DocumentCommand.self,
            ItemCommand.self, QuoteCommand.self, OrderCommand.self, InvoiceCommand.self, CreditNoteCommand.self,
            PaymentCommand.self, StatementCommand.self, AgeingCommand.self, SeriesCommand.self, ExceptionsCommand.self,
            CreditCommand.self, PromiseCommand.self, ReportCommand.self,
            EquipmentCommand.self, JobCommand.self, ServiceCallCommand.self, CampaignCommand.self, TodoCommand.self,
            AssignCommand.self, UnassignCommand.self, AssignmentsCommand.self,
            ConflictsCommand.self, HeldCommand.self, EntityCommand.self, HistoryCommand.self, ChangesCommand.self,
            CheckCommand.self,
            BackupCommand.self, RestoreCommand.self,
            PopulateCommand.self, BenchCommand.self,
        ]
    )
}
