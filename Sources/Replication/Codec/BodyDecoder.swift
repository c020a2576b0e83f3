import Model

/// Reads the uncompressed body of a change batch as ``ChangeBatchCodec`` describes, checking
/// every count, index, code and string, and reserving memory only for what the bytes left can
/// hold.
enum BodyDecoder {
    private typealias Flag = BodyEncoder.Flag

    /// The fewest body bytes one change takes (flags, seq, ms, counter, field).
    private static let minimumChangeBytes = 5
    /// The fewest body bytes one predecessor takes (node, seq).
    private static let minimumPredecessorBytes = 2

    static func decode(_ body: [UInt8], version: UInt8 = 1, limits: ChangeBatchCodec.Limits) throws -> ChangeBatch {
        var reader = ByteReader(body, region: "body offset")

        let nodeCount = try reader.readCount("node count", limit: limits.maxNodes)
        guard nodeCount <= reader.remaining / 32 else {
            throw reader.error(
                .truncated,
                "\(nodeCount) node digests need more than the \(reader.remaining) bytes left"
            )
        }
        var nodes: [NodeID] = []
        nodes.reserveCapacity(nodeCount)
        var seen = Set<NodeID>()
        for index in 0..<nodeCount {
            let node = NodeID(digest: try reader.readBytes(32, "node digest \(index)"))
            guard seen.insert(node).inserted else {
                throw reader.error(.malformed, "node \(index) repeats an earlier node", at: reader.offset - 32)
            }
            nodes.append(node)
        }
        let discriminators = nodes.map { $0.discriminator & CompactEntityID.nodeMask }

        let baseStart = reader.offset
        let baseCount = try reader.readVarint("base vector count")
        guard baseCount <= UInt64(nodeCount) else {
            throw reader.error(
                .malformed,
                "base vector of \(baseCount) entries names more than \(nodeCount) nodes",
                at: baseStart
            )
        }
        var base = VersionVector()
        var lastSeq = [UInt64](repeating: 0, count: nodeCount)
        var previousIndex = -1
        for _ in 0..<Int(baseCount) {
            let start = reader.offset
            let index = try reader.readIndex("base vector node", below: nodeCount)
            guard index > previousIndex else {
                throw reader.error(.malformed, "base vector nodes are not in increasing order", at: start)
            }
            let seq = try reader.readVarint("base vector seq")
            guard seq > 0 else { throw reader.error(.malformed, "base vector entry with seq 0", at: start) }
            base[nodes[index]] = seq
            lastSeq[index] = seq
            previousIndex = index
        }

        // A batch uses no more field names than it has changes.
        let fieldCount = try reader.readCount("field count", limit: limits.maxChanges)
        guard fieldCount <= reader.remaining else {
            throw reader.error(
                .truncated,
                "\(fieldCount) field names need more than the \(reader.remaining) bytes left"
            )
        }
        var fields: [String] = []
        fields.reserveCapacity(fieldCount)
        for index in 0..<fieldCount {
            fields.append(try reader.readString("field name \(index)", maxBytes: limits.maxStringBytes))
        }

        // Version 2: who wrote the changes, each name once.
        var persons: [String] = []
        if version >= 2 {
            let personCount = try reader.readCount("person count", limit: limits.maxChanges)
            guard personCount <= reader.remaining / 2 else {
                throw reader.error(
                    .truncated,
                    "\(personCount) person names need more than the \(reader.remaining) bytes left"
                )
            }
            persons.reserveCapacity(personCount)
            var seenPersons = Set<String>()
            for index in 0..<personCount {
                let start = reader.offset
                let person = try reader.readString("person name \(index)", maxBytes: PersonName.maxBytes)
                if let problem = PersonName.problem(person) {
                    throw reader.error(.malformed, "person name \(index) \(problem)", at: start)
                }
                guard seenPersons.insert(person).inserted else {
                    throw reader.error(.malformed, "person name \(index) repeats an earlier one", at: start)
                }
                persons.append(person)
            }
        }

        let changeCount = try reader.readCount("change count", limit: limits.maxChanges)
        var changes: [Change] = []
        changes.reserveCapacity(min(changeCount, reader.remaining / minimumChangeBytes))
        var valueSlots = [[Int]](repeating: [], count: fields.count)
        var state = ChangeState(lastSeq: lastSeq)
        for index in 0..<changeCount {
            let (change, field, hasValue) = try decodeChange(
                index,
                from: &reader,
                state: &state,
                context: Context(
                    nodes: nodes,
                    discriminators: discriminators,
                    fields: fields,
                    persons: version >= 2 ? persons : nil,
                    limits: limits
                )
            )
            if hasValue { valueSlots[field].append(index) }
            changes.append(change)
        }

        for (field, slots) in valueSlots.enumerated() {
            for index in slots {
                changes[index].value = try reader.readString(
                    "value of change \(index) (field \(fields[field]))",
                    maxBytes: limits.maxStringBytes
                )
            }
        }
        try reader.expectEnd("the values")
        return ChangeBatch(base: base, changes: changes)
    }

    /// The tables a change refers to.
    private struct Context {
        let nodes: [NodeID]
        let discriminators: [UInt64]
        let fields: [String]
        /// The person table; `nil` in version 1, whose changes carry no person index.
        let persons: [String]?
        let limits: ChangeBatchCodec.Limits
    }

    /// What the delta codings of a change are relative to.
    private struct ChangeState {
        var lastSeq: [UInt64]
        var previousOrigin: Int?
        var previousMilliseconds: UInt64 = 0
        var previousCompactMilliseconds: UInt64 = 0
        var previousEntity: (kind: EntityKind, id: EntityID)?
    }

    /// One change without its value, the index of its field, and whether a value follows.
    private static func decodeChange(
        _ number: Int,
        from reader: inout ByteReader,
        state: inout ChangeState,
        context: Context
    ) throws -> (Change, Int, Bool) {
        let start = reader.offset
        let flags = try reader.readByte("flags of change \(number)")
        let operationCode = (flags >> Flag.operationShift) & Flag.operationMask
        // Codes this build does not know decode as `.unknown`: a newer release's operation is
        // held, never refused.
        let operation = Operation(code: operationCode)

        let origin: Int
        if flags & Flag.newOrigin != 0 {
            origin = try reader.readIndex("origin of change \(number)", below: context.nodes.count)
        } else if let previous = state.previousOrigin {
            origin = previous
        } else {
            throw reader.error(.malformed, "the first change does not name its origin", at: start)
        }
        let seq = Varint.apply(try reader.readSignedVarint("seq of change \(number)"), to: state.lastSeq[origin] &+ 1)
        let milliseconds = Varint.apply(
            try reader.readSignedVarint("time of change \(number)"),
            to: state.previousMilliseconds
        )
        let counter = try readCounter(&reader, "time counter of change \(number)")

        let kind: EntityKind
        let entityID: EntityID
        let form = flags & Flag.entityMask
        if form == Flag.sameEntity {
            guard let previous = state.previousEntity else {
                throw reader.error(.malformed, "the first change refers to a previous entity", at: start)
            }
            (kind, entityID) = previous
        } else {
            let codeStart = reader.offset
            let code = try reader.readByte("entity kind of change \(number)")
            // Any code: a kind this build does not know is a newer release's, held, not refused.
            kind = EntityKind(code: code)
            if form == Flag.rawEntity {
                let bytes = try reader.readBytes(16, "entity id of change \(number)")
                guard let id = EntityID(bytes: bytes) else {
                    throw reader.error(.malformed, "change \(number) has an unreadable entity id", at: codeStart)
                }
                entityID = id
            } else {
                var node = context.discriminators[origin]
                if form == Flag.nodeCompact {
                    let index = try reader.readIndex("entity node of change \(number)", below: context.nodes.count)
                    node = context.discriminators[index]
                }
                let msStart = reader.offset
                let idMilliseconds = Varint.apply(
                    try reader.readSignedVarint("entity id time of change \(number)"),
                    to: state.previousCompactMilliseconds
                )
                guard idMilliseconds <= CompactEntityID.maxMilliseconds else {
                    throw reader.error(.malformed, "entity id time of change \(number) exceeds 48 bits", at: msStart)
                }
                let idCounter = try readCounter(&reader, "entity id counter of change \(number)")
                entityID = EntityID(milliseconds: idMilliseconds, counter: idCounter, node: node)
                state.previousCompactMilliseconds = idMilliseconds
            }
        }

        let field = try reader.readIndex("field of change \(number)", below: context.fields.count)
        var person: String?
        if let persons = context.persons {
            let index = try reader.readIndex("person of change \(number)", below: persons.count + 1)
            person = index == 0 ? nil : persons[index - 1]
        }
        var predecessors: [WriteID] = []
        if flags & Flag.hasPredecessors != 0 {
            let countStart = reader.offset
            let count = try reader.readCount(
                "predecessor count of change \(number)",
                limit: context.limits.maxPredecessors
            )
            guard count > 0 else {
                throw reader.error(.malformed, "change \(number) flags predecessors but has none", at: countStart)
            }
            predecessors.reserveCapacity(min(count, reader.remaining / minimumPredecessorBytes))
            for _ in 0..<count {
                let node = try reader.readIndex("predecessor node of change \(number)", below: context.nodes.count)
                let predecessorSeq = try reader.readVarint("predecessor seq of change \(number)")
                predecessors.append(WriteID(origin: context.nodes[node], seq: predecessorSeq))
            }
        }

        state.previousOrigin = origin
        state.lastSeq[origin] = seq
        state.previousMilliseconds = milliseconds
        state.previousEntity = (kind, entityID)
        let change = Change(
            origin: context.nodes[origin],
            seq: seq,
            time: HybridTime(milliseconds: milliseconds, counter: counter),
            entity: kind,
            entityID: entityID,
            field: context.fields[field],
            operation: operation,
            value: nil,
            predecessors: predecessors,
            person: person
        )
        return (change, field, flags & Flag.hasValue != 0)
    }

    private static func readCounter(_ reader: inout ByteReader, _ what: String) throws -> UInt16 {
        let start = reader.offset
        let value = try reader.readVarint(what)
        guard let counter = UInt16(exactly: value) else {
            throw reader.error(.malformed, "\(what) \(value) exceeds 16 bits", at: start)
        }
        return counter
    }
}
