import Foundation
import Testing

@testable import Node

/// The rules of the import and export shapes, without a node: list cells, quoting, line
/// numbers, the duplicate rule.
@Suite("Import and export shapes")
struct ExchangeTests {
    @Test func listCellsSplitOnlyAtUnescapedSemicolons() {
        let elements = ["mobile: 555;99", "C:\\temp", "a\\;b", "plain"]
        let cell = ListField.join(elements)
        #expect(cell == "mobile: 555\\;99;C:\\\\temp;a\\\\\\;b;plain")
        #expect(ListField.split(cell) == elements)
        #expect(ListField.split(" a ; ;b;") == ["a", "b"])
        #expect(ListField.split("C:\\x") == ["C:\\x"])
        #expect(ListField.split("") == [])
    }

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(CSVText.field("plain text") == "plain text")
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.record(["a", "b\rc"]) == "a,\"b\rc\"\r\n")
    }

    static func scan(_ text: String, chunk: Int = 1) -> (String?, CSVQuoteScanner) {
        var scanner = CSVQuoteScanner()
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            scanner.scan(bytes[start..<min(start + chunk, bytes.count)])
        }
        return (scanner.finish(), scanner)
    }

    @Test func theQuoteScannerFindsUnclosedAndMisplacedQuotes() {
        #expect(Self.scan("a,b\r\n\"x\r\ny\",\"q\"\"q\"\r\n5\" screen,z\n").0 == nil)
        let unclosed = Self.scan("name\r\nok\r\n\"two\r\nlines\"\r\n\"never\r\nclosed\r\n")
        #expect(unclosed.0?.hasPrefix("line 5:") == true, "\(unclosed.0 ?? "")")
        let misplaced = Self.scan("name\n\"a\"b\n", chunk: 3)
        #expect(misplaced.0?.hasPrefix("line 2:") == true)
    }

    @Test func csvRecordsAreNumberedByTheLineTheyStartOn() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("exchange-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = "name,notes,email\r\nA,\"one\r\ntwo\rthree\ninfo\",\r\nB,,bad\r\n\r\nC,\"x\",\r\n"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: file)
        let source = try CSVImport.read(file)
        #expect(source.items.map(\.line) == [2, 6, 8])
        #expect(source.items.map(\.customer.name) == ["A", "B", "C"])
        #expect(source.items.first?.customer.notes == "one\r\ntwo\rthree\ninfo")
    }

    @Test func jsonElementsAreNumberedByTheLineTheyStartOn() {
        let text = "[\n  {\"name\": \"a\\\"]\",\n   \"contacts\": [{}]},\n\n  {\"name\": \"b\"}, {\"name\": \"c\"}\n]"
        #expect(JSONImport.elementLines(Data(text.utf8)) == [2, 5, 5])
        #expect(JSONImport.elementLines(Data("[]".utf8)) == [])
    }

    @Test func duplicatesShareANameAndAPhoneOrAnEmail() {
        var index = DuplicateIndex()
        let acme = ExchangeCustomer(
            name: "Acme Ltd",
            phone: "(555) 123-4567",
            contacts: [ExchangeContact(name: "Jane", emails: [.init(label: "work", email: "Jane@ACME.example")])]
        )
        index.insert(DuplicateIndex.identity(of: acme, label: "acme"))
        let samePhone = ExchangeCustomer(name: " ACME LTD ", phone: "555.123.4567")
        let sameEmail = ExchangeCustomer(name: "acme ltd", email: "jane@acme.example")
        let otherName = ExchangeCustomer(name: "Acme Inc", phone: "555 123 4567")
        let nameOnly = ExchangeCustomer(name: "Acme Ltd", phone: "555 0000")
        #expect(index.match(DuplicateIndex.identity(of: samePhone, label: "x"))?.shared.contains("5551234567") == true)
        #expect(
            index.match(DuplicateIndex.identity(of: sameEmail, label: "x"))?.shared.contains("jane@acme.example")
                == true
        )
        #expect(index.match(DuplicateIndex.identity(of: otherName, label: "x")) == nil)
        #expect(index.match(DuplicateIndex.identity(of: nameOnly, label: "x")) == nil)
    }

    @Test func aCustomerIsOneRowPerContact() {
        let customer = ExchangeCustomer(
            id: "c1",
            name: "Acme",
            categories: ["a;b", "c"],
            industry: "Retail",
            size: "10-49",
            contacts: [
                ExchangeContact(name: "Jane", phones: [.init(label: "fax", number: "555;99")]),
                ExchangeContact(name: "Joe"),
            ]
        )
        #expect(customer.rows.count == 2)
        #expect(customer.rows.allSatisfy { $0.count == ExchangeColumn.allCases.count })
        #expect(customer.rows[0][2] == "a\\;b;c")
        func column(_ column: ExchangeColumn) -> Int { ExchangeColumn.allCases.firstIndex(of: column)! }
        #expect(customer.rows[0][column(.contactPhones)] == "fax: 555\\;99")
        #expect(customer.rows.allSatisfy { $0[column(.industry)] == "Retail" && $0[column(.size)] == "10-49" })
        #expect(customer.rows[1][column(.source)] == "")
        #expect(
            ExchangeCustomer(name: "Lone").rows == [
                ["", "Lone"] + Array(repeating: "", count: ExchangeColumn.allCases.count - 2)
            ]
        )
    }
}
