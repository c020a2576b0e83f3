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

extension JournalRecord {
    /// Parses the record's JSON with `JSONSerialization` (the apply path's hot spot: several
    /// times faster than `JSONDecoder` here). `nil` when a field is missing or mistyped.
    init?(json: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
            let customerId = object["customerId"] as? String, let at = object["at"] as? String,
            let kind = object["kind"] as? String, let parties = object["parties"] as? String,
            let notes = object["notes"] as? String, let author = object["author"] as? String
        else { return nil }
        let corrects = object["corrects"]
        guard corrects == nil || corrects is String || corrects is NSNull else { return nil }
        self.init(
            customerId: customerId,
            at: at,
            kind: kind,
            parties: parties,
            notes: notes,
            author: author,
            corrects: corrects as? String
        )
    }
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
