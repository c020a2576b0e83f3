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
    /// The contact reached (a collection call names one).
    var contact: String?
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

/// A document's withdrawal: which document, why, when and by whom.
struct DocumentWithdrawalRecord: Codable, Equatable {
    var document: String
    var reason: String
    var withdrawnAt: String
    var withdrawnBy: String
}

/// A customer merged into another: which is kept, which was the duplicate, when, by whom.
struct CustomerMergeRecord: Codable, Equatable {
    var keep: String
    var duplicate: String
    var mergedAt: String
    var mergedBy: String
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

    /// A list member of a record as the JSON text its column stores: keys sorted, no white
    /// space, strings escaped as JSONSerialization escapes them (without escaping `/`).
    static func text(ofList elements: [RecordMember]) -> String {
        var out = ""
        append(.array(elements), to: &out)
        return out
    }

    private static func append(_ member: RecordMember, to out: inout String) {
        switch member {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.description
        case .string(let text): appendString(text, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                append(element, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                append(members[key]!, to: &out)
            }
            out += "}"
        }
    }

    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// An office's revocation of a node, as carried in a `record` change: signed by the office.
///
/// `seen` is the revoker's version vector restricted to the revoked node's origins when it
/// revoked it (`{"ORIGIN": seq, ...}`): the revoked node's changes numbered beyond it, and
/// every change of an origin it does not name, count as made after the revocation.
/// `certificate` is the revoker's certificate (base64 DER; its SHA-256 digest is `revokedBy`)
/// and `signature` the revoker's signature (base64) over ``signedBytes``.
struct RevocationRecord: Codable, Equatable {
    var node: String
    var reason: String
    var revokedAt: String
    var revokedBy: String
    var seen: String
    var certificate: String
    var signature: String

    /// What the revoker signs: a fixed label, then each member that is not the signature as
    /// its UTF-8 length in decimal, a colon and its bytes (so no member can run into the next).
    static func signedBytes(node: String, reason: String, revokedAt: String, revokedBy: String, seen: String)
        -> [UInt8]
    {
        var bytes = Array("nextsoft revocation 1\n".utf8)
        for member in [node, reason, revokedAt, revokedBy, seen] {
            bytes += Array("\(member.utf8.count):".utf8) + Array(member.utf8)
        }
        return bytes
    }

    var signedBytes: [UInt8] {
        Self.signedBytes(node: node, reason: reason, revokedAt: revokedAt, revokedBy: revokedBy, seen: seen)
    }

    /// The record in a change's parsed JSON; `nil` when a member is missing or not a string.
    init?(_ object: [String: Any]) {
        guard let node = object["node"] as? String, let reason = object["reason"] as? String,
            let revokedAt = object["revokedAt"] as? String, let revokedBy = object["revokedBy"] as? String,
            let seen = object["seen"] as? String, let certificate = object["certificate"] as? String,
            let signature = object["signature"] as? String
        else { return nil }
        self.init(
            node: node,
            reason: reason,
            revokedAt: revokedAt,
            revokedBy: revokedBy,
            seen: seen,
            certificate: certificate,
            signature: signature
        )
    }

    init(
        node: String,
        reason: String,
        revokedAt: String,
        revokedBy: String,
        seen: String,
        certificate: String,
        signature: String
    ) {
        self.node = node
        self.reason = reason
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.seen = seen
        self.certificate = certificate
        self.signature = signature
    }
}
