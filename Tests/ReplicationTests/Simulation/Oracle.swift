import Model
import Replication

/// One editable field, or one set field, of one entity.
struct FieldKey: Hashable, Comparable, CustomStringConvertible {
    let entityID: EntityID
    let field: String

    /// By entity id, then field: the order of `ORDER BY entity_id, field` (an id's text form
    /// is fixed-width lower-case hex, so it sorts as the id does).
    static func < (lhs: FieldKey, rhs: FieldKey) -> Bool {
        (lhs.entityID, lhs.field) < (rhs.entityID, rhs.field)
    }

    var description: String { "\(entityID)/\(field)" }
}

/// One write some node made, as the simulation saw it made.
///
/// `context` is the causal model: everything the writer held just before the write (its
/// replica's version vector, including its own earlier writes). Write `b` has seen write `a`
/// exactly when `b.context` contains `a`.
struct OracleWrite {
    let id: WriteID
    let time: HybridTime
    let entity: EntityKind
    let entityID: EntityID
    let field: String
    let operation: Operation
    let value: String?
    let predecessors: [WriteID]
    let context: VersionVector
    /// Which replicas apply it once it is in their log (the others hold it).
    var uptake: Uptake = .everywhere

    var key: FieldKey { FieldKey(entityID: entityID, field: field) }

    /// The write `change` is, made by a writer that had seen `context`.
    init(_ change: Change, context: VersionVector, uptake: Uptake = .everywhere) {
        self.init(
            id: change.id,
            time: change.time,
            entity: change.entity,
            entityID: change.entityID,
            field: change.field,
            operation: change.operation,
            value: change.value,
            predecessors: change.predecessors,
            context: context,
            uptake: uptake
        )
    }

    init(
        id: WriteID,
        time: HybridTime,
        entity: EntityKind,
        entityID: EntityID,
        field: String,
        operation: Replication.Operation,
        value: String?,
        predecessors: [WriteID],
        context: VersionVector,
        uptake: Uptake = .everywhere
    ) {
        self.id = id
        self.time = time
        self.entity = entity
        self.entityID = entityID
        self.field = field
        self.operation = operation
        self.value = value
        self.predecessors = predecessors
        self.context = context
        self.uptake = uptake
    }

    func saw(_ other: OracleWrite) -> Bool { context.contains(other.id) }

    /// What differs between this write and the change a replica hands out for it, if anything.
    func mismatch(_ change: Change) -> String? {
        if change.id != id { return "id \(change.id), expected \(id)" }
        if change.time != time { return "\(id): time \(change.time), expected \(time)" }
        if change.entity != entity || change.entityID != entityID || change.field != field {
            return
                "\(id): writes \(change.entity.name) \(change.entityID)/\(change.field), expected \(entity.name) \(entityID)/\(field)"
        }
        if change.operation != operation { return "\(id): operation \(change.operation), expected \(operation)" }
        if change.value != value { return "\(id): value \(quoted(change.value)), expected \(quoted(value))" }
        if change.predecessors.sorted() != predecessors.sorted() {
            return "\(id): predecessors \(change.predecessors.sorted()), expected \(predecessors.sorted())"
        }
        return nil
    }
}

/// Which replicas apply a change that took its place in their log; the others hold it (listed
/// by `heldChanges()` with this reason, in the log, forwarded to peers unchanged).
enum Uptake: Equatable {
    /// A write of the standard folder: every release applies it.
    case everywhere
    /// A write only the next release understands: a standard node holds it.
    case previewOnly(HeldReason)
    /// A forged change that breaks a rule of the folder: every node holds it.
    case nowhere(HeldReason)

    /// Why a replica of this release holds the change; `nil` when it applies it.
    func heldReason(preview: Bool) -> HeldReason? {
        switch self {
        case .everywhere: nil
        case .previewOnly(let reason): preview ? nil : reason
        case .nowhere(let reason): reason
        }
    }

    var isPreviewOnly: Bool {
        if case .previewOnly = self { return true }
        return false
    }
}

/// What one replica holds, as the oracle reasons about it: the changes in its log (a version
/// vector), its release, which decides which of them it applies, and the revocations in force
/// among them (``Oracle/holding(_:preview:)`` fills them in).
struct Holding {
    let vector: VersionVector
    let preview: Bool
    var revocations: [OracleRevocation] = []
    /// The node each incarnation's origin belongs to (a node's first origin is its id).
    var nodeOfOrigin: [NodeID: NodeID] = [:]

    /// Whether the write is in the log and applied (not held).
    func applies(_ write: OracleWrite) -> Bool {
        vector.contains(write.id) && heldReason(write) == nil
    }

    /// Why a replica holding this write in its log holds it instead of applying it: a
    /// predecessor out of bounds first, then a revocation in force here that had not seen it,
    /// then what its release makes of it. `nil` when it applies it.
    func heldReason(_ write: OracleWrite) -> HeldReason? {
        if write.uptake == .nowhere(.malformed) { return .malformed }
        if revokedAfter(write.id) != nil { return .revoked }
        return write.uptake.heldReason(preview: preview)
    }

    /// The revocation in force here that `id` was made after, if any: one whose record this
    /// replica holds, of the node whose origin `id` carries, that had not seen it.
    func revokedAfter(_ id: WriteID) -> OracleRevocation? {
        guard !revocations.isEmpty else { return nil }
        let node = nodeOfOrigin[id.origin] ?? id.origin
        return revocations.first { $0.node == node && vector.contains($0.record) && id.seq > $0.seen[id.origin] }
    }

    /// Whether `node` knows it is revoked here (it then writes nothing more).
    func knowsRevoked(_ node: NodeID) -> Bool {
        revocations.contains { $0.node == node && vector.contains($0.record) }
    }
}

/// An office's revocation of a node, as the oracle predicts it: its record, the node, and how
/// far the office held each of the node's origins when it revoked it.
struct OracleRevocation: Equatable {
    let record: WriteID
    let node: NodeID
    let seen: VersionVector
}

/// A customer, contact, journal entry or document the simulation created.
struct OracleEntity {
    let kind: EntityKind
    let id: EntityID
    /// The write that created it: held by a replica exactly when the replica has the entity.
    let creation: WriteID
    /// For a journal entry or a document, the row its plain table must hold.
    let recordRow: [PlainCell]?
}

/// The simulation's own model of what every replica must show, independent of the engine.
///
/// It knows every write ever made and what its writer had seen, and every forged change that
/// took a place in some log. From that alone it derives, for the writes a replica applies (a
/// ``Holding``): the heads of each editable field (the writes
/// no other held write of the field has seen; more than one is a conflict; the winner has the
/// greatest clock, then node id), and the elements of each set field (present while some add
/// of it has been seen by no remove of it: add-wins).
struct Oracle {
    private(set) var writes: [OracleWrite] = []
    private(set) var entities: [OracleEntity] = []
    /// Every change in some log so far.
    private(set) var everything = VersionVector()
    /// The positions of the writes some release holds instead of applying (revocations aside).
    private var heldSomewhere: [Int] = []
    private var position: [WriteID: Int] = [:]
    private var byField: [FieldKey: [Int]] = [:]
    private var byEntity: [EntityID: [Int]] = [:]
    /// The revocations written so far, oldest first.
    private(set) var revocations: [OracleRevocation] = []
    /// The node each incarnation's origin belongs to.
    private(set) var nodeOfOrigin: [NodeID: NodeID] = [:]
    /// The customer merges written so far, oldest first (``Oracle/finalCustomers(holding:)``).
    private(set) var merges: [OracleMerge] = []

    /// What a replica whose log holds `vector` holds, with the revocations it must enforce.
    func holding(_ vector: VersionVector, preview: Bool) -> Holding {
        Holding(vector: vector, preview: preview, revocations: revocations, nodeOfOrigin: nodeOfOrigin)
    }

    mutating func record(_ revocation: OracleRevocation) { revocations.append(revocation) }

    /// Records that `origin` is an incarnation of `node` (its writes are the node's).
    mutating func recordIncarnation(_ origin: NodeID, of node: NodeID) { nodeOfOrigin[origin] = node }

    /// The origins `node` wrote under so far: its id and its incarnations'.
    func origins(of node: NodeID) -> [NodeID] {
        [node] + nodeOfOrigin.filter { $0.value == node }.map(\.key).sorted()
    }

    mutating func record(_ write: OracleWrite) {
        position[write.id] = writes.count
        byField[write.key, default: []].append(writes.count)
        byEntity[write.entityID, default: []].append(writes.count)
        if write.uptake != .everywhere { heldSomewhere.append(writes.count) }
        writes.append(write)
        everything[write.id.origin] = max(everything[write.id.origin], write.id.seq)
    }

    mutating func record(_ entity: OracleEntity) { entities.append(entity) }

    mutating func record(_ merge: OracleMerge) { merges.append(merge) }

    /// Forgets the changes no replica holds any more: a node restored from an earlier copy
    /// loses what it wrote after the copy and never sent (its disk is gone). `holders` are
    /// the replicas' logs now, `parked` the changes they keep aside until the gap before them
    /// fills (one fills once every change before it survives somewhere); returns how many
    /// changes were lost.
    mutating func forgetAllBut(_ holders: [VersionVector], parked: [WriteID]) -> Int {
        var kept = VersionVector()
        for vector in holders { kept = kept.merged(with: vector) }
        let waiting = Set(parked)
        for origin in Set(parked.map(\.origin)) {
            while waiting.contains(WriteID(origin: origin, seq: kept[origin] + 1)) { kept[origin] += 1 }
        }
        let lost = writes.filter { everything.contains($0.id) && !kept.contains($0.id) }.count
        everything = kept
        return lost
    }

    func write(_ id: WriteID) -> OracleWrite? { position[id].map { writes[$0] } }

    func writes(of key: FieldKey) -> [OracleWrite] { (byField[key] ?? []).map { writes[$0] } }

    func writes(ofEntity id: EntityID) -> [OracleWrite] { (byEntity[id] ?? []).map { writes[$0] } }

    /// The writes some release holds instead of applying (preview writes, forged changes).
    var writesHeldSomewhere: [OracleWrite] { heldSomewhere.map { writes[$0] } }

    /// Every field written so far, in a stable order.
    var fieldKeys: [FieldKey] { byField.keys.sorted() }

    /// The heads of an editable field among the writes a replica applies, winner first: those
    /// no applied write of the field names as a predecessor. A writer names the heads it saw,
    /// so with every write applied this is "no applied write has seen it"; a write on top of
    /// one a revocation holds names only that one, and so stands beside the write the held one
    /// replaced (docs/ARCHITECTURE.md, "Roles and revocation").
    func heads(_ key: FieldKey, holding: Holding) -> [OracleWrite] {
        let held = writes(of: key).filter { $0.operation == .assign && holding.applies($0) }
        let named = Set(held.flatMap(\.predecessors))
        return held.filter { !named.contains($0.id) }
            .sorted { ($0.time, $0.id.origin) > ($1.time, $1.id.origin) }
    }

    /// The value the plain column shows: the winning head's, `nil` when never written.
    func current(_ key: FieldKey, holding: Holding) -> String? {
        heads(key, holding: holding).first?.value
    }

    /// The adds of `element` that no applied remove of it names (a remove names the adds it
    /// saw live: with every write applied, those it has seen).
    func liveAdds(_ key: FieldKey, element: String, holding: Holding) -> [OracleWrite] {
        let held = writes(of: key).filter { $0.value == element && holding.applies($0) }
        let named = Set(held.filter { $0.operation == .remove }.flatMap(\.predecessors))
        return held.filter { add in add.operation == .add && !named.contains(add.id) }
    }

    /// The elements present in a set field, sorted.
    func elements(_ key: FieldKey, holding: Holding) -> [String] {
        let values = writes(of: key).filter { $0.operation == .add && holding.applies($0) }.compactMap(\.value)
        return Array(Set(values)).sorted().filter { !liveAdds(key, element: $0, holding: holding).isEmpty }
    }

    /// Whether the write is current among the writes a replica applies: an editable field's
    /// head, a live add, or an applied record. Removes and held writes are never current.
    func isCurrent(_ write: OracleWrite, holding: Holding) -> Bool {
        guard holding.applies(write) else { return false }
        return switch write.operation {
        case .assign: heads(write.key, holding: holding).contains { $0.id == write.id }
        case .add: liveAdds(write.key, element: write.value ?? "", holding: holding).contains { $0.id == write.id }
        case .remove: false
        case .record: true
        case .unknown: false
        }
    }

    /// The entities of `kind` a replica has, in creation order: those some applied write
    /// writes (their creation, unless a revocation holds it while others' writes apply).
    func entities(_ kind: EntityKind, holding: Holding) -> [OracleEntity] {
        entities.filter { entity in entity.kind == kind && creator(of: entity, holding: holding) != nil }
    }

    /// The write a replica's row names as the entity's creator: its creation when that
    /// applies, else the earliest applied write of it (by clock, then origin); `nil` when none
    /// applies.
    func creator(of entity: OracleEntity, holding: Holding) -> OracleWrite? {
        if let creation = write(entity.creation), holding.applies(creation) { return creation }
        return writes(ofEntity: entity.id).filter(holding.applies).min {
            ($0.time, $0.id.origin.description) < ($1.time, $1.id.origin.description)
        }
    }

    /// The latest clock reading among the changes in a log holding `vector` (held or not: a
    /// replica's clock observes every change it logs).
    func latestTime(holding vector: VersionVector) -> HybridTime {
        writes.filter { vector.contains($0.id) }.map(\.time).max() ?? .zero
    }
}

/// A value as the plain tables hold it, rendered so that expected and actual rows compare.
enum PlainCell: Hashable {
    case null
    case text(String)
    case integer(Int64)

    init(_ text: String?) { self = text.map(PlainCell.text) ?? .null }

    var rendered: String {
        switch self {
        case .null: "NULL"
        case .text(let text): "'\(text)'"
        case .integer(let value): "\(value)"
        }
    }
}

/// `nil` as `nil`, text quoted, for messages.
func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "nil" }
