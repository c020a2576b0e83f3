import Foundation
import TestSupport
import Testing

/// Real `nodectl` processes whose wall clocks are wrong (`NEXTSOFT_CLOCK_OFFSET_MS`, a
/// test-only setting): no clock partitions the fleet.
@Suite("Wrong clocks do not partition the fleet", .serialized, .offThePool)
struct ClockSkewTests {
    static let minute = 60_000

    /// Runs `nodectl` on `node` with its clock `offset` milliseconds off; must succeed.
    @discardableResult
    static func run(_ node: TestNode, offset: Int, _ arguments: [String]) throws -> String {
        let result = try NodeCtl.run(arguments, data: node.data, environment: ["NEXTSOFT_CLOCK_OFFSET_MS": "\(offset)"])
        #expect(result.status == 0, "nodectl \(arguments.joined(separator: " ")) on \(node.name): \(result.stderr)")
        return result.stdout
    }

    /// A bundle of what `from` holds, applied on `to`, each with its clock.
    static func send(
        _ from: TestNode,
        offset fromOffset: Int,
        to: TestNode,
        offset toOffset: Int,
        in folder: TemporaryFolder
    ) throws {
        let file = folder.path("\(from.name)-to-\(to.name)-\(UUID().uuidString).bundle")
        try run(from, offset: fromOffset, ["bundle", "create", "--output", file.path])
        try run(to, offset: toOffset, ["bundle", "apply", file.path])
    }

    @Test func aNodeNineMinutesFastThenOneTwoMinutesSlowAllConverge() throws {
        let folder = try TemporaryFolder()
        let fast = try TestNode("fast", in: folder)
        let office = try TestNode("office", in: folder)
        let slow = try TestNode("slow", in: folder)
        let (f, o, s) = (9 * Self.minute, 0, -2 * Self.minute)
        for (node, others) in [(fast, [office, slow]), (office, [fast, slow]), (slow, [fast, office])] {
            for other in others { try node.trust(other) }
        }
        let id = try Self.run(office, offset: o, ["customer", "add", "Shared Ltd"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.send(office, offset: o, to: fast, offset: f, in: folder)
        try Self.send(office, offset: o, to: slow, offset: s, in: folder)
        try Self.run(fast, offset: f, ["customer", "set", id, "phone=555-0109"])
        try Self.send(fast, offset: f, to: office, offset: o, in: folder)
        try Self.run(office, offset: o, ["journal", "add", id, "--kind", "call", "--notes", "after the fast node"])
        try Self.run(slow, offset: s, ["customer", "set", id, "email=slow@example.com"])
        // The office's bundle carries the fast node's change, 11 minutes ahead of the slow clock.
        try Self.send(office, offset: o, to: slow, offset: s, in: folder)
        try Self.send(slow, offset: s, to: office, offset: o, in: folder)
        try Self.send(office, offset: o, to: fast, offset: f, in: folder)
        let views = try [(fast, f), (office, o), (slow, s)].map {
            try Self.run($0.0, offset: $0.1, ["customer", "show", id, "--json"])
        }
        #expect(Set(views).count == 1, "\(views)")
        #expect(
            views[0].contains("555-0109") && views[0].contains("slow@example.com")
                && views[0].contains("after the fast node")
        )
        for (node, offset) in [(fast, f), (office, o), (slow, s)] {
            #expect(
                try NodeCtl.run(
                    ["held", "list", "--json"],
                    data: node.data,
                    environment: ["NEXTSOFT_CLOCK_OFFSET_MS": "\(offset)"]
                ).stdout == "[]\n"
            )
        }
    }

    @Test func aNodeOnceTwoDaysFastSyncsAgainAsSoonAsItsClockIsRight() throws {
        let folder = try TemporaryFolder()
        let laptop = try TestNode("laptop", in: folder)
        let office = try TestNode("office", in: folder)
        try laptop.trust(office)
        try office.trust(laptop)
        let twoDays = 2 * 24 * 60 * Self.minute
        let early = try Self.run(laptop, offset: twoDays, ["customer", "add", "Written two days fast"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.send(laptop, offset: twoDays, to: office, offset: 0, in: folder)
        // The clock is fixed: the laptop's next writes are stamped by it (within the drift
        // bound), and the office takes them at once.
        let later = try Self.run(laptop, offset: 0, ["customer", "add", "Written after the fix"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(later != early)
        try Self.run(laptop, offset: 0, ["customer", "set", later, "notes=stamped by the right clock"])
        try Self.send(laptop, offset: 0, to: office, offset: 0, in: folder)
        let names = (try NodeCtl.json(["customer", "list"], data: office.data) as? [[String: Any]] ?? [])
            .compactMap { $0["name"] as? String }
        #expect(Set(names) == ["Written two days fast", "Written after the fix"])
        let history = try NodeCtl.json(["history", later, "notes"], data: laptop.data) as? [[String: Any]] ?? []
        let at = try #require(history.first?["at"] as? String)
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamped = try #require(ISO8601DateFormatter().date(from: at) ?? fractional.date(from: at))
        #expect(stamped.timeIntervalSinceNow < 11 * 60, "stamped \(at): within the drift bound of the right clock")
    }
}
