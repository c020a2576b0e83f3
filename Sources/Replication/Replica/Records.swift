import Foundation

/// A journal entry as carried in a `record` change: JSON with sorted keys.
struct JournalRecord: Codable, Equatable {
    var customerId: String
    var at: String
    var kind: String
    var parties: String
    var notes: String
    var author: String
    var corrects: String?
}

/// A document's metadata as carried in a `record` change: JSON with sorted keys.
struct DocumentRecord: Codable, Equatable {
    var customerId: String
    var title: String
    var fileName: String
    var mediaType: String
    var size: Int64
    var digest: String
    var addedAt: String
    var addedBy: String
}

enum RecordJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
