/// Encodes the typed text and what was read from it, so a number keeps its reading even when
/// the default country it was read against is not known later.
///
/// Guarantees: decoding refuses data that ``PhoneNumber/init(parsing:defaultCountry:)`` could
/// not have produced: an `e164` that is not a valid number, a country that does not use its
/// calling code, an extension that is not one to eight digits, or an extension or country
/// without an `e164`.
extension PhoneNumber {
    private enum CodingKeys: String, CodingKey {
        case raw
        case e164
        case extensionNumber
        case country
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try container.decode(String.self, forKey: .raw)
        let e164 = try container.decodeIfPresent(String.self, forKey: .e164)
        let extensionNumber = try container.decodeIfPresent(String.self, forKey: .extensionNumber)
        let country = try container.decodeIfPresent(CountryCode.self, forKey: .country)
        guard let e164 else {
            guard extensionNumber == nil, country == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .e164,
                    in: container,
                    debugDescription: "telephone number has an extension or country but no e164: '\(raw)'"
                )
            }
            self.init(raw: raw, e164: nil, extensionNumber: nil, country: nil)
            return
        }
        guard let parts = PhoneResolver.parts(ofE164: e164) else {
            throw DecodingError.dataCorruptedError(
                forKey: .e164,
                in: container,
                debugDescription: "not a valid E.164 telephone number: '\(e164)'"
            )
        }
        let countries = CallingCodes.countries(sharing: parts.code)
        guard country.map(countries.contains) ?? countries.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .country,
                in: container,
                debugDescription: "country \(country?.rawValue ?? "none") does not use calling code +\(parts.code)"
            )
        }
        if let extensionNumber {
            guard (1...PhoneInput.maximumExtensionDigits).contains(extensionNumber.utf8.count),
                extensionNumber.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .extensionNumber,
                    in: container,
                    debugDescription: "telephone extension is not 1 to 8 digits: '\(extensionNumber)'"
                )
            }
        }
        self.init(raw: raw, e164: e164, extensionNumber: extensionNumber, country: country)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(raw, forKey: .raw)
        try container.encodeIfPresent(e164, forKey: .e164)
        try container.encodeIfPresent(extensionNumber, forKey: .extensionNumber)
        try container.encodeIfPresent(country, forKey: .country)
    }
}
