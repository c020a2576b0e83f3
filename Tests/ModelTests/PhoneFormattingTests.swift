import Foundation
import Model
import Testing

/// One typed number and what it must read as.
///
/// `e164` nil means "not recognised". `country`, `home`, `national` and `international` nil mean
/// "not compared". `national` is the form shown in `home`; `international` the form shown in a
/// country that shares no calling code with the number (Japan, or France for Japanese numbers).
struct PhoneVector: Sendable, CustomTestStringConvertible {
    let input: String
    /// A string, not a ``CountryCode`` literal: thousands of generated literals would otherwise
    /// overwhelm the type checker.
    let defaultCountry: String
    let e164: String?
    let extensionNumber: String?
    let country: String?
    let home: String?
    let national: String?
    let international: String?

    init(
        _ input: String,
        _ defaultCountry: String,
        _ e164: String?,
        _ extensionNumber: String? = nil,
        _ country: String? = nil,
        _ home: String? = nil,
        _ national: String? = nil,
        _ international: String? = nil
    ) {
        self.input = input
        self.defaultCountry = defaultCountry
        self.e164 = e164
        self.extensionNumber = extensionNumber
        self.country = country
        self.home = home
        self.national = national
        self.international = international
    }

    var testDescription: String { "'\(input.prefix(60))' in \(defaultCountry)" }

    /// A home country that shares no calling code with the number.
    var foreignHome: CountryCode { e164?.hasPrefix("+81") == true ? "FR" : "JP" }

    /// Every difference between what `PhoneNumber` reads and this vector, one line each.
    func mismatches() -> [String] {
        guard let defaultCountry = CountryCode(rawValue: defaultCountry) else {
            return ["\(testDescription): not a country code"]
        }
        let number = PhoneNumber(parsing: input, defaultCountry: defaultCountry)
        var problems: [String] = []
        func check(_ what: String, _ actual: String?, _ expected: String?) {
            if actual != expected {
                problems.append("\(testDescription): \(what) \(actual ?? "nil") ≠ \(expected ?? "nil")")
            }
        }
        check("e164", number.e164, e164)
        check("extension", number.extensionNumber, e164 == nil ? nil : extensionNumber)
        check("raw", number.raw, input)
        if let country { check("country", number.country?.rawValue, country) }
        if e164 == nil {
            check("formatted", number.formatted(homeCountry: defaultCountry), input)
            check("formatted abroad", number.formatted(homeCountry: foreignHome), input)
        }
        if let home, let national, let homeCountry = CountryCode(rawValue: home) {
            check("national", number.formatted(homeCountry: homeCountry), national)
        }
        if let international { check("international", number.formatted(homeCountry: foreignHome), international) }
        return problems
    }
}

@Suite("Telephone number formatting")
struct PhoneFormattingTests {
    // input, default country, E.164, extension, country, home, national form, international form
    static let handWritten: [PhoneVector] = [
        // North America: messy punctuation, trunk prefix, extensions, vanity numbers.
        PhoneVector("(555) 234-5678", "US", "+15552345678", nil, "US", "US", "(555) 234-5678", "+1 555-234-5678"),
        PhoneVector("555.234.5678 x 12", "US", "+15552345678", "12", "US", "US", "(555) 234-5678 ext. 12"),
        PhoneVector("+1 (555) 234-5678 ext. 89", "GB", "+15552345678", "89", "US", "US", "(555) 234-5678 ext. 89"),
        PhoneVector("tel:+1-555-234-5678", "DE", "+15552345678", nil, "US", "CA", "(555) 234-5678", "+1 555-234-5678"),
        PhoneVector(
            "tel:+1-555-234-5678;ext=12",
            "US",
            "+15552345678",
            "12",
            "US",
            nil,
            nil,
            "+1 555-234-5678 ext. 12"
        ),
        PhoneVector("TEL:+1.555.234.5678", "US", "+15552345678", nil, "US"),
        PhoneVector("1-800-FLOWERS", "US", "+18003569377", nil, "US", "US", "(800) 356-9377", "+1 800-356-9377"),
        PhoneVector("1 (800) GOT-JUNK", "US", "+18004685865", nil, "US", "US", "(800) 468-5865"),
        PhoneVector("1-800-flowers x 7", "US", "+18003569377", "7", "US", "US", "(800) 356-9377 ext. 7"),
        PhoneVector("555-234-5678 extension 7", "US", "+15552345678", "7", "US", "US", "(555) 234-5678 ext. 7"),
        PhoneVector("555 234 5678 #321", "US", "+15552345678", "321", "US"),
        PhoneVector("555-234-5678;ext=4", "US", "+15552345678", "4"),
        PhoneVector("555-234-5678 Ext: 4", "US", "+15552345678", "4"),
        PhoneVector("555-234-5678x4", "US", "+15552345678", "4"),
        PhoneVector("+1 555 234 5678,,12", "US", "+15552345678", "12"),
        PhoneVector("15552345678", "US", "+15552345678", nil, "US", "US", "(555) 234-5678"),
        PhoneVector("  555 / 234 - 5678  ", "US", "+15552345678"),
        PhoneVector("(416) 555-0199", "US", "+14165550199", nil, "CA", "US", "(416) 555-0199", "+1 416-555-0199"),
        PhoneVector("876-555-0123", "US", "+18765550123", nil, "JM", "CA", "(876) 555-0123"),
        PhoneVector("800 555 0123", "CA", "+18005550123", nil, "CA"),
        PhoneVector("+1 800 555 0123", "GB", "+18005550123", nil, "US"),
        PhoneVector("(555) 123-4567", "US", "+15551234567", nil, "US", "US", "(555) 123-4567"),
        PhoneVector("(155) 234-5678", "US", nil),  // area code starts with 1
        PhoneVector("(911) 234-5678", "US", nil),  // N11 is a service code, not an area code
        PhoneVector("(595) 234-5678", "US", nil),  // area codes with middle digit 9 are reserved
        PhoneVector("(555) 911-5678", "US", nil),  // N11 exchange
        PhoneVector("234-5678", "US", nil),  // local number without area code
        PhoneVector("555-234-56789", "US", nil),  // eleven digits not starting with 1
        PhoneVector("1-800-MATTRESS", "US", nil),  // twelve digits
        // International prefixes.
        PhoneVector("011 44 20 7946 0958", "US", "+442079460958", nil, "GB", "GB", "020 7946 0958", "+44 20 7946 0958"),
        PhoneVector("0044 20 7946 0958", "US", "+442079460958", nil, "GB"),
        PhoneVector("011 44 20 7946 0958", "GB", "+442079460958", nil, "GB"),
        PhoneVector("0011 44 20 7946 0958", "AU", "+442079460958", nil, "GB"),
        PhoneVector("00 1 555 234 5678", "DE", "+15552345678", nil, "US", "US", "(555) 234-5678"),
        // United Kingdom.
        PhoneVector("+44 20 7946 0958", "US", "+442079460958", nil, "GB", "GB", "020 7946 0958", "+44 20 7946 0958"),
        PhoneVector("(+44) 20 7946 0958", "US", "+442079460958"),
        PhoneVector("+44 (0)20 7946 0958", "FR", "+442079460958", nil, "GB", "GB", "020 7946 0958"),
        PhoneVector("0044 (0) 20-7946-0958", "GB", "+442079460958"),
        PhoneVector("020 7946 0958", "GB", "+442079460958", nil, "GB", "GB", "020 7946 0958", "+44 20 7946 0958"),
        PhoneVector("07700 900123", "GB", "+447700900123", nil, "GB", "GB", "07700 900123", "+44 7700 900123"),
        PhoneVector("0121 496 0000", "GB", "+441214960000", nil, "GB", "GB", "0121 496 0000", "+44 121 496 0000"),
        PhoneVector("01632 960000", "GB", "+441632960000", nil, "GB", "GB", "01632 960000"),
        PhoneVector("016977 3456", "GB", "+44169773456", nil, "GB", "GB", "016977 3456"),
        PhoneVector("0800 123 4567", "GB", "+448001234567", nil, "GB", "GB", "0800 123 4567"),
        PhoneVector("+44 1534 123456", "GB", "+441534123456", nil, "JE", "GB", "01534 123456", "+44 1534 123456"),
        PhoneVector("442079460958", "GB", "+442079460958"),
        PhoneVector("020 7946 095", "GB", nil),  // nine digits in London
        PhoneVector("7946 0958", "GB", nil),  // local number without area code
        PhoneVector("+44 4123 456789", "GB", nil),  // no 04 range
        // France.
        PhoneVector("01 23 45 67 89", "FR", "+33123456789", nil, "FR", "FR", "01 23 45 67 89", "+33 1 23 45 67 89"),
        PhoneVector("06.12.34.56.78", "FR", "+33612345678", nil, "FR", "FR", "06 12 34 56 78", "+33 6 12 34 56 78"),
        PhoneVector("+33 (0)6 12 34 56 78", "GB", "+33612345678", nil, "FR", "FR", "06 12 34 56 78"),
        PhoneVector("0033 1 23 45 67 89", "DE", "+33123456789", nil, "FR"),
        PhoneVector("08 00 12 34 56", "FR", "+33800123456", nil, "FR", "FR", "08 00 12 34 56", "+33 8 00 12 34 56"),
        PhoneVector("01 23 45 67 8", "FR", nil),
        PhoneVector("00 23 45 67 89", "FR", nil),
        // Germany.
        PhoneVector("030 12345678", "DE", "+493012345678", nil, "DE", "DE", "030 12345678", "+49 30 12345678"),
        PhoneVector("+49 (0)89 1234567", "FR", "+49891234567", nil, "DE", "DE", "089 1234567", "+49 89 1234567"),
        PhoneVector("0211 / 1234567", "DE", "+492111234567", nil, "DE", "DE", "0211 1234567"),
        PhoneVector("06221-123456", "DE", "+496221123456", nil, "DE", "DE", "06221 123456"),
        PhoneVector("035204 12345", "DE", "+493520412345", nil, "DE", "DE", "035204 12345"),
        PhoneVector("0171 1234567", "DE", "+491711234567", nil, "DE", "DE", "0171 1234567", "+49 171 1234567"),
        PhoneVector("0151 23456789", "DE", "+4915123456789", nil, "DE", "DE", "01512 3456789"),
        PhoneVector("030 123456-78", "DE", "+493012345678", nil, "DE", "DE", "030 12345678"),
        PhoneVector("0800 1234567", "DE", "+498001234567", nil, "DE", "DE", "0800 1234567"),
        PhoneVector("030 12", "DE", nil),
        PhoneVector("0190 123456", "DE", nil),  // the old premium range is gone
        // The Netherlands.
        PhoneVector("020 123 4567", "NL", "+31201234567", nil, "NL", "NL", "020 123 4567", "+31 20 123 4567"),
        PhoneVector("06-12345678", "NL", "+31612345678", nil, "NL", "NL", "06 12345678", "+31 6 12345678"),
        PhoneVector("0111 123 456", "NL", "+31111123456", nil, "NL", "NL", "0111 123 456"),
        PhoneVector("0800 1234", "NL", "+318001234", nil, "NL", "NL", "0800 1234"),
        PhoneVector("+31 (0)20 123 4567", "US", "+31201234567", nil, "NL"),
        PhoneVector("020 123 456", "NL", nil),
        // Australia.
        PhoneVector("(02) 1234 5678", "AU", "+61212345678", nil, "AU", "AU", "(02) 1234 5678", "+61 2 1234 5678"),
        PhoneVector("0412 345 678", "AU", "+61412345678", nil, "AU", "AU", "0412 345 678", "+61 412 345 678"),
        PhoneVector("1300 123 456", "AU", "+611300123456", nil, "AU", "AU", "1300 123 456", "+61 1300 123 456"),
        PhoneVector("13 12 34", "AU", "+61131234", nil, "AU", "AU", "13 12 34"),
        PhoneVector("+61 (0)4 1234 5678", "GB", "+61412345678", nil, "AU", "AU", "0412 345 678"),
        PhoneVector("01300 123 456", "AU", nil),  // 1300 numbers are dialled without 0
        // Ireland.
        PhoneVector("(01) 234 5678", "IE", "+35312345678", nil, "IE", "IE", "(01) 234 5678", "+353 1 234 5678"),
        PhoneVector("085 123 4567", "IE", "+353851234567", nil, "IE", "IE", "085 123 4567", "+353 85 123 4567"),
        PhoneVector("1800 123 456", "IE", "+3531800123456", nil, "IE", "IE", "1800 123 456"),
        PhoneVector("021 123 4567", "IE", "+353211234567", nil, "IE", "IE", "(021) 123 4567"),
        PhoneVector("+353 (0)1 234 5678", "GB", "+35312345678", nil, "IE", "IE", "(01) 234 5678"),
        PhoneVector("01 234 56", "IE", nil),
        // Calling codes without modelled national rules.
        PhoneVector("+39 06 1234 5678", "US", "+390612345678", nil, "IT", "IT", "+39 061 234 5678", "+39 061 234 5678"),
        PhoneVector("0039 06 1234 5678", "DE", "+390612345678", nil, "IT"),
        PhoneVector("+39 06 6988 0000", "VA", "+390669880000", nil, "VA"),
        PhoneVector("+81 3-1234-5678", "US", "+81312345678", nil, "JP", "JP", "+81 312 345 678"),
        PhoneVector("+7 701 234 5678", "US", "+77012345678", nil, "KZ"),
        PhoneVector("+7 495 123-45-67", "US", "+74951234567", nil, "RU"),
        PhoneVector("+800 1234 5678", "US", "+80012345678", nil, nil, "US", "+800 1234 5678"),
        PhoneVector("06 1234 5678", "IT", nil),  // national numbers of unmodelled plans
        PhoneVector("+999 123 456 789", "US", nil),  // unassigned calling code
        PhoneVector("+1234", "US", nil),
        PhoneVector("+49 1234567890123456", "US", nil),  // beyond E.164's fifteen digits
        // Garbage and empty.
        PhoneVector("", "US", nil),
        PhoneVector("   ", "US", nil),
        PhoneVector("n/a", "US", nil),
        PhoneVector("call me", "GB", nil),
        PhoneVector("john@example.com", "US", nil),
        PhoneVector("+", "US", nil),
        PhoneVector("x12", "US", nil),
        PhoneVector("+1 555 234 5678 📞", "US", nil),
        PhoneVector("📞", "US", nil),
        PhoneVector("555-234-5678 ext", "US", nil),  // a marker without an extension
        PhoneVector("555-234-5678 x123456789", "US", nil),  // nine-digit extension
        PhoneVector("((555)) 234-5678", "US", nil),
        PhoneVector("555) 234-5678", "US", nil),
        PhoneVector("(555 234-5678", "US", nil),
        PhoneVector("+1 +555 234 5678", "US", nil),
        PhoneVector("555+234+5678", "US", nil),
        PhoneVector("Tel: +44 20 7946 0958", "US", "+442079460958", nil, "GB"),
        PhoneVector("tel:+1-555-234-5678;ext=ab", "US", nil),
        PhoneVector("tel:+1-555-234-5678;ext=1 x2", "US", nil),
        PhoneVector("Tel: 555 234 5678 (office)", "US", nil),
        // Digits and punctuation of other scripts.
        PhoneVector("０２０ ７９４６ ０９５８", "GB", "+442079460958", nil, "GB", "GB", "020 7946 0958"),
        PhoneVector("＋４４ ２０ ７９４６ ０９５８", "US", "+442079460958"),
        PhoneVector("٠٢٠ ٧٩٤٦ ٠٩٥٨", "GB", "+442079460958"),
        PhoneVector("०२० ७९४६ ०९५८", "GB", "+442079460958"),
        PhoneVector("555\u{2011}234\u{2011}5678", "US", "+15552345678"),
        PhoneVector("555–234—5678", "US", "+15552345678"),
        PhoneVector("\u{200E}+44 20 7946 0958\u{200E}", "US", "+442079460958"),
        PhoneVector("+44\u{00A0}20\u{00A0}7946\u{00A0}0958", "US", "+442079460958"),
        PhoneVector("\u{FEFF}(02) 1234 5678", "AU", "+61212345678"),
        PhoneVector("０１２３ ４５ ６７ ８９", "FR", "+33123456789", nil, "FR", "FR", "01 23 45 67 89"),
        PhoneVector("５５５－２３４－５６７８ ｘ１２", "US", "+15552345678", "12"),
        // Very long.
        PhoneVector(String(repeating: "1", count: 10_000), "US", nil),
        PhoneVector(String(repeating: "(", count: 10_000), "US", nil),
        PhoneVector(String(repeating: " ", count: 10_000) + "020 7946 0958", "GB", nil),
        PhoneVector("+44 20 7946 0958" + String(repeating: "x1", count: 5_000), "GB", nil),
        PhoneVector(String(repeating: "📞", count: 10_000), "US", nil),
        PhoneVector(String(repeating: "e\u{301}", count: 10_000), "US", nil),
    ]

    @Test("hand-written real-world cases", arguments: handWritten)
    func handWrittenCase(_ vector: PhoneVector) {
        let problems = vector.mismatches()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("vectors generated from libphonenumber")
    func generatedVectors() {
        #expect(PhoneVector.generated.count > 1000)
        let problems = PhoneVector.generated.flatMap { $0.mismatches() }
        #expect(problems.count == 0, "\(problems.prefix(60).joined(separator: "\n"))")
    }

    /// Every input the tests know, plus seeded random garbage and mutations of real numbers.
    static func allInputs() -> [(String, CountryCode)] {
        var generator = SplitMix64(seed: 20_261_129)
        let pieces = [
            "0", "1", "2", "5", "7", "9", "+", "(", ")", "-", ".", " ", "/", "x", "ext", "#", ";ext=", ",", "tel:",
            "A", "z", "📞", "é", "\u{301}", "０", "٣", "\u{200E}", "\u{00A0}", "@", "*", "\n",
        ]
        var inputs: [(String, CountryCode)] = []
        for _ in 0..<3000 {
            let length = Int(generator.next() % 24)
            let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            inputs.append((text, ["US", "GB", "DE", "FR", "AU", "NL", "IE", "IT"][Int(generator.next() % 8)]))
        }
        for vector in handWritten + PhoneVector.generated {
            guard let country = CountryCode(rawValue: vector.defaultCountry) else { continue }
            inputs.append((vector.input, country))
            var scalars = Array(vector.input.unicodeScalars.prefix(40))
            if !scalars.isEmpty {
                let index = Int(generator.next() % UInt64(scalars.count))
                scalars[index] = pieces[Int(generator.next() % UInt64(pieces.count))].unicodeScalars.first ?? "9"
                inputs.append((String(String.UnicodeScalarView(scalars)), country))
            }
        }
        return inputs
    }

    @Test("raw is always the input; unrecognised numbers format to the input unchanged")
    func rawIsKept() {
        var failures: [String] = []
        for (input, country) in Self.allInputs() {
            let number = PhoneNumber(parsing: input, defaultCountry: country)
            if number.raw != input { failures.append("raw changed: '\(input)'") }
            if number.isRecognised {
                let text = number.formattedText(homeCountry: country)
                if !text.isRecognised || text.raw != input { failures.append("formatted text lost: '\(input)'") }
                continue
            }
            if number.extensionNumber != nil || number.country != nil { failures.append("fields set: '\(input)'") }
            for home: CountryCode in ["US", "GB", "DE", "JP", country] {
                if number.formatted(homeCountry: home) != input { failures.append("reformatted: '\(input)'") }
                let text = number.formattedText(homeCountry: home)
                if text != .unrecognised(input) { failures.append("formatted text: '\(input)'") }
            }
        }
        #expect(failures.count == 0, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test("recognised numbers are E.164, and every form shown reads back as the same number")
    func formsReadBack() {
        var failures: [String] = []
        for (input, country) in Self.allInputs() {
            let number = PhoneNumber(parsing: input, defaultCountry: country)
            guard let e164 = number.e164 else { continue }
            let digits = e164.dropFirst()
            if !e164.hasPrefix("+") || !(8...16).contains(e164.count) || !digits.allSatisfy(\.isASCII)
                || !digits.allSatisfy(\.isNumber)
            {
                failures.append("not E.164: \(e164) from '\(input)'")
            }
            for home in [country, "JP", "US"] {
                let shown = number.formatted(homeCountry: home)
                let again = PhoneNumber(parsing: shown, defaultCountry: home)
                if again.e164 != e164 || again.extensionNumber != number.extensionNumber {
                    failures.append("'\(input)' shown in \(home) as '\(shown)' reads as \(again.e164 ?? "nothing")")
                }
            }
        }
        #expect(failures.count == 0, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test("long inputs are refused quickly", arguments: [10_000, 1_000_000])
    func longInputsAreLinear(length: Int) {
        let shapes = [
            String(repeating: "1", count: length), String(repeating: "(", count: length),
            String(repeating: "📞", count: length), "+44 20 7946 0958" + String(repeating: " ", count: length),
            String(repeating: "1-", count: length / 2) + " x12", String(repeating: "e\u{301}", count: length),
        ]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for text in shapes { #expect(!PhoneNumber(parsing: text, defaultCountry: .us).isRecognised) }
        }
        #expect(elapsed < .seconds(2))
    }

    @Test(
        "Codable keeps the reading",
        arguments: ["(555) 234-5678 x12", "+39 06 1234 5678", "+800 1234 5678", "garbage", ""]
    )
    func codableRoundTrip(input: String) throws {
        let number = PhoneNumber(parsing: input, defaultCountry: .us)
        let decoded = try JSONDecoder().decode(PhoneNumber.self, from: JSONEncoder().encode(number))
        #expect(decoded == number)
        #expect(decoded.formatted(homeCountry: "GB") == number.formatted(homeCountry: "GB"))
    }

    @Test(
        "Codable refuses readings the parser could not have made",
        arguments: [
            #"{"raw":"x","e164":"+1555"}"#,
            #"{"raw":"x","e164":"15552345678"}"#,
            #"{"raw":"x","e164":"+15551234567"}"#,
            #"{"raw":"x","e164":"+442079460958","country":"FR"}"#,
            #"{"raw":"x","e164":"+80012345678","country":"US"}"#,
            #"{"raw":"x","e164":"+15552345678","extensionNumber":"12a"}"#,
            #"{"raw":"x","e164":"+15552345678","extensionNumber":""}"#,
            #"{"raw":"x","extensionNumber":"12"}"#,
            #"{"raw":"x","country":"US"}"#,
            #"{"e164":"+15552345678"}"#,
        ]
    )
    func codableRefusesBadData(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PhoneNumber.self, from: Data(json.utf8)) }
    }

    @Test("extension and country read with the number")
    func fieldsOfARecognisedNumber() {
        let number = PhoneNumber(parsing: "+1 (555) 234-5678 ext. 89", defaultCountry: "GB")
        #expect(number.isRecognised)
        #expect(number.raw == "+1 (555) 234-5678 ext. 89")
        #expect(
            number.formattedText(homeCountry: "GB")
                == FormattedText(raw: number.raw, formatted: "+1 555-234-5678 ext. 89", isRecognised: true)
        )
        #expect(number == PhoneNumber(parsing: "+1 (555) 234-5678 ext. 89", defaultCountry: "GB"))
        #expect(number != PhoneNumber(parsing: "+1 (555) 234-5678 ext. 90", defaultCountry: "GB"))
    }
}

/// A small seeded generator (SplitMix64), so random inputs are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
