import Foundation
import TestSupport
import Testing

/// The Jobs & Service tab on one node through `nodectl`: a job from a sales order, calls on a
/// machine and a job, the technician's day, the machine's story, and the folder's tab.
@Suite("Jobs & Service: the tab on one node", .offThePool)
struct ServiceFlowTests {
    static func line(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func object(_ arguments: [String], _ data: URL) throws -> [String: Any] {
        try NodeCtl.json(arguments, data: data) as? [String: Any] ?? [:]
    }

    static func array(_ arguments: [String], _ data: URL) throws -> [[String: Any]] {
        try NodeCtl.json(arguments, data: data) as? [[String: Any]] ?? []
    }

    @Test func jobsEquipmentAndCallsMakeTheTabAndTheTechniciansDay() throws {
        let folder = try TemporaryFolder()
        let hq = try TestNode("hq", in: folder)
        let data = hq.data
        try NodeCtl.ok(["series", "set", "HQ"], data: data)
        try NodeCtl.ok(["item", "add", "LAB", "--description", "Labour", "--price", "80.00"], data: data)
        let acme = Self.line(try NodeCtl.ok(["customer", "add", "Acme Ltd"], data: data))
        let other = Self.line(try NodeCtl.ok(["customer", "add", "Other plc"], data: data))
        try NodeCtl.ok(["order", "add", acme, "--line", "LAB 10"], data: data)
        let job = try Self.object(
            [
                "job", "add", acme, "--title", "Boiler room refit", "--order", "HQ-SO-000001", "--start", "2026-12-01",
                "--json",
            ],
            data
        )
        let jobID = job["id"] as? String ?? ""
        #expect(job["status"] as? String == "planned" && job["orderNumber"] as? String == "HQ-SO-000001", "\(job)")
        try NodeCtl.ok(["job", "set", jobID, "status=active", "end=2026-12-12"], data: data)
        let machine = Self.line(
            try NodeCtl.ok(
                [
                    "equipment", "add", acme, "--model", "Boiler X200", "--serial", "SN-1", "--warranty-until",
                    "2027-01-31", "--site", "Hauptstraße 5, 10115 Berlin, Germany",
                ],
                data: data
            )
        )
        try NodeCtl.ok(["equipment", "set", machine, "installed=2025-02-01", "notes=Basement"], data: data)

        let first = Self.line(
            try NodeCtl.ok(
                [
                    "service", "add", acme, "--problem", "Pressure drops", "--equipment", machine, "--job", jobID,
                    "--scheduled", "2026-12-09T08:00:00+01:00", "--crew", "Ann",
                ],
                data: data
            )
        )
        #expect(first.hasSuffix("HQ-SC-000001"), "\(first)")
        try NodeCtl.ok(
            [
                "service", "add", acme, "--problem", "Radiator cold", "--scheduled", "2026-12-08T13:00:00Z", "--crew",
                "ann",
            ],
            data: data
        )
        try NodeCtl.ok(["service", "add", other, "--problem", "Annual check", "--crew", "Bob"], data: data)
        try NodeCtl.ok(["service", "crew", "HQ-SC-000001", "--add", "Bob"], data: data)
        try NodeCtl.ok(["service", "set", "HQ-SC-000002", "status=completed"], data: data)

        // The technician's day: Ann's open calls, by time (09:00+01:00 is 08:00Z).
        let day = try Self.array(["service", "list", "--crew", "ANN", "--open"], data)
        #expect(day.map { $0["number"] as? String } == ["HQ-SC-000001"])
        #expect(day.first?["scheduled"] as? String == "2026-12-09T07:00:00Z")
        let keys = Set((day.first ?? [:]).keys)
        #expect(
            keys.isSuperset(of: ["id", "number", "customerId", "status", "scheduled", "crew", "equipmentId", "charges"])
        )
        let annAll = try Self.array(["service", "list", "--crew", "Ann"], data)
        #expect(annAll.map { $0["number"] as? String } == ["HQ-SC-000002", "HQ-SC-000001"])
        let acmeCalls = try Self.array(["service", "list", "--customer", acme], data)
        #expect(acmeCalls.count == 2)
        let completed = try Self.object(["service", "show", "HQ-SC-000002"], data)
        #expect(completed["completed"] is String, "completion date recorded: \(completed)")

        let shownJob = try Self.object(["job", "show", jobID], data)
        #expect(shownJob["status"] as? String == "active" && shownJob["end"] as? String == "2026-12-12")
        #expect((shownJob["calls"] as? [[String: Any]])?.map { $0["number"] as? String } == ["HQ-SC-000001"])
        let story = try Self.object(["equipment", "show", machine], data)
        #expect(story["installed"] as? String == "2025-02-01" && story["notes"] as? String == "Basement")
        #expect((story["calls"] as? [[String: Any]])?.map { $0["number"] as? String } == ["HQ-SC-000001"])
        let storyText = try NodeCtl.ok(["equipment", "show", machine], data: data)
        #expect(storyText.contains("10115 Berlin") && storyText.contains("Pressure drops"), "\(storyText)")

        let tab = try Self.object(["customer", "show", acme], data)["service"] as? [String: Any] ?? [:]
        #expect((tab["jobs"] as? [[String: Any]])?.first?["title"] as? String == "Boiler room refit")
        #expect((tab["equipment"] as? [[String: Any]])?.first?["id"] as? String == machine)
        #expect((tab["calls"] as? [[String: Any]])?.count == 2)
        let text = try NodeCtl.ok(["customer", "show", acme], data: data)
        for fragment in ["Jobs & Service", "Boiler room refit", "serial SN-1", "HQ-SC-000001", "Pressure drops"] {
            #expect(text.contains(fragment), "customer show lacks '\(fragment)'")
        }
        let jobs = try Self.array(["job", "list"], data)
        #expect(jobs.count == 1)
        #expect(try Self.array(["equipment", "list", other], data).isEmpty)
    }
}
