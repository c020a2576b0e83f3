/// The parts of a typed address, each already formatted for its country.
struct AddressParts: Sendable {
    var streetLines: [String]
    var locality: String
    var region: String?
    var postalCode: String?
    var country: CountryCode
}

/// Reads free-form address text: splits it into lines, finds the country, hands the lines to
/// ``AddressLocality`` for the country's layout.
///
/// Guarantees: returns `nil` (not understood) rather than guess; the work is linear in the
/// length of the text, which is refused above ``maximumLength`` before anything else is done.
enum AddressParser {
    /// Longer text is not an address (the longest real ones are a few hundred characters).
    static let maximumLength = 1_000
    /// More lines than this is not an address.
    static let maximumSegments = 12

    /// The analysed address, or `nil` when `text` cannot be read with confidence.
    static func analyse(_ text: String, defaultCountry: CountryCode) -> AddressParts? {
        guard text.utf8.count <= maximumLength, text.unicodeScalars.allSatisfy(isAllowed) else { return nil }
        let segments = segments(of: text)
        guard !segments.isEmpty, segments.count <= maximumSegments else { return nil }
        for (rules, lines) in candidates(segments, defaultCountry: defaultCountry) {
            if let parts = AddressLocality.analyse(lines, rules: rules) { return parts }
        }
        return nil
    }

    /// The lines (split at new lines, commas and semicolons), each as its words; empty lines
    /// are dropped.
    static func segments(of text: String) -> [[String]] {
        text.split(whereSeparator: { $0.isNewline || $0 == "," || $0 == ";" })
            .map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            .filter { !$0.isEmpty }
    }

    /// The readings to try, in order: the country the last line names, the country named at
    /// the end of the last line (`10117 Berlin Germany`), then the default country.
    private static func candidates(
        _ segments: [[String]],
        defaultCountry: CountryCode
    ) -> [(AddressRules, [[String]])] {
        var candidates: [(AddressRules, [[String]])] = []
        if segments.count > 1, let last = segments.last {
            if let rules = AddressRules.country(named: last.joined(separator: " ")) {
                candidates.append((rules, Array(segments.dropLast())))
            } else {
                for width in stride(from: min(4, last.count - 1), through: 1, by: -1) {
                    guard
                        let rules = AddressRules.country(
                            named: last.suffix(width).joined(separator: " "),
                            namesOnly: true
                        )
                    else { continue }
                    var lines = segments
                    lines[lines.count - 1] = Array(last.dropLast(width))
                    candidates.append((rules, lines))
                    break
                }
            }
        }
        if let rules = AddressRules.byCode[defaultCountry.rawValue] { candidates.append((rules, segments)) }
        return candidates
    }

    /// Letters, digits, marks, white space and the punctuation of addresses; anything else
    /// (emoji, symbols, control characters) means the text is not an address.
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isWhitespace { return true }
        switch properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark: return true
        default: return punctuation.contains(scalar)
        }
    }

    private static let punctuation: Set<Unicode.Scalar> = Set(".,'’‘-–—#/&():;°ºª\"".unicodeScalars)
}
