import Model
import Testing

/// The name a folder shows for a file name's bytes: UTF-8 when it is, else Latin-1 with the C1
/// controls as U+FFFD.
@Suite("Document names from file-name bytes")
struct DocumentFileNameTests {
    @Test func utf8IsKeptAndLatin1IsRead() {
        #expect(Document.fileName(fromBytes: Array("café invoice.pdf".utf8)) == "café invoice.pdf")
        #expect(
            Document.fileName(fromBytes: Array("caf".utf8) + [0xE9] + Array(" invoice.pdf".utf8)) == "café invoice.pdf"
        )
        #expect(
            Document.fileName(fromBytes: [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x2E, 0x74, 0x78, 0x74]) == "Müller.txt"
        )
        #expect(Document.fileName(fromBytes: [0x61, 0x80, 0x9F, 0xA0, 0xFF]) == "a\u{FFFD}\u{FFFD}\u{A0}ÿ")
        #expect(Document.fileName(fromBytes: [UInt8]()) == "")
    }

    @Test func everyByteStringGetsANameWithoutNewControlCharacters() {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            let name = Document.fileName(fromBytes: [0x78, byte])
            #expect(name.unicodeScalars.count == 2)
            #expect(!name.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
    }
}
