import Foundation
import GRDB
import Model
import Replication
import Testing

/// A peer's to-dos and campaign records are checked as strictly as a local writer's: out of
/// form, held with the reason, nothing of it applied, and the stream goes on.
@Suite("Hostile marketing records")
struct HostileMarketingRecordTests {
    static let customer = EntityID(milliseconds: SimulatedTime.epoch - 5000, counter: 1, node: 9)
    static let campaign = EntityID(milliseconds: SimulatedTime.epoch - 4000, counter: 1, node: 9)
    static let todo = EntityID(milliseconds: SimulatedTime.epoch - 3000, counter: 1, node: 9)

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static let broken: [(String, EntityKind, String, String?)] = [
        ("a campaign type no release knows", .campaign, "type", "fax"),
        ("a campaign start that is no day", .campaign, "start", "2026-13-01"),
        ("a to-do due with a time", .todo, "due", "2026-12-01T10:00:00Z"),
        ("a to-do's customer not in canonical form", .todo, "customer", customer.description.uppercased()),
        (
            "members that are not ids", .campaignMembers, "",
            json([
                "campaign": campaign.description, "customers": ["acme"], "chosenBy": "x", "addedAt": "x",
                "addedBy": "x",
            ])
        ),
        (
            "members that are not a list", .campaignMembers, "",
            json([
                "campaign": campaign.description, "customers": customer.description, "chosenBy": "x", "addedAt": "x",
                "addedBy": "x",
            ])
        ),
        (
            "a response dated no day", .campaignResponse, "",
            json([
                "campaign": campaign.description, "customerId": customer.description, "outcome": "yes",
                "date": "yesterday", "recordedBy": "x",
            ])
        ),
        ("a completion of no to-do", .todoDone, "", json(["doneAt": "x", "doneBy": "x", "node": "x"])),
    ]

    @Test("out of form: held, and the stream goes on", arguments: broken.indices)
    func brokenChange(_ index: Int) throws {
        let (what, kind, field, value) = Self.broken[index]
        let world = try HostileBatchFixture()
        let record = field.isEmpty
        let changes = [
            world.next(id: Self.customer),
            world.next(.campaign, id: Self.campaign, field: "name", value: "Winter"),
            world.next(.todo, id: Self.todo, field: "text", value: "Call"),
            record
                ? world.next(kind, field: "", operation: .record, value: value)
                : world.next(kind, id: kind == .campaign ? Self.campaign : Self.todo, field: field, value: value),
            world.next(id: Self.customer, field: "notes", value: "still arrives"),
        ]
        let outcome = try world.deliver(changes)
        #expect(outcome.applied == 4 && outcome.held == 1, "\(what)")
        #expect(try world.held().map(\.reason) == [.rule], "\(what)")
        let rows = try world.receiver.read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT (SELECT count(*) FROM campaign_members) + (SELECT count(*) FROM campaign_responses) + (SELECT count(*) FROM todo_completions)"
            )
        }
        #expect(rows == 0, "\(what): nothing of it applied")
        #expect(try world.receiver.folder(Self.customer).customer.notes == "still arrives")
    }
}
