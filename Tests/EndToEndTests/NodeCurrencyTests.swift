import Foundation
import Testing

/// `init --currency CODE`: the currency a node issues documents in (ISO 4217, default USD).
@Suite("The node's currency", .offThePool)
struct NodeCurrencyTests {
    static func currency(_ data: URL) throws -> String? {
        (try NodeCtl.json(["status"], data: data) as? [String: Any])?["currency"] as? String
    }

    @Test func initTakesACurrencyAndStatusShowsIt() throws {
        let folder = try TemporaryFolder()
        try NodeCtl.ok(["init", "--name", "hq", "--currency", "eur"], data: folder.path("hq"))
        #expect(try Self.currency(folder.path("hq")) == "EUR")
        try NodeCtl.ok(["init", "--name", "branch"], data: folder.path("branch"))
        #expect(try Self.currency(folder.path("branch")) == "USD")
        #expect(try NodeCtl.ok(["status"], data: folder.path("hq")).contains("EUR"))
    }

    @Test(arguments: ["EURO", "E1", "", "€"])
    func aBadCurrencyIsRefusedAndNothingIsMade(_ code: String) throws {
        let folder = try TemporaryFolder()
        let data = folder.path("hq")
        let result = try NodeCtl.run(["init", "--name", "hq", "--currency", code], data: data)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("currency"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}
