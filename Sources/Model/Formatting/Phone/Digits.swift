/// A run of decimal digits, as read from a telephone number.
///
/// Guarantees: every element is 0…9. Reading past the end gives -1, so rules may look ahead
/// without bounds checks.
struct Digits: Hashable, Sendable, CustomStringConvertible {
    private let values: [UInt8]

    /// The digits of an ASCII digit string; `nil` when any character is not 0–9.
    init?(_ text: some StringProtocol) {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            values.append(byte - UInt8(ascii: "0"))
        }
        self.values = values
    }

    private init(values: ArraySlice<UInt8>) {
        self.values = Array(values)
    }

    var count: Int { values.count }
    var isEmpty: Bool { values.isEmpty }

    /// The digit at `offset`, or -1 past either end.
    subscript(offset: Int) -> Int {
        offset >= 0 && offset < values.count ? Int(values[offset]) : -1
    }

    /// Whether the number begins with the ASCII digits of `prefix`.
    func starts(with prefix: String) -> Bool {
        var offset = 0
        for byte in prefix.utf8 {
            guard offset < values.count, values[offset] == byte &- UInt8(ascii: "0") else { return false }
            offset += 1
        }
        return true
    }

    /// Whether the number begins with any of `prefixes`.
    func starts(withAnyOf prefixes: [String]) -> Bool {
        prefixes.contains { starts(with: $0) }
    }

    /// The number without its first `length` digits.
    func dropping(_ length: Int) -> Digits {
        Digits(values: values.dropFirst(length))
    }

    /// The first `length` digits.
    func prefix(_ length: Int) -> Digits {
        Digits(values: values.prefix(length))
    }

    /// The digits from `start` up to `end` (exclusive) as ASCII text.
    func text(from start: Int, to end: Int) -> String {
        let lower = max(0, min(start, values.count))
        let upper = max(lower, min(end, values.count))
        return String(decoding: values[lower..<upper].map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    var description: String { text(from: 0, to: values.count) }

    static func + (lhs: Digits, rhs: Digits) -> Digits {
        Digits(values: ArraySlice(lhs.values + rhs.values))
    }
}
