/// A bounds-checked cursor over the bytes of a bundle file.
///
/// Every read checks that the bytes are there first and throws ``BundleError`` `.truncated`
/// naming the field and its offset otherwise; nothing here can trap on any input.
struct BundleReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// How many bytes are left after the cursor.
    var remaining: Int { bytes.count - offset }

    mutating func readUInt8(_ field: String) throws -> UInt8 {
        UInt8(try readBigEndian(1, field))
    }

    mutating func readUInt16(_ field: String) throws -> UInt16 {
        UInt16(try readBigEndian(2, field))
    }

    mutating func readUInt32(_ field: String) throws -> UInt32 {
        UInt32(try readBigEndian(4, field))
    }

    mutating func readUInt64(_ field: String) throws -> UInt64 {
        try readBigEndian(8, field)
    }

    /// Reads `count` bytes; `count` may be any value, however large, taken from the file.
    mutating func readBytes(_ count: UInt64, _ field: String) throws -> ArraySlice<UInt8> {
        guard count <= UInt64(remaining) else {
            throw BundleError(
                .truncated,
                "the bundle ends inside the \(field) at offset \(offset): \(count) bytes announced, \(remaining) left"
            )
        }
        let start = offset
        offset += Int(count)
        return bytes[start..<offset]
    }

    private mutating func readBigEndian(_ width: UInt64, _ field: String) throws -> UInt64 {
        try readBytes(width, field).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Appends big-endian integers and byte runs to a bundle being written.
struct BundleWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func write(_ value: UInt16) {
        writeBigEndian(UInt64(value), width: 2)
    }

    mutating func write(_ value: UInt32) {
        writeBigEndian(UInt64(value), width: 4)
    }

    mutating func write(_ value: UInt64) {
        writeBigEndian(value, width: 8)
    }

    mutating func write(contentsOf run: some Collection<UInt8>) {
        bytes.append(contentsOf: run)
    }

    private mutating func writeBigEndian(_ value: UInt64, width: Int) {
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }
}
