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

/// A node's new incarnation: the origin its writes carry from now on, and why.
struct IncarnationRecord: Codable, Equatable {
    var node: String
    var origin: String
    var previousOrigin: String
    var reason: String
    var startedAt: String
}

/// An office's decision on a held change, as carried in a `record` change.
struct HeldDecisionRecord: Codable, Equatable {
    var origin: String
    var seq: Int64
    var decision: String
    var reason: String
    var decidedAt: String
    var decidedBy: String
}

enum RecordJSON {
    /// A record's JSON as an object; `nil` for anything else. The apply path parses each
    /// record once (the gate hands its object to the materializer).
    static func object(_ text: String?) -> [String: Any]? {
        guard let text else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
