/// An ISO 4217 currency: three upper-case letters and the number of its minor digits.
///
/// The minor digits decide how amounts are written and rounded: `USD` 2 (`"1234.50"`), `JPY`
/// 0 (`"1234"`), `KWD` 3 (`"1.250"`). A code this table does not list is taken with 2 minor
/// digits, the common case: it is still a valid code, since ISO adds currencies.
public struct CurrencyCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The three letters, upper case.
    public let code: String
    /// Digits after the decimal point: 0 to 3.
    public let minorDigits: Int

    /// The node's default currency.
    public static let usd = CurrencyCode(validated: "USD")

    /// Reads a code: three ASCII letters, either case (`usd` is `USD`). Anything else is refused
    /// with ``ModelError/Code/invalidValue``.
    public init(_ text: String) throws {
        let letters = Array(text.utf8)
        guard letters.count == 3, letters.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
            throw ModelError(.invalidValue, "'\(text)' is not a currency code (three letters, as USD, EUR, JPY)")
        }
        self.init(validated: text.uppercased())
    }

    private init(validated code: String) {
        self.code = code
        self.minorDigits = Self.minorDigitsByCode[code] ?? 2
    }

    public var description: String { code }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.code < rhs.code }

    /// The currencies whose minor unit is not the hundredth (ISO 4217).
    static let minorDigitsByCode: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]
}
