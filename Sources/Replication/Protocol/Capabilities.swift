import NIOCore

/// What a node's release understands, announced in its ``Hello`` from protocol version 2 on:
/// capabilities, not guesses.
///
/// A peer acts on what a node says it understands, never on what its version or release
/// suggests. So a later release adds an entity kind, a field, an operation or an optional
/// feature without a new protocol version: it announces it here. A receiver that does not
/// understand a kind, field or operation stores, forwards and lists the changes that use it as
/// held instead of refusing them; a sender uses an optional feature only when both hellos
/// announce it.
///
/// Only wire codes and names travel (a kind is its `u8` code with its name and field names,
/// an operation is its `u8` code, a feature is a name), so this value does not depend on the
/// types that model them. Lists keep the order they were given or received in. A hello that
/// announces nothing (protocol version 1, or an extension left out) reads as the empty value:
/// release `""` and nothing understood.
public struct Capabilities: Sendable, Hashable {
    /// An entity kind the sender's schema understands, with the fields it understands of it.
    public struct Kind: Sendable, Hashable {
        /// The kind's code, as changes carry it.
        public var code: UInt8
        /// The kind's name, for people; at most ``Capabilities/maxNameBytes`` bytes of UTF-8.
        public var name: String
        /// The names of the fields understood, each at most ``Capabilities/maxNameBytes`` bytes,
        /// at most ``Capabilities/maxFieldsPerKind`` of them.
        public var fields: [String]

        public init(code: UInt8, name: String, fields: [String]) {
            self.code = code
            self.name = name
            self.fields = fields
        }
    }

    /// The sender's release, e.g. "0.2.0"; at most ``maxReleaseBytes`` bytes. Empty when not
    /// announced.
    public var release: String
    /// The entity kinds understood, at most ``maxKinds``.
    public var kinds: [Kind]
    /// The change operation codes understood (0 assign, 1 add, 2 remove, 3 record in 0.2.0),
    /// at most ``maxOperations``.
    public var operations: [UInt8]
    /// The optional protocol features supported, each at most ``maxNameBytes`` bytes, at most
    /// ``maxFeatures`` of them. Release 0.2.0 defines none; 0.3.0 defines ``personsFeature``.
    public var features: [String]

    /// The most UTF-8 bytes in ``release``.
    public static let maxReleaseBytes = 64
    /// The most UTF-8 bytes in a kind's name, a field's name or a feature's name.
    public static let maxNameBytes = 64
    /// The most kinds announced: one for each `u8` code.
    public static let maxKinds = 256
    /// The most fields announced for one kind.
    public static let maxFieldsPerKind = 1000
    /// The most operations announced: one for each `u8` code.
    public static let maxOperations = 256
    /// The most features announced.
    public static let maxFeatures = 256

    public init(release: String = "", kinds: [Kind] = [], operations: [UInt8] = [], features: [String] = []) {
        self.release = release
        self.kinds = kinds
        self.operations = operations
        self.features = features
    }

    /// Whether the kind with this code is announced.
    public func understands(kindCode: UInt8) -> Bool {
        kinds.contains { $0.code == kindCode }
    }

    /// Whether the kind with this code is announced with this field among its fields.
    public func understands(kindCode: UInt8, field: String) -> Bool {
        kinds.contains { $0.code == kindCode && $0.fields.contains(field) }
    }

    /// Whether the change operation with this code is announced.
    public func understands(operationCode: UInt8) -> Bool {
        operations.contains(operationCode)
    }

    /// The feature of release 0.3.0: its batches may be of ``ChangeBatchCodec`` version 2,
    /// which carries who wrote each change. A sender strips the persons (version 1) for a peer
    /// that does not announce it.
    public static let personsFeature = "persons"
    /// The feature of a release that scopes laptops (docs/PROTOCOL.md, "Laptops hold only their
    /// customers"): it reads elisions in batches and the hello's scope and grant. An office
    /// scopes a laptop only when both hellos announce it; a laptop of an earlier release is
    /// sent everything, as before.
    public static let scopeFeature = "scope"

    /// Whether this optional feature is announced. A sender uses a feature only when its own
    /// capabilities and the peer's both support it.
    public func supports(feature: String) -> Bool {
        features.contains(feature)
    }
}

// MARK: The hello extensions that carry capabilities

extension Capabilities {
    /// The hello extensions this build knows, by tag. Stable: never renumber or reuse a tag.
    enum Tag: UInt64, CaseIterable {
        case release = 1
        case kinds = 2
        case operations = 3
        case features = 4

        /// "the kinds extension (tag 2)", for error messages.
        var label: String { "the \(self) extension (tag \(rawValue))" }
    }

    /// The bytes of one extension; throws ``ProtocolError/Code/malformed`` for a value over its
    /// limits, as a receiver would refuse it.
    func extensionBody(_ tag: Tag) throws -> ByteBuffer {
        var body = ByteBuffer()
        switch tag {
        case .release:
            try body.writeSyncString(release, maxBytes: Self.maxReleaseBytes, "the release")
        case .kinds:
            try Self.checkCount(kinds.count, limit: Self.maxKinds, "kinds")
            body.writeSyncVarint(UInt64(kinds.count))
            for kind in kinds {
                body.writeInteger(kind.code)
                try body.writeSyncString(kind.name, maxBytes: Self.maxNameBytes, "the name of kind \(kind.code)")
                try Self.checkCount(kind.fields.count, limit: Self.maxFieldsPerKind, "fields of kind \(kind.code)")
                body.writeSyncVarint(UInt64(kind.fields.count))
                for field in kind.fields {
                    try body.writeSyncString(field, maxBytes: Self.maxNameBytes, "field '\(field.prefix(80))'")
                }
            }
        case .operations:
            try Self.checkCount(operations.count, limit: Self.maxOperations, "operations")
            body.writeSyncVarint(UInt64(operations.count))
            body.writeBytes(operations)
        case .features:
            try Self.checkCount(features.count, limit: Self.maxFeatures, "features")
            body.writeSyncVarint(UInt64(features.count))
            for feature in features {
                try body.writeSyncString(feature, maxBytes: Self.maxNameBytes, "feature '\(feature.prefix(80))'")
            }
        }
        return body
    }

    private static func checkCount(_ count: Int, limit: Int, _ what: String) throws {
        guard count <= limit else {
            throw ProtocolError(.malformed, "the hello announces \(count) \(what), over the limit of \(limit)")
        }
    }

    /// Reads one known extension into `self`, from the hello's reader, never past `end` (the
    /// reader's `remaining` at the extension's end). The caller checks the extension was read
    /// to exactly its end.
    mutating func readExtension(_ tag: Tag, from reader: inout PayloadReader, end: Int) throws {
        let bounds = ExtensionBounds(end: end, label: tag.label)
        switch tag {
        case .release:
            release = try bounds.string(&reader, "the release", maxBytes: Self.maxReleaseBytes)
        case .kinds:
            // Each kind takes at least a code, a name length and a field count.
            let count = try bounds.count(&reader, "the kind count", limit: Self.maxKinds, itemBytes: 3)
            var kinds: [Kind] = []
            kinds.reserveCapacity(count)
            for index in 0..<count {
                let code = try bounds.byte(&reader, "the code of kind \(index)")
                let name = try bounds.string(&reader, "the name of kind \(code)", maxBytes: Self.maxNameBytes)
                let fieldCount = try bounds.count(
                    &reader,
                    "the field count of kind \(code)",
                    limit: Self.maxFieldsPerKind,
                    itemBytes: 1
                )
                var fields: [String] = []
                fields.reserveCapacity(fieldCount)
                for field in 0..<fieldCount {
                    fields.append(
                        try bounds.string(&reader, "field \(field) of kind \(code)", maxBytes: Self.maxNameBytes)
                    )
                }
                kinds.append(Kind(code: code, name: name, fields: fields))
            }
            self.kinds = kinds
        case .operations:
            let count = try bounds.count(&reader, "the operation count", limit: Self.maxOperations, itemBytes: 1)
            operations = try reader.readBytes(count, "the operations")
        case .features:
            let count = try bounds.count(&reader, "the feature count", limit: Self.maxFeatures, itemBytes: 1)
            var features: [String] = []
            features.reserveCapacity(count)
            for index in 0..<count {
                features.append(try bounds.string(&reader, "feature \(index)", maxBytes: Self.maxNameBytes))
            }
            self.features = features
        }
    }
}

/// Reads the fields of one hello extension from the hello's reader, refusing any field that
/// would run past the extension's end and any count the extension's bytes cannot hold, before
/// anything is allocated.
private struct ExtensionBounds {
    /// The reader's `remaining` at the extension's end.
    let end: Int
    /// "the kinds extension (tag 2)".
    let label: String

    func left(_ reader: PayloadReader) -> Int { reader.remaining - end }

    func inside(_ reader: PayloadReader, _ what: String) throws {
        guard left(reader) >= 0 else { throw reader.malformed("\(what) runs past the end of \(label)") }
    }

    func byte(_ reader: inout PayloadReader, _ what: String) throws -> UInt8 {
        let byte = try reader.readByte(what)
        try inside(reader, what)
        return byte
    }

    /// A varint count of items of at least `itemBytes` bytes each: at most `limit`, and no more
    /// than the extension's bytes left can hold.
    func count(_ reader: inout PayloadReader, _ what: String, limit: Int, itemBytes: Int) throws -> Int {
        let value = try reader.readVarint(what)
        try inside(reader, what)
        guard value <= UInt64(limit) else { throw reader.malformed("\(what) \(value) is over the limit of \(limit)") }
        guard Int(value) * itemBytes <= left(reader) else {
            throw reader.malformed("\(what) \(value) needs more than the \(left(reader)) bytes left in \(label)")
        }
        return Int(value)
    }

    /// A varint byte count then that many bytes of valid UTF-8, at most `maxBytes` of them.
    func string(_ reader: inout PayloadReader, _ what: String, maxBytes: Int) throws -> String {
        let length = try count(&reader, "the length of \(what)", limit: maxBytes, itemBytes: 1)
        let utf8 = try reader.readBytes(length, what)
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw reader.malformed("\(what) is not valid UTF-8")
        }
        return text
    }
}
