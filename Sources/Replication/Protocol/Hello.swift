import Model
import NIOCore

/// The first message each side sends: the protocol version it speaks, who it is, what it holds
/// and what its release understands.
///
/// Payload layout (version 2):
///
/// ```text
/// hello      = "NXSY" version:u16be node:32 name:string(255) vector extensions
/// extensions = count:varint (tag:varint length:varint bytes[length])*count
/// ```
///
/// The prefix up to and including `name` is frozen for every version of the protocol, so a
/// node reads any version's hello far enough to refuse it by name and version. A hello whose
/// `version` is not ``currentVersion`` decodes with its prefix only: whatever follows the name
/// is skipped, unread, ``vector`` is empty and ``capabilities`` is the empty value.
///
/// Extensions are how a later release adds to the hello without a new version. Their tags are
/// strictly increasing; there are at most ``maxExtensions`` of them, each at most
/// ``maxExtensionBytes`` bytes. A receiver skips an extension whose tag it does not know, reads
/// each one it knows to exactly its end, and takes one that is absent as empty. The tags this
/// build knows carry the ``Capabilities``: 1 the release, 2 the kinds, 3 the operations, 4 the
/// features; it writes all four, in that order, then tag 5, the sender's ``NodeRole`` (its
/// name as a string; written by builds that know roles), when it has one, then tag 6, the
/// ``acknowledgements`` it knows, when it has any (``Hello+Acknowledgements.swift``), then a
/// laptop's ``scope`` (tag 7) and an office's ``grant`` to a laptop (tag 8)
/// (``Hello+Scope.swift``).
public struct Hello: Sendable, Hashable {
    /// The protocol version this build speaks.
    public static let currentVersion: UInt16 = 2
    /// The most extensions in one hello.
    public static let maxExtensions = 64
    /// The most bytes in one extension: 64 KiB.
    public static let maxExtensionBytes = 64 << 10
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
    /// What the sender's release understands. Empty (release `""`) in a hello of another
    /// version.
    public var capabilities: Capabilities
    /// The sender's role; `nil` when its hello announces none (a build before roles, which
    /// knew only offices: ``NodeRole/unannounced``). A role name this build does not know
    /// reads as `nil` too (and is kept in ``unknownRole``).
    public var role: NodeRole?
    /// The role name as announced, when it is one this build does not know.
    public var unknownRole: String?

    /// What the sender says the fleet holds: its own acknowledgement first, then those it
    /// heard of, as many as fit in one extension. Empty when it sends none (a build before
    /// acknowledgements, or a hello of another version).
    public var acknowledgements: [Acknowledgement] = []

    /// On a laptop's hello: the customers whose whole history it holds (``Hello+Scope.swift``);
    /// `nil` when not sent.
    public var scope: [EntityID]?
    /// On an office's hello to a laptop: the customers the office holds assigned to it; `nil`
    /// when not sent.
    public var grant: [EntityID]?
    /// On a laptop's hello: how far its scope is whole (every change of its ``scope``'s
    /// customers numbered at or below it is held); `nil` when not sent.
    public var complete: VersionVector?

    /// The extension tag of the role.
    static let roleTag: UInt64 = 5

    public init(
        version: UInt16 = Hello.currentVersion,
        nodeID: NodeID,
        name: String,
        vector: VersionVector,
        capabilities: Capabilities = Capabilities(),
        role: NodeRole? = nil,
        acknowledgements: [Acknowledgement] = [],
        scope: [EntityID]? = nil,
        grant: [EntityID]? = nil,
        complete: VersionVector? = nil
    ) {
        self.scope = scope
        self.grant = grant
        self.complete = complete
        self.acknowledgements = acknowledgements
        self.version = version
        self.nodeID = nodeID
        self.name = name
        self.vector = vector
        self.capabilities = capabilities
        self.role = role
    }

    /// Writes the hello in this build's layout (whatever ``version`` says); throws
    /// ``ProtocolError/Code/malformed`` for a field or extension over its limit.
    func encode(into buffer: inout ByteBuffer) throws {
        buffer.writeBytes(Hello.magic)
        buffer.writeInteger(version, endianness: .big)
        buffer.writeBytes(nodeID.digest)
        try buffer.writeSyncString(name, maxBytes: SyncLimits.maxNameBytes, "the node name")
        try buffer.writeSyncVector(vector, "the hello's vector")
        let tags = Capabilities.Tag.allCases
        let acknowledged = try Self.acknowledgementBody(acknowledgements)
        let scoped = try scope.map(Self.scopeBody)
        let granted = try grant.map(Self.scopeBody)
        var completeBody: ByteBuffer?
        if let complete {
            var body = ByteBuffer()
            try body.writeSyncVector(complete, "the hello's complete vector")
            completeBody = body
        }
        let extra =
            (role == nil ? 0 : 1) + (acknowledged == nil ? 0 : 1) + (scoped == nil ? 0 : 1) + (granted == nil ? 0 : 1)
            + (completeBody == nil ? 0 : 1)
        buffer.writeSyncVarint(UInt64(tags.count + extra))
        for tag in tags {
            var body = try capabilities.extensionBody(tag)
            guard body.readableBytes <= Hello.maxExtensionBytes else {
                let size = "\(body.readableBytes) bytes, over the limit of \(Hello.maxExtensionBytes)"
                throw ProtocolError(.malformed, "\(tag.label) of the hello is \(size)")
            }
            buffer.writeSyncVarint(tag.rawValue)
            buffer.writeSyncVarint(UInt64(body.readableBytes))
            buffer.writeBuffer(&body)
        }
        if let role {
            var body = ByteBuffer()
            try body.writeSyncString(role.rawValue, maxBytes: Capabilities.maxNameBytes, "the role")
            buffer.writeSyncVarint(Hello.roleTag)
            buffer.writeSyncVarint(UInt64(body.readableBytes))
            buffer.writeBuffer(&body)
        }
        if var body = acknowledged {
            buffer.writeSyncVarint(Hello.acknowledgementsTag)
            buffer.writeSyncVarint(UInt64(body.readableBytes))
            buffer.writeBuffer(&body)
        }
        for (tag, body) in [(Hello.scopeTag, scoped), (Hello.grantTag, granted), (Hello.completeTag, completeBody)] {
            guard var body else { continue }
            buffer.writeSyncVarint(tag)
            buffer.writeSyncVarint(UInt64(body.readableBytes))
            buffer.writeBuffer(&body)
        }
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
        var hello = Hello(version: version, nodeID: nodeID, name: name, vector: vector)
        try readExtensions(&reader, into: &hello)
        try reader.expectEnd()
        return hello
    }

    /// Reads the extensions: known tags into the capabilities, each exactly to its end;
    /// unknown tags skipped.
    private static func readExtensions(_ reader: inout PayloadReader, into hello: inout Hello) throws {
        // Each extension takes at least a tag and a length.
        let count = try reader.readCount("the extension count", limit: maxExtensions, itemBytes: 2)
        var capabilities = Capabilities()
        var previous: UInt64?
        for index in 0..<count {
            let tag = try reader.readVarint("the tag of extension \(index)")
            if let previous, tag <= previous {
                throw reader.malformed("extension tags are not strictly increasing (tag \(tag) after tag \(previous))")
            }
            previous = tag
            let length = try reader.readCount("the length of extension \(tag)", limit: maxExtensionBytes, itemBytes: 1)
            let end = reader.remaining - length
            if tag == roleTag {
                let text = try reader.readString("the role", maxBytes: Capabilities.maxNameBytes)
                guard reader.remaining == end else {
                    throw reader.malformed("the role extension (tag \(roleTag)) is not one string")
                }
                hello.role = NodeRole(rawValue: text)
                hello.unknownRole = hello.role == nil ? text : nil
                continue
            }
            if tag == acknowledgementsTag {
                hello.acknowledgements = try readAcknowledgements(&reader, end: end)
                continue
            }
            if tag == scopeTag {
                hello.scope = try readScope(&reader, end: end, "scope (tag \(scopeTag))")
                continue
            }
            if tag == grantTag {
                hello.grant = try readScope(&reader, end: end, "grant (tag \(grantTag))")
                continue
            }
            if tag == completeTag {
                hello.complete = try reader.readVector("the complete vector (tag \(completeTag))")
                guard reader.remaining == end else {
                    throw reader.malformed("\(reader.remaining - end) trailing bytes in the complete vector")
                }
                continue
            }
            guard let known = Capabilities.Tag(rawValue: tag) else {
                _ = try reader.readBytes(length, "extension \(tag)")
                continue
            }
            try capabilities.readExtension(known, from: &reader, end: end)
            guard reader.remaining == end else {
                throw reader.malformed("\(reader.remaining - end) trailing bytes in \(known.label)")
            }
        }
        hello.capabilities = capabilities
    }
}
