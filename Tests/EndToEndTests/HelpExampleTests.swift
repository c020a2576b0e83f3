import Foundation
import TestSupport
import Testing

/// Every command's `--help` ends with an example a new user can copy.
@Suite("Examples in --help", .offThePool)
struct HelpExampleTests {
    /// The subcommands a `--help` text lists (the lines under SUBCOMMANDS:).
    static func subcommands(of help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                name.allSatisfy({ $0.isLowercase || $0 == "-" }), name != "help"
            else { return nil }
            return String(name)
        }
    }

    @Test func everyCommandHasAnExample() throws {
        var pending: [[String]] = [[], ["populate"], ["bench"]]
        var seen: [[String]] = []
        while let command = pending.popLast() {
            let result = try NodeCtl.run(command + ["--help"], data: nil)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stdout.contains("Example: nodectl"), "nodectl \(command.joined(separator: " ")) --help")
            seen.append(command)
            guard result.status == 0, command.count < 3 else { continue }
            pending += Self.subcommands(of: result.stdout).map { command + [$0] }
        }
        #expect(seen.count > 40, "\(seen)")
        #expect(seen.contains(["customer", "set"]) && seen.contains(["peer", "revoke"]))
    }
}
