import Foundation
import Model
import Testing

/// Formatting never loses a character a user typed: whatever the input, every rule keeps it
/// exactly as `raw`, and text a rule does not understand is shown exactly as typed.
@Suite("formatting loses no text")
struct NoTextLostPropertyTests {
    /// A small deterministic generator (SplitMix64), so a failing case replays from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Pieces real input is made of, plus the unpleasant ones.
    static let alphabet: [String] = [
        "a", "Z", "m", "Mc", "O'", "van", "de", "la", "ß", "é", "Ø", "ł", "日本", "Ж", "ω", "🙂", "👩‍👩‍👧", "\u{301}",
        "0", "1", "5", "9", "+", "(", ")", "-", ".", ",", ";", ":", "#", "x", "ext", "@", "/", "\\", "\"", "'",
        " ", "  ", "\t", "\n", "\r\n", "\u{00A0}", "\u{200B}", "\u{FEFF}", "\u{0}",
        "mr", "DR.", "ceo", "vp of it", "JOHN", "smith", "st", "Street", "Apt 4B", "PO Box 12", "springfield",
        "il", "IL", "Illinois", "62704", "SW1A 1AA", "London", "UK", "Deutschland", "10115", "Berlin",
        "75008 Paris", "1012 AB", "NSW", "2000", "K1A 0B1", "Ontario", "Dublin", "D02 X285",
        "(555) 123-4567", "+44 20 7946 0958", "0044", "1-800-FLOWERS", "x12",
    ]

    static func randomText(_ rng: inout SplitMix) -> String {
        let length = Int(rng.next() % 24)
        var text = ""
        for _ in 0..<length { text += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        return text
    }

    static let countries: [CountryCode] = ["US", "CA", "GB", "IE", "AU", "DE", "FR", "NL"]

    @Test(arguments: 0..<40)
    func everyRuleKeepsTheInputExactly(seed: Int) {
        var rng = SplitMix(state: UInt64(seed) &* 7919 &+ 1)
        for _ in 0..<50 {
            let text = Self.randomText(&rng)
            let country = Self.countries[Int(rng.next() % UInt64(Self.countries.count))]
            for formatted in [
                PersonNameFormatter.format(text), SalutationFormatter.format(text), JobTitleFormatter.format(text),
            ] {
                #expect(formatted.raw == text, "seed \(seed): raw changed for \(text.debugDescription)")
                if !formatted.isRecognised { #expect(formatted.formatted == text, "seed \(seed)") }
            }
            let address = Address(parsing: text, defaultCountry: country)
            #expect(address.raw == text, "seed \(seed): address raw changed for \(text.debugDescription)")
            if !address.isRecognised {
                #expect(
                    Self.visible(address.formattedLines.joined()) == Self.visible(text),
                    "seed \(seed): an unrecognised address lost text: \(text.debugDescription)"
                )
            }
            let phone = PhoneNumber(parsing: text, defaultCountry: country)
            #expect(phone.raw == text, "seed \(seed): phone raw changed for \(text.debugDescription)")
            if !phone.isRecognised { #expect(phone.formatted(homeCountry: country) == text, "seed \(seed)") }
            // Whatever is stored survives a round trip through its stored form.
            if let data = try? JSONEncoder().encode(address),
                let back = try? JSONDecoder().decode(Address.self, from: data)
            {
                #expect(back.raw == text)
            } else {
                Issue.record("seed \(seed): address of \(text.debugDescription) does not round-trip")
            }
            if let data = try? JSONEncoder().encode(phone),
                let back = try? JSONDecoder().decode(PhoneNumber.self, from: data)
            {
                #expect(back.raw == text)
            } else {
                Issue.record("seed \(seed): phone of \(text.debugDescription) does not round-trip")
            }
        }
    }

    @Test func anEmailIsEitherAcceptedWithItsLettersOrRefused() {
        var rng = SplitMix(state: 42)
        for _ in 0..<2000 {
            let text = Self.randomText(&rng) + (rng.next() % 2 == 0 ? "@example.com" : "")
            if let email = try? EmailAddress(parsing: text) {
                #expect(email.value.lowercased() == email.value.lowercased().trimmingCharacters(in: .whitespaces))
                #expect(
                    text.lowercased().contains(email.value.lowercased()) || text.contains("<")
                        || text.lowercased().contains("mailto:")
                )
            }
        }
    }

    /// The text without whitespace and line breaks: what must survive any re-lining.
    private static func visible(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }
}
