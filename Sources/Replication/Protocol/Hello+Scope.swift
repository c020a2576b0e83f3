import Model
import NIOCore

/// The hello's scope extensions (docs/PROTOCOL.md, "Laptops hold only their customers"):
///
/// ```text
/// scope (tag 7, a laptop's) = count:varint customer:16*count   the customers whose whole history it holds
/// grant (tag 8, an office's) = count:varint customer:16*count  the customers the office holds assigned to the laptop
/// complete (tag 9, a laptop's) = vector                         how far its scope is whole
/// ```
///
/// Each is absent when not sent (an office sends no scope; a laptop, or an office to an
/// office, no grant); ids are distinct, at most ``maxScopeCustomers``. A known extension with
/// a byte too many or too few, or an id twice, is `malformed`.
extension Hello {
    static let scopeTag: UInt64 = 7
    static let grantTag: UInt64 = 8
    static let completeTag: UInt64 = 9
    /// The most customers in one scope or grant: what fits in one extension.
    public static let maxScopeCustomers = (maxExtensionBytes - 3) / 16

    static func scopeBody(_ customers: [EntityID]) throws -> ByteBuffer {
        guard customers.count <= maxScopeCustomers else {
            throw ProtocolError(
                .malformed,
                "a scope of \(customers.count) customers is more than one hello carries (\(maxScopeCustomers))"
            )
        }
        var body = ByteBuffer()
        body.writeSyncVarint(UInt64(customers.count))
        for customer in customers { body.writeBytes(customer.bytes) }
        return body
    }

    static func readScope(_ reader: inout PayloadReader, end: Int, _ what: String) throws -> [EntityID] {
        let count = try reader.readCount("the count of the \(what)", limit: maxScopeCustomers, itemBytes: 16)
        var customers: [EntityID] = []
        var seen = Set<EntityID>()
        customers.reserveCapacity(count)
        for index in 0..<count {
            let bytes = try reader.readBytes(16, "customer \(index) of the \(what)")
            guard let customer = EntityID(bytes: bytes) else {
                throw reader.malformed("customer \(index) of the \(what) is not an id")
            }
            guard seen.insert(customer).inserted else {
                throw reader.malformed("customer \(customer) is twice in the \(what)")
            }
            customers.append(customer)
        }
        guard reader.remaining == end else {
            throw reader.malformed("\(reader.remaining - end) trailing bytes in the \(what)")
        }
        return customers
    }
}
