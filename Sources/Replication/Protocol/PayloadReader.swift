import NIOCore

/// A cursor over one untrusted frame payload that reads the protocol's fields and throws a
/// ``ProtocolError`` naming the message, the field and the payload offset instead of ever
/// reading out of bounds.
///
/// Every read checks the bytes left first; nothing here allocates more than bytes already
/// known to be present.
struct PayloadReader {
    private var buffer: ByteBuffer
    private let start: Int
    /// The message being read, for error messages ("hello", "blob chunk").
    private let message: String

    init(_ buffer: ByteBuffer, message: String) {
        self.buffer = buffer
        self.start = buffer.readerIndex
        self.message = message
    }

    /// The number of bytes not yet read.
    var remaining: Int { buffer.readableBytes }

    /// A `.malformed` error at the current offset.
    func malformed(_ what: String) -> ProtocolError {
        ProtocolError(.malformed, "\(message): \(what) at payload offset \(buffer.readerIndex - start)")
    }

    mutating func readByte(_ what: String) throws -> UInt8 {
        guard let byte = buffer.readInteger(as: UInt8.self) else { throw malformed("the bytes end inside \(what)") }
        return byte
    }

    mutating func readUInt16(_ what: String) throws -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw malformed("the bytes end inside \(what)")
        }
        return value
    }

    mutating func readBytes(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, count <= remaining, let bytes = buffer.readBytes(length: count) else {
            throw malformed("\(what) needs \(count) bytes but \(remaining) are left")
        }
        return bytes
    }

    /// Every byte not yet read.
    mutating func readRest() -> [UInt8] {
        buffer.readBytes(length: remaining) ?? []
    }

    /// An unsigned LEB128 varint of at most 64 bits, in its shortest form.
    mutating func readVarint(_ what: String) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte(what)
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 { throw malformed("\(what) overflows 64 bits") }
            value |= payload << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw malformed("\(what) is a varint with a redundant trailing zero") }
                return value
            }
            shift += 7
            if shift > 63 { throw malformed("\(what) is a varint longer than 10 bytes") }
        }
    }

    /// A count of items of at least `itemBytes` bytes each: at most `limit`, and no more than
    /// the bytes left can hold.
    mutating func readCount(_ what: String, limit: Int, itemBytes: Int) throws -> Int {
        let value = try readVarint(what)
        guard value <= UInt64(limit) else { throw malformed("\(what) \(value) is over the limit of \(limit)") }
        guard Int(value) * itemBytes <= remaining else {
            throw malformed("\(what) \(value) needs more than the \(remaining) bytes left")
        }
        return Int(value)
    }

    /// A varint byte count then that many bytes of valid UTF-8, at most `maxBytes` of them.
    mutating func readString(_ what: String, maxBytes: Int) throws -> String {
        let length = try readCount("length of \(what)", limit: maxBytes, itemBytes: 1)
        let utf8 = try readBytes(length, what)
        guard let text = String(validating: utf8, as: UTF8.self) else { throw malformed("\(what) is not valid UTF-8") }
        return text
    }

    mutating func readNodeID(_ what: String) throws -> NodeID {
        NodeID(digest: try readBytes(32, what))
    }

    /// 32 raw bytes, returned as 64 lower-case hex characters.
    mutating func readDigest(_ what: String) throws -> String {
        DigestHex.hex(try readBytes(32, what))
    }

    /// A version vector: a count, then (node id, seq) with node ids strictly increasing and
    /// every seq at least 1.
    mutating func readVector(_ what: String) throws -> VersionVector {
        let count = try readCount("entry count of \(what)", limit: SyncLimits.maxVectorEntries, itemBytes: 33)
        var entries: [NodeID: UInt64] = [:]
        entries.reserveCapacity(count)
        var previous: NodeID?
        for index in 0..<count {
            let node = try readNodeID("node of \(what) entry \(index)")
            if let previous, !(previous < node) {
                throw malformed("node ids of \(what) are not strictly increasing at entry \(index)")
            }
            let seq = try readVarint("seq of \(what) entry \(index)")
            guard seq >= 1 else { throw malformed("seq of \(what) entry \(index) is 0") }
            entries[node] = seq
            previous = node
        }
        return VersionVector(entries)
    }

    /// Throws unless every byte was read.
    func expectEnd() throws {
        guard remaining == 0 else { throw malformed("\(remaining) trailing bytes") }
    }
}
