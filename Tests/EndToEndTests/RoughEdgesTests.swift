import Foundation
import Model
import TestSupport
import Testing

/// The rough edges a new user found in the journal and history (issue 10, item 8): each
/// mistake refused with one line that names it, exit status 1, nothing written.
@Suite("Rough edges: journal times, corrections, history fields", .offThePool)
struct RoughEdgesTests {
    @Test func mistakesInTheJournalAndHistoryAreRefusedInOneLineAndWriteNothing() throws {
        let folder = try TemporaryFolder()
        let node = try TestNode("hq", in: folder)
        let acme = try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let other = try NodeCtl.ok(["customer", "add", "Other Ltd"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let entry = try NodeCtl.ok(["journal", "add", acme, "--kind", "call", "--notes", "first"], data: node.data)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        func entries(_ customer: String) throws -> Int {
            (try NodeCtl.json(["journal", "list", customer], data: node.data) as? [Any])?.count ?? -1
        }

        // A time without a zone, and one more than a day ahead.
        let noZone = try NodeCtl.run(
            ["journal", "add", acme, "--kind", "call", "--notes", "x", "--at", "2026-11-29T14:05:00"],
            data: node.data
        )
        #expect(noZone.status == 1 && noZone.stderr.contains("with a zone"), "\(noZone.stderr)")
        let nextYear = Timestamp.format(Date().addingTimeInterval(366 * 86_400))
        let ahead = try NodeCtl.run(
            ["journal", "add", acme, "--kind", "call", "--notes", "x", "--at", nextYear],
            data: node.data
        )
        #expect(ahead.status == 1 && ahead.stderr.contains("more than a day ahead"), "\(ahead.stderr)")
        // Tomorrow morning is fine (a meeting written down the evening before).
        let tomorrow = Timestamp.format(Date().addingTimeInterval(20 * 3_600))
        try NodeCtl.ok(
            ["journal", "add", acme, "--kind", "meeting", "--notes", "x", "--at", tomorrow],
            data: node.data
        )

        // A correction of another customer's entry.
        let elsewhere = try NodeCtl.run(
            ["journal", "add", other, "--kind", "note", "--notes", "fix", "--corrects", entry],
            data: node.data
        )
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("same folder"), "\(elsewhere.stderr)")
        try NodeCtl.ok(
            ["journal", "add", acme, "--kind", "note", "--notes", "fix", "--corrects", entry],
            data: node.data
        )
        #expect(try entries(acme) == 3)
        #expect(try entries(other) == 0)

        // History of a field the kind does not have.
        let history = try NodeCtl.run(["history", acme, "nosuchfield"], data: node.data)
        #expect(history.status == 1 && history.stderr.contains("no field 'nosuchfield'"), "\(history.stderr)")
        #expect(history.stderr.split(separator: "\n").count == 1, "\(history.stderr)")
        let known = try NodeCtl.run(["history", acme, "name"], data: node.data)
        #expect(known.status == 0 && known.stdout.contains("Acme Ltd"), "\(known.stdout)")
        let record = try NodeCtl.run(["history", entry, "notes"], data: node.data)
        #expect(record.status == 1 && record.stderr.contains("it is a record"), "\(record.stderr)")
    }
}
