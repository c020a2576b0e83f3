import ArgumentParser

/// `nodectl`: runs and administers a Nextsoft node. The contract is
/// ../shared/contract/nodectl.md; this type only lists the commands.
@main
struct NodeCtl: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nodectl",
        abstract: "Run and administer a Nextsoft node: the customer-folder replica that syncs with its peers.",
        version: version,
        subcommands: [
            InitCommand.self, IdCommand.self, StatusCommand.self, PeerCommand.self, BundleCommand.self,
            CustomerCommand.self, ContactCommand.self, JournalCommand.self, DocumentCommand.self,
            ConflictsCommand.self, HistoryCommand.self,
        ]
    )
}
