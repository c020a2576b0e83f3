import Model
import Testing

/// How search folds text and reads a phone query: the same folding on both sides, in every
/// script; a phone query's digits in each form a stored number may hold them.
@Suite("Search text: folding and phone digits")
struct SearchTextTests {
    @Test(
        "case, accents and width fold away in every script",
        arguments: [
            ("MÜLLER", "muller"), ("Müller", "muller"), ("ΑΘΗΝΑ", "αθηνα"), ("Αθήνα", "αθηνα"),
            ("ЁЛКИН", "елкин"), ("Пётр", "петр"), ("ＡＢＣ１２３", "abc123"), ("Ærø", "ærø"),
        ]
    )
    func folding(_ text: String, _ folded: String) {
        #expect(SearchFolding.fold(text) == folded)
        #expect(SearchFolding.fold(folded) == folded)
    }

    @Test func categoriesFoldCaseOnly() {
        #expect(SearchFolding.foldCase("VIP") == SearchFolding.foldCase("vip"))
        #expect(SearchFolding.foldCase("ÄRZTE") == SearchFolding.foldCase("ärzte"))
        #expect(SearchFolding.foldCase("Café") != SearchFolding.foldCase("cafe"))
    }

    @Test func digitsOfAnyScript() {
        #expect(PhoneDigits.of("(555) 123-4567") == "5551234567")
        #expect(PhoneDigits.of("+1 555.123.4567 x 12") == "1555123456712")
        #expect(PhoneDigits.of("٥٥٥ ١٢٣") == "555123")
        #expect(PhoneDigits.of("no digits") == "")
    }

    @Test(
        "a phone query's forms",
        arguments: [
            ("5551234567", ["5551234567"]),
            ("555 123", ["555123"]),
            ("+1 (555) 123-4567", ["15551234567", "5551234567"]),
            ("0049 30 901820", ["004930901820", "30901820"]),
            ("030 901820", ["030901820", "30901820"]),
            ("(555) 987", ["555987"]),
        ]
    )
    func phoneQuery(_ query: String, _ forms: [String]) {
        #expect(PhoneDigits.queryForms(query) == forms)
    }

    @Test("not a phone query", arguments: ["Müller", "55", "555 main street", "", "4711 Ltd", "+"])
    func notAPhoneQuery(_ query: String) {
        #expect(PhoneDigits.queryForms(query).isEmpty)
    }
}
