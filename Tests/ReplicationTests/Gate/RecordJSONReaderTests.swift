import Foundation
import Testing

@testable import Replication

/// The reader of a record's JSON (``RecordJSONReader``) against Foundation's: on well-formed
/// objects both read the same values (random documents, 2,000 seeds); hostile text is refused
/// with `nil`, never a trap — nesting beyond the limit, numbers JSON does not allow, lone
/// surrogates, control characters, a key twice, anything after the object.
@Suite("Reading a record's JSON")
struct RecordJSONReaderTests {
    /// Foundation's reading, as typed values: the oracle.
    static func typed(_ any: Any) -> RecordMember? {
        switch any {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let array as [Any]:
            let elements = array.compactMap(typed)
            return elements.count == array.count ? .array(elements) : nil
        case let object as [String: Any]:
            var members: RecordObject = [:]
            for (key, value) in object {
                guard let member = typed(value) else { return nil }
                members[key] = member
            }
            return .object(members)
        default:
            if RecordValue.isBoolean(any), let flag = any as? Bool { return .bool(flag) }
            if let integer = RecordValue.integer(any) { return .integer(integer) }
            guard let number = any as? NSNumber else { return nil }
            return .number(number.doubleValue)
        }
    }

    /// Equal as JSON values: numbers compared by value (Foundation does not say which were
    /// written as integers).
    static func same(_ a: RecordMember, _ b: RecordMember) -> Bool {
        switch (a, b) {
        case (.integer, _), (.number, _):
            if let x = a.integer, let y = b.integer { return x == y }
            guard let x = number(a), let y = number(b) else { return false }
            return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default:
            return a == b
        }
    }

    static func number(_ member: RecordMember) -> Double? {
        switch member {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// A random JSON value of the shapes records carry, and some they do not.
    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> Any {
        switch rng.int(0...(depth > 3 ? 5 : 7)) {
        case 0: return NSNull()
        case 1: return rng.int(0...1) == 0
        // Within ±2^53: RFC 8259's "interoperable" integers.
        case 2: return Int64(bitPattern: rng.next()) >> Int64(rng.int(11...62))
        case 3: return Double(Int64(rng.int(0...1_999_999)) - 1_000_000) / 64
        case 4, 5:
            let pool: [String] = [
                "W-100", "Filter \"XL\" \\ 10\" / 25 cm", "line\nbreak\ttab\r\u{1}\u{1F}", "日本 🧰 Zoë", "", "\u{7F}",
                "a/b", "\u{2028}\u{2029}", "x\u{0}y",
            ]
            return pool[rng.int(0...(pool.count - 1))] + String(rng.int(0...99))
        case 6:
            return (0..<rng.int(0...3)).map { _ in randomValue(&rng, depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<rng.int(0...4) { object["k\(rng.int(0...19))"] = randomValue(&rng, depth: depth + 1) }
            return object
        }
    }

    @Test("reads what Foundation writes as Foundation reads it", arguments: 0..<4)
    func agreesWithFoundation(_ quarter: Int) throws {
        for seed in (quarter * 500)..<((quarter + 1) * 500) {
            var rng = SeededRandom(seed: UInt64(seed))
            var object: [String: Any] = [:]
            for index in 0..<(1 + rng.int(0...5)) { object["m\(index)"] = Self.randomValue(&rng, depth: 0) }
            let options: JSONSerialization.WritingOptions = seed % 2 == 0 ? [.sortedKeys] : [.prettyPrinted]
            let text = String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: options),
                as: UTF8.self
            )
            let read = try #require(RecordJSON.parse(text), "seed \(seed): \(text)")
            let expected = try #require(
                Self.typed(try JSONSerialization.jsonObject(with: Data(text.utf8))),
                "seed \(seed)"
            )
            #expect(Self.same(.object(read), expected), "seed \(seed): \(text)")
        }
    }

    @Test func typesAndEscapes() throws {
        let text =
            #" { "a" : [1, -0, 2.5, 1e2, -12E-1, 9223372036854775807, 9223372036854775808], "b": "\u00e9\ud83e\uddf0\n\/\"", "c": true, "d": null, "e": {} } "#
        let object = try #require(RecordJSON.parse(text))
        #expect(
            object["a"]
                == .array([
                    .integer(1), .integer(0), .number(2.5), .number(100), .number(-1.2),
                    .integer(Int64.max), .number(9_223_372_036_854_775_808),
                ])
        )
        // Exact beyond 2^53 (Foundation's reader on Linux rounds -1474612301785349770 through a
        // Double).
        #expect(RecordJSON.parse(#"{"n":-1474612301785349770}"#)?["n"] == .integer(-1_474_612_301_785_349_770))
        #expect(object["a"]?.array?[3].integer == 100)
        #expect(object["a"]?.array?[2].integer == nil)
        #expect(object["a"]?.array?[6].integer == nil)
        #expect(object["b"] == .string("é🧰\n/\""))
        #expect(object["c"] == .bool(true))
        #expect(object["c"]?.integer == nil)
        #expect(object["d"] == .null)
        #expect(object["e"] == .object([:]))
    }

    @Test(
        "refuses text that is not one well-formed object",
        arguments: [
            "", " ", "[]", "\"x\"", "1", "null", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1}x",
            "{\"a\":1}{}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":+1}", "{\"a\":-}",
            "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e400}", "{\"a\":-1e400}",
            "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uZZZZ\"}",
            "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"tab\there\"}",
            "{\"a\":\"new\nline\"}", "{\"a\":\"open}", "{\"a\":1,\"a\":2}", "{\"a\":[1,]}", "{\"a\":[,1]}",
            "{\"a\":[1 2]}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":\"\\\"}",
        ]
    )
    func refuses(_ text: String) {
        #expect(RecordJSON.parse(text) == nil, "\(text)")
    }

    @Test func nestingIsBounded() {
        let limit = RecordJSONReader.maximumDepth
        func nested(_ depth: Int) -> String {
            "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        }
        #expect(RecordJSON.parse(nested(limit)) != nil)
        #expect(RecordJSON.parse(nested(limit + 1)) == nil)
        // Far beyond any stack: refused, not a crash.
        #expect(RecordJSON.parse("{\"a\":" + String(repeating: "[", count: 1_000_000)) == nil)
        #expect(RecordJSON.parse(String(repeating: "{\"a\":", count: 200_000)) == nil)
    }
}
