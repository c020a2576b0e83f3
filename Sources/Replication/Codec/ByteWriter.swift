/// Builds bytes for the codecs: varints, zigzag varints, fixed fields and length-prefixed
/// strings, the exact inverse of ``ByteReader``.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func writeBytes(_ more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// An unsigned LEB128 varint in its shortest form.
    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func writeVarint(_ value: Int) {
        writeVarint(UInt64(value))
    }

    mutating func writeSignedVarint(_ value: Int64) {
        writeVarint(Varint.zigzag(value))
    }

    /// The UTF-8 length as a varint, then the UTF-8 bytes.
    mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            writeVarint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Zigzag mapping of signed to unsigned integers, so that small magnitudes of either sign make
/// short varints: 0, -1, 1, -2, 2, ... become 0, 1, 2, 3, 4, ...
enum Varint {
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// The signed difference `value - previous`, wrapping: `previous &+ UInt64(bitPattern:)` of
    /// it gives `value` back for any pair.
    static func delta(_ value: UInt64, from previous: UInt64) -> Int64 {
        Int64(bitPattern: value &- previous)
    }

    static func apply(_ delta: Int64, to previous: UInt64) -> UInt64 {
        previous &+ UInt64(bitPattern: delta)
    }
}
