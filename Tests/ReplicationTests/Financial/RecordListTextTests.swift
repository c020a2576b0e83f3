import Foundation
import Testing

@testable import Replication

/// The text a record's list is stored as reads back as the list the gate checked: strings
/// escaped (quotes, backslashes, control characters, any script), integers exact, keys sorted;
/// a member of another type (a newer release's) still round-trips.
@Suite("A record's list as stored JSON")
struct RecordListTextTests {
    static var lists: [[Any]] {
        [
            [],
            [["part": "W-100", "description": "Filter \"XL\" \\ 10\" / 25 cm", "quantity": "2.5", "unitPrice": 4990]],
            [["part": "Zoë", "description": "line\nbreak\ttab\r\u{1}\u{1F} 日本 🧰", "net": Int64(999_999_999_999_999)]],
            [["invoice": "01a2379b-51d1-7000-824d-31054e8b1893", "amount": 0, "discount": -5]],
            [["part": "A", "quantity": "1"], ["part": "B", "quantity": "2", "extra": ["nested": true]]],
            [["part": "A", "flag": true, "ratio": 0.5]],
        ]
    }

    @Test("reads back as the same list", arguments: 0..<6)
    func roundTrip(_ index: Int) throws {
        let list = Self.lists[index]
        let text = try #require(RecordJSON.text(ofList: list))
        let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
        let expected = try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])
        let actual = try JSONSerialization.data(withJSONObject: try #require(back), options: [.sortedKeys])
        #expect(actual == expected, "\(text)")
    }

    @Test func keysAreSortedAndIntegersExact() throws {
        let text = RecordJSON.text(ofList: [["tax": 1235, "net": 14970, "part": "W-100"]])
        #expect(text == #"[{"net":14970,"part":"W-100","tax":1235}]"#)
        #expect(RecordJSON.text(ofList: "not a list") == nil)
    }
}
