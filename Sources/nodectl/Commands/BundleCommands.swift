import ArgumentParser
import Foundation
import Model
import Node
import Replication

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Exchange changes offline: a signed file on a USB stick or in an e-mail.",
        discussion: "Example: nodectl bundle create --output /media/usb/hq.bundle --for laptop",
        subcommands: [Create.self, Apply.self]
    )

    struct Create: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every change this node holds (or only what a peer lacks), documents included, signed.",
            discussion: "Example: nodectl bundle create --output /media/usb/hq.bundle --for laptop"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Option(help: "The file to write.") var output: String
        @Option(name: .customLong("for"), help: "Only what this peer (id or name) is known to lack.") var peer: String?

        func execute() async throws {
            let home = try data.open()
            let target = try peer.map { try home.replica.peer($0) }
            let created = try OfflineBundles.create(home: home, for: target, output: URL(fileURLWithPath: output))
            for digest in created.damaged {
                Output.diagnostic(
                    "nodectl: warning: the bytes of document \(digest.prefix(12)) are damaged here; left out and set aside in blobs/damaged/"
                )
            }
            if json.enabled {
                Output.json(
                    .object([("changes", .number(Int64(created.changes))), ("bytes", .number(Int64(created.bytes)))])
                )
            } else {
                Output.line("Wrote \(created.changes) changes (\(ByteSize.text(Int64(created.bytes)))) to \(output)")
            }
        }
    }

    struct Apply: NodeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a bundle's signer and integrity, then merge it atomically.",
            discussion: "Example: nodectl bundle apply /media/usb/hq.bundle"
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var json: JSONOption
        @Argument(help: "The bundle file.") var file: String

        func execute() async throws {
            let home = try data.open()
            let applied = try OfflineBundles.apply(home: home, file: URL(fileURLWithPath: file))
            if json.enabled {
                Output.json(
                    .object([
                        ("applied", .number(Int64(applied.outcome.applied))),
                        ("conflicts", .number(Int64(applied.outcome.conflicts))),
                        ("held", .number(Int64(applied.outcome.held))),
                        ("duplicates", .number(Int64(applied.outcome.duplicates))),
                        ("signer", .string(applied.signer.description)),
                    ])
                )
            } else {
                Output.line(
                    "Applied \(applied.outcome.applied) changes from \(applied.signer.short) (\(applied.outcome.duplicates) already held, \(applied.outcome.conflicts) new conflicts)"
                        + (applied.outcome.held > 0
                            ? "; \(applied.outcome.held) kept without applying them (nodectl held list)" : "")
                )
            }
        }
    }
}
