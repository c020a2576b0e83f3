import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct BackupCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent snapshot of this node (replica, documents, identity) to one file; serve may run.",
        discussion: "Example: nodectl backup --output /media/usb/laptop.backup"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Option(help: "The backup file to write.") var output: String

    func execute() async throws {
        let home = try data.open()
        let written = try NodeBackup.write(home, to: URL(fileURLWithPath: output))
        if json.enabled {
            Output.json(
                .object([
                    ("changes", .number(Int64(written.changes))),
                    ("documents", .number(Int64(written.documents))),
                    ("bytes", .number(written.bytes)),
                ])
            )
        } else {
            Output.line(
                "Wrote \(written.changes) changes and \(written.documents) documents (\(ByteSize.text(written.bytes))) to \(output)"
            )
        }
    }
}

struct RestoreCommand: NodeCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Recreate a node from a backup into an empty --data folder; its peers give back what it wrote since.",
        discussion: "Example: nodectl restore /media/usb/laptop.backup --data ./laptop"
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var json: JSONOption
    @Argument(help: "The backup file.") var file: String

    func execute() async throws {
        let restored = try NodeBackup.restore(URL(fileURLWithPath: file), into: data.url)
        if json.enabled {
            Output.json(
                .object([
                    ("nodeId", .string(restored.nodeID.description)),
                    ("changes", .number(Int64(restored.changes))),
                ])
            )
        } else {
            Output.line(
                "Restored node \(restored.nodeID) with \(restored.changes) changes into \(data.url.path); sync to get back what it wrote since the backup"
            )
        }
    }
}
