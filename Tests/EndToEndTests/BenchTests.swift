import Foundation
import TestSupport
import Testing

/// `nodectl bench` at a tiny size, through the real executable: every phase prints one JSON
/// object, and the figures are sane (not fast: a debug build on a shared machine).
@Suite("nodectl bench", .serialized, .offThePool)
struct BenchTests {
    /// The phases printed on stdout, by name.
    static func phases(_ stdout: String) throws -> [(name: String, fields: [String: Any])] {
        try stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["phase"] as? String), object)
        }
    }

    @Test func theLedgerWorkloadPrintsItsPhasesWithSaneFigures() throws {
        let result = try NodeCtl.run(["bench", "--workload", "w2", "--customers", "20"], data: nil)
        try #require(result.status == 0, "\(result.stderr)")
        let phases = try Self.phases(result.stdout)
        #expect(phases.map(\.name) == ["build", "floor", "initialSync", "reports"])
        let byName = Dictionary(phases.map { ($0.name, $0.fields) }, uniquingKeysWith: { first, _ in first })
        for phase in phases { #expect(phase.fields["workload"] as? String == "w2") }

        // W2 at N = 20: 500 items, 20 invoices and 25 payments a customer, N credit notes, N/10 reversals.
        let build = try #require(byName["build"])
        #expect(build["items"] as? Int == 500)
        #expect(build["invoices"] as? Int == 400)
        #expect(build["payments"] as? Int == 500)
        #expect(build["applications"] as? Int == 500)
        #expect(build["creditNotes"] as? Int == 20)
        #expect(build["reversals"] as? Int == 2)
        let lines = try #require(build["invoiceLines"] as? Int)
        #expect((400...2_000).contains(lines))
        #expect((build["seconds"] as? Double ?? 0) > 0)

        // The floor holds the same rows: customers, items, documents, lines, allocations.
        let floor = try #require(byName["floor"])
        #expect(floor["invoicesRows"] as? Int == 400)
        #expect(floor["linesRows"] as? Int == lines)
        #expect(floor["allocationsRows"] as? Int == 500)
        #expect(floor["customersRows"] as? Int == 20)
        #expect((floor["seconds"] as? Double ?? 0) > 0)

        let sync = try #require(byName["initialSync"])
        #expect(sync["converged"] as? Bool == true)
        #expect((sync["bytesTotal"] as? Int ?? 0) > 0)
        #expect((sync["changes"] as? Int ?? 0) > 1_400)
        #expect((sync["ratioToFloor"] as? Double ?? 0) > 0)
        #expect(sync["goalMet"] is Bool)

        let reports = try #require(byName["reports"])
        #expect(reports["asOf"] as? String == "2026-11-30")
        for name in ["ageing", "statement", "customerTab"] {
            #expect((reports["\(name)Seconds"] as? Double ?? 0) > 0, "\(name)")
            #expect((reports["\(name)Best"] as? Double ?? 0) > 0, "\(name)")
        }
        #expect((1...20).contains(reports["ageingRows"] as? Int ?? 0))
        #expect(reports["customerTabInvoices"] as? Int == 20)
        #expect((reports["statementLines"] as? Int ?? 0) >= 20)
        #expect(reports["balanceMatchesStatement"] as? Bool == true)
        #expect((reports["creditShowSeconds"] as? Double ?? 0) > 0)
        #expect(reports["creditShowBalanceMatches"] as? Bool == true)
        #expect(["A", "B", "C", "D", "E"].contains(reports["creditShowRating"] as? String ?? ""))
        #expect((reports["reportCollectionsSeconds"] as? Double ?? 0) > 0)
        #expect((reports["reportCollectionsRows"] as? Int ?? -1) >= 0)
        for name in ["Month", "Customer", "Item", "Category", "Salesperson"] {
            #expect((reports["reportSalesBy\(name)Seconds"] as? Double ?? 0) > 0, "\(name)")
            #expect((reports["reportSalesBy\(name)Rows"] as? Int ?? 0) > 0, "\(name)")
        }
        #expect((reports["reportTopCustomersSeconds"] as? Double ?? 0) > 0)
        #expect(reports["reportCustomersRows"] as? Int == 20)
        #expect(reports["reportsOverGoal"] is [Any])
        #expect(reports["ageingGoalMet"] is Bool && reports["customerTabGoalMet"] is Bool)
    }

    @Test func withoutAWorkloadItIsW1AsBefore() throws {
        let result = try NodeCtl.run(["bench", "--customers", "20", "--scale", "1"], data: nil)
        try #require(result.status == 0, "\(result.stderr)")
        let phases = try Self.phases(result.stdout)
        #expect(phases.map(\.name) == ["floor", "build", "initialSync", "incrementalSync", "laptopSync"])
        let laptop = phases.last?.fields ?? [:]
        #expect(laptop["assigned"] as? Int == 1 && laptop["customersHeld"] as? Int == 1, "\(laptop)")
        #expect((laptop["bytesRatio"] as? Double ?? 0) > 0)
        #expect(phases.first?.fields["values"] as? Int == 20 * 8 + 20 * 5 * 4)
        #expect(phases.allSatisfy { $0.fields["workload"] == nil })
        #expect(phases.dropFirst(2).allSatisfy { $0.fields["converged"] as? Bool == true })
    }
}
