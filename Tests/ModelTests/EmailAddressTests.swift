import Foundation
import Model
import Testing

@Suite("E-mail addresses")
struct EmailAddressTests {
    static let valid: [(String, String)] = [
        ("john@example.com", "john@example.com"),
        ("  John.Smith@EXAMPLE.COM  ", "John.Smith@example.com"),
        ("\tjohn@example.com\n", "john@example.com"),
        ("o'brien+crm@mail.example.co.uk", "o'brien+crm@mail.example.co.uk"),
        ("user.name+tag-1@sub-domain.example.org", "user.name+tag-1@sub-domain.example.org"),
        ("!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com"),
        ("x@x.io", "x@x.io"),
        ("user@123.example.com", "user@123.example.com"),
        ("John Smith <john.smith@Example.com>", "john.smith@example.com"),
        ("\"Smith, John\" <JS@acme.DE>", "JS@acme.de"),
        ("<info@acme.com>", "info@acme.com"),
        ("mailto:info@Acme.com", "info@acme.com"),
        ("MAILTO:sales@acme.com", "sales@acme.com"),
        ("kontakt@bücher.de", "kontakt@bücher.de"),
        ("info@MÜNCHEN.DE", "info@münchen.de"),
        ("почта@пример.рф", "почта@пример.рф"),
        ("用户@例子.广告", "用户@例子.广告"),
        (String(repeating: "a", count: 64) + "@example.com", String(repeating: "a", count: 64) + "@example.com"),
    ]

    @Test("accepts and normalises", arguments: valid)
    func accepts(_ input: String, _ expected: String) throws {
        let address = try EmailAddress(parsing: input)
        #expect(address.value == expected)
        #expect(address.description == expected)
        #expect(try EmailAddress(parsing: address.value) == address)
    }

    static let invalid: [String] = [
        "",
        "   ",
        "john",
        "john.example.com",
        "john@",
        "@example.com",
        "john@@example.com",
        "a@b@example.com",
        "john@example",
        "john@localhost",
        "john doe@example.com",
        "\"john doe\"@example.com",
        ".john@example.com",
        "john.@example.com",
        "jo..hn@example.com",
        "john@example..com",
        "john@.example.com",
        "john@example.com.",
        "john@-example.com",
        "john@example-.com",
        "john@exa_mple.com",
        "john@exam ple.com",
        "john@[192.0.2.1]",
        "john@192.0.2.1",
        "john(work)@example.com",
        "john@example.com>",
        "John <>",
        "mailto:",
        "mailto:john@example.com?subject=hi",
        "john@😀.com",
        "😀@example.com",
        "jöhn\u{200B}@example.com",
        String(repeating: "a", count: 65) + "@example.com",
        "john@" + String(repeating: "a", count: 64) + ".com",
        "john@" + Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".") + ".com",
        String(repeating: "x", count: 10_000),
        "john@" + String(repeating: "x", count: 10_000) + ".com",
    ]

    @Test("refuses with .invalidEmail", arguments: invalid)
    func refuses(_ input: String) {
        let error = #expect(throws: ModelError.self) { try EmailAddress(parsing: input) }
        #expect(error?.code == .invalidEmail)
        #expect(error?.message.hasPrefix("not an e-mail address: '") == true)
        #expect(error.map { !$0.message.contains("\n") } == true)
    }

    @Test(
        "the message says why",
        arguments: [
            ("john", "it has no @"),
            ("a@b@example.com", "it has more than one @"),
            ("john@example", "the domain has no dot"),
            ("john doe@example.com", "the part before the @ holds a space"),
            ("\"john doe\"@example.com", "quoted names before the @ are not accepted"),
            ("john@example-.com", "the domain part 'example-' starts or ends with a hyphen"),
            ("john@exa_mple.com", "the domain holds '_'"),
        ]
    )
    func messages(_ input: String, _ why: String) {
        let error = #expect(throws: ModelError.self) { try EmailAddress(parsing: input) }
        #expect(error?.message == "not an e-mail address: '\(input)': \(why)")
    }

    @Test("a very long text is cut short in the message")
    func longMessage() {
        let error = #expect(throws: ModelError.self) {
            try EmailAddress(parsing: String(repeating: "x", count: 10_000))
        }
        #expect((error?.message.count ?? .max) < 200)
    }

    @Test("encodes as a plain string and checks when decoding")
    func codable() throws {
        let address = try EmailAddress(parsing: "John <John.Smith@EXAMPLE.com>")
        let data = try JSONEncoder().encode([address])
        #expect(String(decoding: data, as: UTF8.self) == #"["John.Smith@example.com"]"#)
        #expect(try JSONDecoder().decode([EmailAddress].self, from: data) == [address])
        let decoded = try JSONDecoder().decode([EmailAddress].self, from: Data(#"[" a@B.org "]"#.utf8))
        #expect(decoded.map(\.value) == ["a@b.org"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([EmailAddress].self, from: Data(#"["not an address"]"#.utf8))
        }
    }

    @Test("the local part keeps its case, so addresses differing in it are different")
    func localPartCase() throws {
        #expect(try EmailAddress(parsing: "John@example.com") != EmailAddress(parsing: "john@example.com"))
        #expect(try EmailAddress(parsing: "john@EXAMPLE.com") == EmailAddress(parsing: "john@example.com"))
    }
}
