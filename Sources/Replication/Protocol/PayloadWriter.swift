import NIOCore

/// Writers of the protocol's fields, the counterparts of ``PayloadReader``'s reads.
///
/// Each refuses (throws ``ProtocolError``) what a reader would refuse, so that what a node
/// sends always decodes on a peer of the same version.
extension ByteBuffer {
    /// An unsigned LEB128 varint, shortest form.
    mutating func writeSyncVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        writeInteger(UInt8(rest))
    }

    /// A varint byte count then the UTF-8 bytes; throws if longer than `maxBytes`.
    mutating func writeSyncString(_ text: String, maxBytes: Int, _ what: String) throws {
        let utf8 = text.utf8.count
        guard utf8 <= maxBytes else {
            throw ProtocolError(.malformed, "\(what) is \(utf8) bytes, over the limit of \(maxBytes)")
        }
        writeSyncVarint(UInt64(utf8))
        writeString(text)
    }

    /// A version vector, its entries sorted by node id; throws if it has too many entries.
    mutating func writeSyncVector(_ vector: VersionVector, _ what: String) throws {
        let entries = vector.entries.sorted { $0.key < $1.key }
        guard entries.count <= SyncLimits.maxVectorEntries else {
            throw ProtocolError(
                .malformed,
                "\(what) has \(entries.count) entries, over the limit of \(SyncLimits.maxVectorEntries)"
            )
        }
        writeSyncVarint(UInt64(entries.count))
        for (node, seq) in entries {
            writeBytes(node.digest)
            writeSyncVarint(seq)
        }
    }

    /// A SHA-256 digest given as 64 lower-case hex characters, as its 32 bytes.
    mutating func writeSyncDigest(_ digest: String) throws {
        guard let bytes = DigestHex.bytes(digest) else {
            throw ProtocolError(.malformed, "'\(digest.prefix(80))' is not a SHA-256 digest in lower-case hex")
        }
        writeBytes(bytes)
    }
}
