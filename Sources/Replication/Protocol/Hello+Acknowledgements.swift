import NIOCore

/// The hello's acknowledgements extension (tag 6):
///
/// ```text
/// acknowledgements = count:varint (origin:32 node:32 vector)*count
/// ```
///
/// The sender writes as many of its acknowledgements as fit in ``Hello/maxExtensionBytes``, in
/// the order given (its own first), and leaves the extension out when it has none. A receiver
/// takes at most ``Hello/maxAcknowledgements``; each vector is read as the hello's own is
/// (strictly increasing node ids, every seq at least 1). An acknowledgement left out only makes
/// a reclamation wait for a later session: it never makes one happen early.
extension Hello {
    /// The extension tag of the acknowledgements.
    static let acknowledgementsTag: UInt64 = 6
    /// The most acknowledgements one hello carries.
    public static let maxAcknowledgements = 1024

    /// The extension's body, or `nil` when there is nothing to send. Acknowledgements that do
    /// not fit are left out, from the first that does not.
    static func acknowledgementBody(_ acknowledgements: [Acknowledgement]) throws -> ByteBuffer? {
        var items = ByteBuffer()
        var count = 0
        for acknowledgement in acknowledgements.prefix(maxAcknowledgements) {
            var item = ByteBuffer()
            item.writeBytes(acknowledgement.origin.digest)
            item.writeBytes(acknowledgement.node.digest)
            try item.writeSyncVector(acknowledgement.vector, "an acknowledgement's vector")
            // The count takes at most 2 bytes (at most 1024 items).
            guard items.readableBytes + item.readableBytes + 2 <= maxExtensionBytes else { break }
            items.writeBuffer(&item)
            count += 1
        }
        guard count > 0 else { return nil }
        var body = ByteBuffer()
        body.writeSyncVarint(UInt64(count))
        body.writeBuffer(&items)
        return body
    }

    /// Reads the extension's body, exactly to `end`.
    static func readAcknowledgements(_ reader: inout PayloadReader, end: Int) throws -> [Acknowledgement] {
        let count = try reader.readCount("the acknowledgement count", limit: maxAcknowledgements, itemBytes: 65)
        var acknowledgements: [Acknowledgement] = []
        acknowledgements.reserveCapacity(count)
        for index in 0..<count {
            let origin = try reader.readNodeID("the origin of acknowledgement \(index)")
            let node = try reader.readNodeID("the node of acknowledgement \(index)")
            let vector = try reader.readVector("the vector of acknowledgement \(index)")
            acknowledgements.append(Acknowledgement(origin: origin, node: node, vector: vector))
        }
        guard reader.remaining == end else {
            throw reader.malformed(
                "\(reader.remaining - end) trailing bytes in the acknowledgements (tag \(acknowledgementsTag))"
            )
        }
        return acknowledgements
    }
}
