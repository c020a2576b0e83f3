import Foundation

/// The id of a thing in a customer folder: a customer, a contact, a journal entry, a document.
///
/// Ids are made on any node without coordination and never collide across nodes. The 128 bits
/// are laid out as a UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, the version, 12 bits of a
/// per-millisecond counter, the variant, then 4 more counter bits and 58 bits that identify the
/// node that made the id. A node never reuses a (millisecond, counter) pair (its hybrid logical
/// clock is monotonic and persisted), and two nodes differ in their 58 node bits, so ids are
/// unique; they sort by creation time.
///
/// The text form is the canonical lower-case UUID (`0193a5c4-2f00-7000-8000-1a2b3c4d5e6f`).
public struct EntityID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The most significant 64 bits.
    public let high: UInt64
    /// The least significant 64 bits.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Makes the id for the write stamped (`milliseconds`, `counter`) on the node whose
    /// discriminator is `node` (only its low 58 bits are used).
    public init(milliseconds: UInt64, counter: UInt16, node: UInt64) {
        let ms = milliseconds & 0xFFFF_FFFF_FFFF
        let counterHigh = UInt64(counter >> 4) & 0xFFF
        let counterLow = UInt64(counter & 0xF)
        self.high = (ms << 16) | (0x7 << 12) | counterHigh
        self.low = (0b10 << 62) | (counterLow << 58) | (node & 0x03FF_FFFF_FFFF_FFFF)
    }

    /// Parses the canonical text form (any case). `nil` for anything else.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var value: [UInt8] = []
        value.reserveCapacity(32)
        for (index, byte) in utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = EntityID.nibble(byte) else { return nil }
            value.append(nibble)
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for nibble in value[0..<16] { high = high << 4 | UInt64(nibble) }
        for nibble in value[16..<32] { low = low << 4 | UInt64(nibble) }
        self.high = high
        self.low = low
    }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// Rebuilds an id from the 16 bytes of ``bytes``.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.high = high
        self.low = low
    }

    /// The Unix milliseconds at which the id was made.
    public var milliseconds: UInt64 { high >> 16 }

    public var description: String {
        // Hot: every stored change names its entity in text. Built byte by byte, no
        // intermediate strings.
        String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for nibbleIndex in 0..<32 {
                if nibbleIndex == 8 || nibbleIndex == 12 || nibbleIndex == 16 || nibbleIndex == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibbleIndex < 16 ? high : low
                let shift = UInt64(60 - 4 * (nibbleIndex % 16))
                buffer[position] = digits.utf8Start[Int((word >> shift) & 0xF)]
                position += 1
            }
            return position
        }
    }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EntityID(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an id: \(text)")
            )
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
