/// A telephone number as a user typed it, with the number it denotes when it could be read.
///
/// The same automatic formatting is applied to all telephone numbers: a number is read against
/// a default country (the country of the customer or the node) and shown in national form to
/// people in the country it belongs to, in international form to everyone else.
///
/// ```swift
/// let number = PhoneNumber(parsing: "555.234.5678 x 12", defaultCountry: .us)
/// number.e164                        // "+15552345678"
/// number.extensionNumber             // "12"
/// number.formatted(homeCountry: .us) // "(555) 234-5678 ext. 12"
/// number.formatted(homeCountry: "GB") // "+1 555-234-5678 ext. 12"
/// ```
///
/// Guarantees: ``raw`` is exactly the text given, never altered. When the text is not a valid
/// number (wrong length, impossible area code or exchange, stray characters, empty), ``e164``,
/// ``extensionNumber`` and ``country`` are `nil` and every formatted form is ``raw`` itself.
/// Reading is linear in the length of the text and gives up early on long text.
///
/// Understood: North America (+1) in full, the United Kingdom, Ireland, Germany, France,
/// Australia and the Netherlands (lengths, trunk prefix 0, grouping as written there). For the
/// other ITU country calling codes an international number (`+39 06 1234 5678`, `0039 …`) is
/// kept as E.164 and shown with its digits grouped plainly.
public struct PhoneNumber: Hashable, Sendable, Codable {
    /// Exactly as typed, never altered.
    public let raw: String
    /// The number in E.164 form (`+15551234567`); `nil` when not recognised.
    public let e164: String?
    /// The extension digits: "12" for "x 12", "ext. 12", "extension 12", ";ext=12", "#12".
    public let extensionNumber: String?
    /// The country the number belongs to; `nil` when not recognised or for global services
    /// (international freephone +800, satellite +881, …).
    public let country: CountryCode?

    /// Whether the text was read as a valid number.
    public var isRecognised: Bool { e164 != nil }

    /// Reads `text` as a number dialled in `defaultCountry`.
    public init(parsing text: String, defaultCountry: CountryCode) {
        self.raw = text
        guard let input = PhoneInput(reading: text),
            let resolved = PhoneResolver.resolve(input, defaultCountry: defaultCountry)
        else {
            self.e164 = nil
            self.extensionNumber = nil
            self.country = nil
            return
        }
        self.e164 = resolved.e164
        self.extensionNumber = input.extensionNumber
        self.country = resolved.country
    }

    init(raw: String, e164: String?, extensionNumber: String?, country: CountryCode?) {
        self.raw = raw
        self.e164 = e164
        self.extensionNumber = extensionNumber
        self.country = country
    }

    /// National format when the number belongs to `homeCountry`, international otherwise;
    /// extension appended as " ext. 12"; `raw` when not recognised.
    ///
    /// A number belongs to `homeCountry` when both share a calling code and so a numbering plan:
    /// a Canadian number is shown `(416) 555-0199` in the United States, a Jersey number
    /// `01534 123456` in Britain. Numbers of calling codes whose national rules are not modelled
    /// are always shown in international form.
    public func formatted(homeCountry: CountryCode) -> String {
        guard let e164, let parts = PhoneResolver.parts(ofE164: e164) else { return raw }
        let national =
            CallingCodes.callingCode(of: homeCountry) == parts.code
            ? parts.plan.nationalFormat(of: parts.nsn, layout: parts.layout) : nil
        let number = national ?? parts.plan.internationalFormat(of: parts.nsn, layout: parts.layout)
        guard let extensionNumber else { return number }
        return number + " ext. " + extensionNumber
    }

    /// The number as ``FormattedText``: ``formatted(homeCountry:)`` and whether it was recognised.
    public func formattedText(homeCountry: CountryCode) -> FormattedText {
        guard isRecognised else { return .unrecognised(raw) }
        return FormattedText(raw: raw, formatted: formatted(homeCountry: homeCountry), isRecognised: true)
    }
}
