import Foundation
import Testing

@testable import Replication

/// The text a record's list is stored as reads back as the list the gate checked: strings
/// escaped (quotes, backslashes, control characters, any script), integers exact, keys sorted;
/// a member of another type (a newer release's) still round-trips — read by this replica's
/// reader and by Foundation's (the triggers' `json_each` reads it too, in the flow tests).
@Suite("A record's list as stored JSON")
struct RecordListTextTests {
    static let lists: [[RecordMember]] = [
        [],
        [
            .object([
                "part": .string("W-100"), "description": .string("Filter \"XL\" \\ 10\" / 25 cm"),
                "quantity": .string("2.5"), "unitPrice": .integer(4990),
            ])
        ],
        [
            .object([
                "part": .string("Zoë"), "description": .string("line\nbreak\ttab\r\u{1}\u{1F} 日本 🧰"),
                "net": .integer(999_999_999_999_999),
            ])
        ],
        [
            .object([
                "invoice": .string("01a2379b-51d1-7000-824d-31054e8b1893"), "amount": .integer(0),
                "discount": .integer(-5),
            ])
        ],
        [
            .object(["part": .string("A"), "quantity": .string("1")]),
            .object(["part": .string("B"), "quantity": .string("2"), "extra": .object(["nested": .bool(true)])]),
        ],
        [.object(["part": .string("A"), "flag": .bool(true), "ratio": .number(0.5), "none": .null])],
    ]

    @Test("reads back as the same list", arguments: 0..<6)
    func roundTrip(_ index: Int) throws {
        let list = Self.lists[index]
        let text = RecordJSON.text(ofList: list)
        let back = try #require(RecordJSON.parse("{\"list\":\(text)}"), "\(text)")
        #expect(back["list"] == .array(list), "\(text)")
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let typed = try #require(RecordJSONReaderTests.typed(foundation))
        #expect(RecordJSONReaderTests.same(typed, .array(list)), "\(text)")
    }

    @Test func keysAreSortedAndIntegersExact() throws {
        let text = RecordJSON.text(ofList: [
            .object(["tax": .integer(1235), "net": .integer(14970), "part": .string("W-100")])
        ])
        #expect(text == #"[{"net":14970,"part":"W-100","tax":1235}]"#)
    }
}
