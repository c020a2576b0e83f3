import NIOCore

/// The first message each side sends: the protocol version it speaks, who it is and what it
/// holds.
///
/// Payload layout:
///
/// ```text
/// hello = "NXSY" version:u16be node:32 name:string vector
/// ```
///
/// The prefix up to and including `name` is frozen for every version of the protocol, so a
/// node reads any version's hello far enough to refuse it by name and version. A hello whose
/// `version` is not ``currentVersion`` decodes with its prefix only: whatever follows the name
/// is skipped, unread, and ``vector`` is empty.
public struct Hello: Sendable, Hashable {
    /// The protocol version this build speaks.
    public static let currentVersion: UInt16 = 1
    /// The four bytes every hello starts with.
    static let magic: [UInt8] = Array("NXSY".utf8)

    /// The protocol version the sender speaks.
    public var version: UInt16
    /// The sender's node id (the digest of its certificate).
    public var nodeID: NodeID
    /// The sender's name for people, at most ``SyncLimits/maxNameBytes`` bytes of UTF-8.
    public var name: String
    /// What the sender holds. Empty in a hello of another version.
    public var vector: VersionVector

    public init(version: UInt16 = Hello.currentVersion, nodeID: NodeID, name: String, vector: VersionVector) {
        self.version = version
        self.nodeID = nodeID
        self.name = name
        self.vector = vector
    }

    func encode(into buffer: inout ByteBuffer) throws {
        buffer.writeBytes(Hello.magic)
        buffer.writeInteger(version, endianness: .big)
        buffer.writeBytes(nodeID.digest)
        try buffer.writeSyncString(name, maxBytes: SyncLimits.maxNameBytes, "the node name")
        try buffer.writeSyncVector(vector, "the hello's vector")
    }

    static func decode(_ reader: inout PayloadReader) throws -> Hello {
        guard try reader.readBytes(magic.count, "the magic") == magic else {
            throw ProtocolError(.malformed, "hello: not a sync hello (the magic is not NXSY)")
        }
        let version = try reader.readUInt16("the protocol version")
        let nodeID = try reader.readNodeID("the node id")
        let name = try reader.readString("the node name", maxBytes: SyncLimits.maxNameBytes)
        guard version == currentVersion else {
            _ = reader.readRest()
            return Hello(version: version, nodeID: nodeID, name: name, vector: VersionVector())
        }
        let vector = try reader.readVector("the vector")
        try reader.expectEnd()
        return Hello(version: version, nodeID: nodeID, name: name, vector: vector)
    }
}
