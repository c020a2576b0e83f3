import Crypto
import Foundation

/// The id of a node: the SHA-256 digest of its certificate, in a form a person can read aloud.
///
/// The text form follows syncthing's device ids: the 32 bytes in base32 (RFC 4648, no
/// padding), split into four groups of 13 characters, each followed by a Luhn mod-32 check
/// character, then written as eight groups of seven joined by dashes:
/// `MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD`.
/// Parsing accepts any case, with or without dashes or spaces, and rejects a mistyped id by
/// its check characters.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The 32 digest bytes.
    public let digest: [UInt8]
    /// The text form, made once: every stored change and peer row names its node in text.
    public let description: String

    /// Wraps 32 digest bytes; traps on any other length (a programming error).
    public init(digest: some Collection<UInt8>) {
        precondition(digest.count == 32, "a node id is 32 bytes")
        self.digest = Array(digest)
        self.description = NodeID.text(of: self.digest)
    }

    /// The node id of a certificate, given its DER bytes.
    public init(certificateDER: some DataProtocol) {
        self.init(digest: Array(SHA256.hash(data: certificateDER)))
    }

    /// Parses the text form; `nil` for anything that is not a well-formed id with right check
    /// characters.
    public init?(_ text: String) {
        let cleaned = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard cleaned.count == 56 else { return nil }
        let chars = Array(cleaned)
        var payload = ""
        for group in 0..<4 {
            let body = String(chars[(group * 14)..<(group * 14 + 13)])
            let check = chars[group * 14 + 13]
            guard let expected = NodeID.luhnBase32(body), expected == check else { return nil }
            payload += body
        }
        guard let bytes = NodeID.base32Decode(payload), bytes.count == 32 else { return nil }
        self.digest = bytes
        self.description = NodeID.text(of: bytes)
    }

    static func text(of digest: [UInt8]) -> String {
        let base = NodeID.base32Encode(digest)  // 52 characters
        let chars = Array(base)
        var withChecks = ""
        for group in 0..<4 {
            let body = String(chars[(group * 13)..<(group * 13 + 13)])
            withChecks += body
            withChecks.append(NodeID.luhnBase32(body)!)
        }
        let all = Array(withChecks)
        return stride(from: 0, to: 56, by: 7).map { String(all[$0..<($0 + 7)]) }.joined(separator: "-")
    }

    /// The first seven characters: enough to tell the nodes of one office apart in a table.
    public var short: String { String(description.prefix(7)) }

    /// 64 bits of the digest, used to make this node's entity ids unique.
    public var discriminator: UInt64 {
        digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    public static func == (lhs: NodeID, rhs: NodeID) -> Bool { lhs.digest == rhs.digest }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        lhs.digest.lexicographicallyPrecedes(rhs.digest)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = NodeID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a node id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: base32 and Luhn

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    private static func codepoint(_ char: Character) -> Int? {
        guard let ascii = char.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(ascii - UInt8(ascii: "A"))
        case UInt8(ascii: "2")...UInt8(ascii: "7"): return Int(ascii - UInt8(ascii: "2")) + 26
        default: return nil
        }
    }

    static func luhnBase32(_ text: String) -> Character? {
        var factor = 1
        var sum = 0
        for char in text {
            guard let point = codepoint(char) else { return nil }
            var addend = factor * point
            factor = factor == 2 ? 1 : 2
            addend = addend / 32 + addend % 32
            sum += addend
        }
        return alphabet[(32 - sum % 32) % 32]
    }

    static func base32Encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    static func base32Decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for char in text {
            guard let point = codepoint(char) else { return nil }
            buffer = (buffer << 5) | point
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}
