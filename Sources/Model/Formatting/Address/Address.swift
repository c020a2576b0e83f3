/// A postal address as typed, analysed and formatted by its country's rules.
///
/// "Nextsoft automatically analyzes the address and formats it for appearance and consistency."
/// The text is split into street lines, town, region, postal code and country (named on the last
/// line, else `defaultCountry`), then laid out by the country's template from Google's i18n
/// address metadata: words re-cased (`123 main st` → `123 Main St`), regions written as the
/// country writes them (`illinois` → `IL`), postal codes checked and spaced (`sw1a1aa` →
/// `SW1A 1AA`), towns in capitals where the country's template says so (`LONDON`).
///
/// ```swift
/// let address = Address(parsing: "123 main st, springfield il 62704", defaultCountry: .us)
/// address.formattedLines  // ["123 Main St", "Springfield, IL 62704"]
/// ```
///
/// Guarantees: ``raw`` is exactly the text given. When the text cannot be read with confidence
/// (no town or postal code, a postal code invalid for the country, an unsupported country,
/// characters no address has, more than 1,000 bytes), ``isRecognised`` is false, the parts are
/// `nil`, and ``formattedLines`` are the typed lines unchanged. Analysis is linear in the length
/// of the text. Supported countries: ``supportedCountries``.
public struct Address: Hashable, Sendable, Codable {
    /// Exactly as typed, never altered.
    public let raw: String
    /// The formatted street lines (organisation and name lines included if present); the typed
    /// lines when not recognised.
    public let streetLines: [String]
    /// The town, formatted (`Springfield`, `LONDON`).
    public let locality: String?
    /// The region as the country writes it (`IL`, `ON`, `NSW`, `Co. Dublin`), a British county
    /// by name (`Surrey`).
    public let region: String?
    /// The postal code, normalised (`62704-1234`, `SW1A 1AA`, `K1A 0B1`, `1234 AB`).
    public let postalCode: String?
    /// The country of the address; `nil` when not recognised.
    public let country: CountryCode?
    /// Whether the text was understood; when false, nothing was changed.
    public let isRecognised: Bool
    /// The country assumed when the text names none; the country line is printed only for other
    /// countries.
    public let defaultCountry: CountryCode

    /// Analyses `text` (lines separated by new lines or commas), reading it as an address in
    /// `defaultCountry` unless its last line names another country.
    public init(parsing text: String, defaultCountry: CountryCode) {
        self.raw = text
        self.defaultCountry = defaultCountry
        if let parts = AddressParser.analyse(text, defaultCountry: defaultCountry) {
            self.streetLines = parts.streetLines
            self.locality = parts.locality
            self.region = parts.region
            self.postalCode = parts.postalCode
            self.country = parts.country
            self.isRecognised = true
        } else {
            self.streetLines = Address.typedLines(of: text)
            self.locality = nil
            self.region = nil
            self.postalCode = nil
            self.country = nil
            self.isRecognised = false
        }
    }

    /// The lines as the country's template lays them out, with the country's name (in English
    /// capitals) last when it is not ``defaultCountry``; the typed lines when not recognised.
    public var formattedLines: [String] {
        guard isRecognised, let country, let rules = AddressRules.byCode[country.rawValue] else {
            return Address.typedLines(of: raw)
        }
        let metadata = rules.metadata
        var lines = rules.template.render(
            street: streetLines,
            values: ["C": locality ?? "", "S": region ?? "", "Z": postalCode ?? ""],
            droppedPrefix: country == defaultCountry ? metadata.postalCodePrefix : nil
        )
        if country != defaultCountry { lines.append(metadata.name) }
        return lines
    }

    /// ``formattedLines`` joined by new lines; ``raw`` itself when not recognised.
    public var formatted: String {
        isRecognised ? formattedLines.joined(separator: "\n") : raw
    }

    /// The address as a ``FormattedText``.
    public var formattedText: FormattedText {
        FormattedText(raw: raw, formatted: formatted, isRecognised: isRecognised)
    }

    /// The countries whose addresses are analysed.
    public static var supportedCountries: [CountryCode] {
        AddressMetadata.generated.compactMap { CountryCode(rawValue: $0.code) }
    }

    /// The lines of `text` as typed (split at any line break, nothing trimmed); none for "".
    static func typedLines(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }
}
