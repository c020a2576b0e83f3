import Foundation
import GRDB
import Model
import Replication
import Testing

/// A peer's service calls, notes and charges are checked as strictly as a local writer's: a
/// field or record out of form is held with its reason, nothing of it applied, and the stream
/// goes on; good ones land in the plain tables.
@Suite("Hostile service records")
struct HostileServiceRecordTests {
    static let customer = EntityID(milliseconds: SimulatedTime.epoch - 5000, counter: 1, node: 9)
    static let call = EntityID(milliseconds: SimulatedTime.epoch - 4000, counter: 1, node: 9)

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A good charge: 2 × 85.00 at 10 % = 170.00 + 17.00.
    static func chargeJSON(_ change: (inout [String: Any]) -> Void = { _ in }) -> String {
        var object: [String: Any] = [
            "service": call.description, "date": "2026-12-01", "currency": "USD", "subtotal": 17000, "tax": 1700,
            "total": 18700, "chargedBy": "Ann", "node": "MFZWI3D-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA-AAAA",
            "lines": [
                [
                    "part": "LAB", "description": "Labour", "quantity": "2", "unitPrice": 8500, "discount": "0",
                    "taxRate": "10", "net": 17000, "tax": 1700,
                ]
            ],
        ]
        change(&object)
        return json(object)
    }

    /// A service call's field a peer writes, out of the form a local writer stores.
    static let brokenFields: [(String, String, String?)] = [
        ("a status no release knows", "status", "done"),
        ("a status in capitals", "status", "Completed"),
        ("an empty status", "status", ""),
        ("a schedule that is no time", "scheduled", "tomorrow"),
        ("a schedule not in UTC", "scheduled", "2026-12-08T09:00:00+01:00"),
        ("a completion date with a time", "completed", "2026-12-08T09:00:00Z"),
        ("equipment not in canonical form", "equipment", "01A2379B-51D1-7000-824D-31054E8B1893"),
        ("holds seen that are not ids", "holds-seen", "hold-1 hold-2"),
        (
            "holds seen unsorted", "holds-seen",
            "01a2379b-51d1-7000-824d-31054e8b1894 01a2379b-51d1-7000-824d-31054e8b1893"
        ),
        ("an empty problem", "problem", ""),
    ]

    @Test("a call's field out of form is held and the stream goes on", arguments: brokenFields.indices)
    func brokenField(_ index: Int) throws {
        let (what, field, value) = Self.brokenFields[index]
        let world = try HostileBatchFixture()
        let changes = [
            world.next(id: Self.customer),
            world.next(.serviceCall, id: Self.call, field: "customer", value: Self.customer.description),
            world.next(.serviceCall, id: Self.call, field: "number", value: "VAN-SC-000001"),
            world.next(.serviceCall, id: Self.call, field: field, value: value),
            world.next(id: Self.customer, field: "notes", value: "still arrives"),
        ]
        let outcome = try world.deliver(changes)
        #expect(outcome.applied == 4 && outcome.held == 1, "\(what)")
        #expect(try world.held().map(\.reason) == [.rule], "\(what)")
        #expect(try world.receiver.folder(Self.customer).customer.notes == "still arrives")
        #expect(try world.receiver.check() == [])
    }

    static let brokenRecords: [(String, EntityKind, String)] = [
        (
            "a charge whose subtotal is not its lines' sum", .serviceCharge,
            chargeJSON {
                $0["subtotal"] = 17001
                $0["total"] = 18701
            }
        ),
        ("a charge whose total is not subtotal plus tax", .serviceCharge, chargeJSON { $0["total"] = 18000 }),
        ("a charge without lines", .serviceCharge, chargeJSON { $0.removeValue(forKey: "lines") }),
        (
            "a charge of a call id in capitals", .serviceCharge,
            chargeJSON { $0["service"] = call.description.uppercased() }
        ),
        (
            "a note without text", .serviceNote,
            json(["service": call.description, "writtenAt": "x", "writtenBy": "Ann", "node": "n"])
        ),
        (
            "a note whose text is a number", .serviceNote,
            json(["service": call.description, "text": 5, "writtenAt": "x", "writtenBy": "Ann", "node": "n"])
        ),
    ]

    @Test("a broken note or charge is held, nothing of it applied", arguments: brokenRecords.indices)
    func brokenRecord(_ index: Int) throws {
        let (what, kind, json) = Self.brokenRecords[index]
        let world = try HostileBatchFixture()
        let changes = [
            world.next(id: Self.customer),
            world.next(.serviceCall, id: Self.call, field: "customer", value: Self.customer.description),
            world.next(kind, field: "", operation: .record, value: json),
            world.next(id: Self.customer, field: "notes", value: "still arrives"),
        ]
        let outcome = try world.deliver(changes)
        #expect(outcome.applied == 3 && outcome.held == 1, "\(what)")
        #expect(try world.held().map(\.reason) == [.rule], "\(what)")
        let rows = try world.receiver.read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT (SELECT count(*) FROM service_charges) + (SELECT count(*) FROM service_notes) + (SELECT count(*) FROM sales_lines)"
            )
        }
        #expect(rows == 0, "\(what): nothing of it applied")
        #expect(try world.receiver.folder(Self.customer).customer.notes == "still arrives")
    }

    @Test("a good call, note and charge land; the call shows them")
    func goodCall() throws {
        let world = try HostileBatchFixture()
        let changes = [
            world.next(id: Self.customer),
            world.next(.serviceCall, id: Self.call, field: "customer", value: Self.customer.description),
            world.next(.serviceCall, id: Self.call, field: "number", value: "VAN-SC-000001"),
            world.next(.serviceCall, id: Self.call, field: "problem", value: "No heat"),
            world.next(.serviceCall, id: Self.call, field: "status", value: "in-progress"),
            world.next(.serviceCall, id: Self.call, field: "scheduled", value: "2026-12-08T09:00:00Z"),
            world.next(.serviceCall, id: Self.call, field: "crew", operation: .add, value: "Ann"),
            world.next(
                .serviceNote,
                field: "",
                operation: .record,
                value: Self.json([
                    "service": Self.call.description, "text": "Seal replaced", "writtenAt": "2026-12-08T10:00:00Z",
                    "writtenBy": "Ann", "node": "van",
                ])
            ),
            world.next(.serviceCharge, field: "", operation: .record, value: Self.chargeJSON()),
        ]
        let outcome = try world.deliver(changes)
        #expect(outcome.applied == changes.count && outcome.held == 0)
        let detail = try world.receiver.serviceCall("VAN-SC-000001")
        #expect(detail.call.status == "in-progress" && detail.call.crew == ["Ann"])
        #expect(detail.call.charges.description == "187.00")
        #expect(detail.notes.map(\.text) == ["Seal replaced"])
        #expect(detail.charges.first?.lines.first?.part == "LAB")
    }
}
