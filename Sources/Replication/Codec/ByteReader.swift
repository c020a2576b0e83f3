/// A cursor over untrusted bytes that reads varints, fixed-size fields and strings, and throws a
/// ``CodecError`` naming the offset instead of ever reading out of bounds.
///
/// Every read checks the bytes left first; nothing here allocates more than the bytes it has
/// already checked are present.
struct ByteReader {
    private let bytes: [UInt8]
    /// The next position to read.
    private(set) var offset: Int
    /// How offsets are named in messages, e.g. "offset" or "body offset".
    private let region: String

    init(_ bytes: [UInt8], region: String) {
        self.bytes = bytes
        self.offset = 0
        self.region = region
    }

    /// The number of bytes not yet read.
    var remaining: Int { bytes.count - offset }

    /// An error at the current offset, naming it.
    func error(_ code: CodecError.Code, _ what: @autoclosure () -> String, at position: Int? = nil) -> CodecError {
        let at = position ?? offset
        return CodecError(code, at: at, "\(what()) at \(region) \(at)")
    }

    mutating func readByte(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard offset < bytes.count else { throw error(.truncated, "bytes end inside \(what())") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw error(.truncated, "\(what()) needs \(count) bytes but \(remaining) are left")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// An unsigned LEB128 varint of at most 64 bits, in its shortest form.
    mutating func readVarint(_ what: @autoclosure () -> String) throws -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw error(.truncated, "bytes end inside \(what())", at: start) }
            let byte = bytes[offset]
            offset += 1
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 {
                throw error(.malformed, "\(what()) overflows 64 bits", at: start)
            }
            value |= payload << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    throw error(.malformed, "\(what()) is a varint with a redundant trailing zero", at: start)
                }
                return value
            }
            shift += 7
            if shift > 63 { throw error(.malformed, "\(what()) is a varint longer than 10 bytes", at: start) }
        }
    }

    /// A zigzag-coded signed varint.
    mutating func readSignedVarint(_ what: @autoclosure () -> String) throws -> Int64 {
        Varint.unzigzag(try readVarint(what()))
    }

    /// A varint that must be below `bound`, returned as an `Int` (an index or a count).
    mutating func readIndex(_ what: @autoclosure () -> String, below bound: Int) throws -> Int {
        let start = offset
        let value = try readVarint(what())
        guard value < UInt64(max(bound, 0)) else {
            throw error(.malformed, "\(what()) \(value) is out of range (there are \(bound))", at: start)
        }
        return Int(value)
    }

    /// A count that must be at most `limit` (else `.tooLarge`, naming `limitName`).
    mutating func readCount(_ what: @autoclosure () -> String, limit: Int) throws -> Int {
        let start = offset
        let value = try readVarint(what())
        guard value <= UInt64(max(limit, 0)) else {
            throw error(.tooLarge, "\(what()) \(value) is over the limit of \(limit)", at: start)
        }
        return Int(value)
    }

    /// A length-prefixed UTF-8 string of at most `maxBytes` bytes.
    mutating func readString(_ what: @autoclosure () -> String, maxBytes: Int) throws -> String {
        let start = offset
        let length = try readCount("length of \(what())", limit: maxBytes)
        let utf8 = try readBytes(length, what())
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw error(.malformed, "\(what()) is not valid UTF-8", at: start)
        }
        return text
    }

    /// Throws unless every byte was read.
    func expectEnd(_ what: @autoclosure () -> String) throws {
        guard remaining == 0 else { throw error(.malformed, "\(remaining) trailing bytes after \(what())") }
    }
}
