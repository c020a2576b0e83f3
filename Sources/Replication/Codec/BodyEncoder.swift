import Model

/// Writes the uncompressed body of a change batch as ``ChangeBatchCodec`` describes.
enum BodyEncoder {
    /// Flag bits of a change; see ``ChangeBatchCodec``.
    enum Flag {
        static let sameEntity: UInt8 = 0
        static let originCompact: UInt8 = 1
        static let nodeCompact: UInt8 = 2
        static let rawEntity: UInt8 = 3
        static let entityMask: UInt8 = 0x03
        static let operationShift: UInt8 = 2
        static let operationMask: UInt8 = 0x07
        static let hasValue: UInt8 = 0x20
        static let hasPredecessors: UInt8 = 0x40
        static let newOrigin: UInt8 = 0x80
    }

    /// The body of `version` 1 (no persons: every change's person is left out) or 2 (a person
    /// table after the field table, and a person index in every change).
    static func encode(_ batch: ChangeBatch, version: UInt8 = 1, limits: ChangeBatchCodec.Limits) throws -> [UInt8] {
        let withPersons = version >= 2
        let changes = batch.changes
        guard changes.count <= limits.maxChanges else {
            throw tooLarge("\(changes.count) changes are over the limit of \(limits.maxChanges)")
        }

        // The node table: every node the batch names, sorted.
        var named = Set(batch.base.entries.keys)
        for change in changes {
            named.insert(change.origin)
            for predecessor in change.predecessors { named.insert(predecessor.origin) }
        }
        let nodes = named.sorted()
        guard nodes.count <= limits.maxNodes else {
            throw tooLarge("\(nodes.count) nodes are over the limit of \(limits.maxNodes)")
        }
        var nodeIndex: [NodeID: Int] = [:]
        var nodeByDiscriminator: [UInt64: Int] = [:]
        for (index, node) in nodes.enumerated() {
            nodeIndex[node] = index
            let key = node.discriminator & CompactEntityID.nodeMask
            if nodeByDiscriminator[key] == nil { nodeByDiscriminator[key] = index }
        }
        let discriminators = nodes.map { $0.discriminator & CompactEntityID.nodeMask }

        // The field table, in order of first use.
        var fields: [String] = []
        var fieldIndex: [String: Int] = [:]
        for change in changes where fieldIndex[change.field] == nil {
            try checkString(change.field, "field name", limits: limits)
            fieldIndex[change.field] = fields.count
            fields.append(change.field)
        }

        // The person table (version 2), in order of first use; index 0 in a change is "none".
        var persons: [String] = []
        var personIndex: [String: Int] = [:]
        if withPersons {
            for change in changes {
                guard let person = change.person, personIndex[person] == nil else { continue }
                if let problem = PersonName.problem(person) {
                    throw CodecError(.malformed, at: 0, "cannot encode: the person of \(change.id) \(problem)")
                }
                persons.append(person)
                personIndex[person] = persons.count
            }
        }

        var writer = ByteWriter(capacity: 64 + nodes.count * 33 + changes.count * 24)
        writer.writeVarint(nodes.count)
        for node in nodes { writer.writeBytes(node.digest) }

        let baseEntries = batch.base.entries.map { (index: nodeIndex[$0.key] ?? 0, seq: $0.value) }
            .sorted { $0.index < $1.index }
        writer.writeVarint(baseEntries.count)
        var lastSeq = [UInt64](repeating: 0, count: nodes.count)
        for entry in baseEntries {
            writer.writeVarint(entry.index)
            writer.writeVarint(entry.seq)
            lastSeq[entry.index] = entry.seq
        }

        writer.writeVarint(fields.count)
        for field in fields { writer.writeString(field) }
        if withPersons {
            writer.writeVarint(persons.count)
            for person in persons { writer.writeString(person) }
        }

        writer.writeVarint(changes.count)
        var values = [[String]](repeating: [], count: fields.count)
        var previousOrigin: Int?
        var previousMilliseconds: UInt64 = 0
        var previousCompactMilliseconds: UInt64 = 0
        var previousEntity: (kind: EntityKind, id: EntityID)?
        for change in changes {
            let origin = nodeIndex[change.origin] ?? 0
            let field = fieldIndex[change.field] ?? 0
            guard change.predecessors.count <= limits.maxPredecessors else {
                throw tooLarge(
                    "\(change.predecessors.count) predecessors of \(change.id) are over the limit of "
                        + "\(limits.maxPredecessors)"
                )
            }

            var flags = (change.operation.code & Flag.operationMask) << Flag.operationShift
            var compact: CompactEntityID?
            var compactNode: Int?
            if let previous = previousEntity, previous.kind == change.entity, previous.id == change.entityID {
                flags |= Flag.sameEntity
            } else if let parts = CompactEntityID(change.entityID) {
                compact = parts
                if parts.node == discriminators[origin] {
                    flags |= Flag.originCompact
                } else if let index = nodeByDiscriminator[parts.node] {
                    flags |= Flag.nodeCompact
                    compactNode = index
                } else {
                    compact = nil
                    flags |= Flag.rawEntity
                }
            } else {
                flags |= Flag.rawEntity
            }
            if let value = change.value {
                try checkString(value, "value of \(change.id)", limits: limits)
                flags |= Flag.hasValue
                values[field].append(value)
            }
            if !change.predecessors.isEmpty { flags |= Flag.hasPredecessors }
            if origin != previousOrigin { flags |= Flag.newOrigin }

            writer.writeByte(flags)
            if origin != previousOrigin { writer.writeVarint(origin) }
            writer.writeSignedVarint(Varint.delta(change.seq, from: lastSeq[origin] &+ 1))
            writer.writeSignedVarint(Varint.delta(change.time.milliseconds, from: previousMilliseconds))
            writer.writeVarint(UInt64(change.time.counter))
            if flags & Flag.entityMask != Flag.sameEntity {
                writer.writeByte(change.entity.code)
                if let index = compactNode { writer.writeVarint(index) }
                if let compact {
                    writer.writeSignedVarint(Varint.delta(compact.milliseconds, from: previousCompactMilliseconds))
                    writer.writeVarint(UInt64(compact.counter))
                    previousCompactMilliseconds = compact.milliseconds
                } else {
                    writer.writeBytes(change.entityID.bytes)
                }
            }
            writer.writeVarint(field)
            if withPersons { writer.writeVarint(change.person.flatMap { personIndex[$0] } ?? 0) }
            if !change.predecessors.isEmpty {
                writer.writeVarint(change.predecessors.count)
                for predecessor in change.predecessors {
                    writer.writeVarint(nodeIndex[predecessor.origin] ?? 0)
                    writer.writeVarint(predecessor.seq)
                }
            }

            previousOrigin = origin
            lastSeq[origin] = change.seq
            previousMilliseconds = change.time.milliseconds
            previousEntity = (change.entity, change.entityID)
        }

        for fieldValues in values {
            for value in fieldValues { writer.writeString(value) }
        }
        guard writer.bytes.count <= limits.maxDecompressedBytes else {
            throw tooLarge(
                "the body of \(writer.bytes.count) bytes is over the limit of \(limits.maxDecompressedBytes)"
            )
        }
        return writer.bytes
    }

    private static func checkString(_ text: String, _ what: String, limits: ChangeBatchCodec.Limits) throws {
        let size = text.utf8.count
        guard size <= limits.maxStringBytes else {
            throw tooLarge("the \(what) of \(size) bytes is over the limit of \(limits.maxStringBytes)")
        }
    }

    private static func tooLarge(_ what: String) -> CodecError {
        CodecError(.tooLarge, at: 0, "cannot encode: \(what)")
    }
}
