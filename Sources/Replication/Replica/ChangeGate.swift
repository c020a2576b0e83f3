import Foundation
import Model

/// The one validation every change passes before the merge, local or from a peer.
///
/// It checks a change against the schema's declarations only — never against the replica's
/// state (the ledger checks order, origin and predecessors; the materializer the entity's kind
/// and records' ids). A change it refuses is held with the reason, never applied and never
/// rewritten: the gate does not "fix" what it forwards.
///
/// Guarantees: every number is bounded (sequence numbers and predecessor sequence numbers fit
/// SQLite's signed 64 bits, clocks fit the packed form); values are in the form a local
/// writer stores (e-mail addresses normalised, ids canonical, set elements trimmed and
/// labelled as ``LabelledValue`` writes them, digests lower-case hex); records carry every
/// declared member with its type.
struct ChangeGate {
    let schema: FolderSchema

    /// The largest sequence number or clock the replica stores (SQLite integers are signed).
    static let maximumStored = UInt64(Int64.max)
    /// The largest physical time in a clock reading: the packed form keeps 48 bits.
    static let maximumMilliseconds: UInt64 = (1 << 47) - 1

    /// Why a change's numbers cannot be stored, or `nil`.
    static func boundsViolation(_ change: Change) -> Hold? {
        guard change.seq >= 1, change.seq <= maximumStored else {
            return Hold(.malformed, "change \(change.id) has sequence number \(change.seq), outside 1…2^63-1")
        }
        guard change.time.milliseconds <= maximumMilliseconds else {
            return Hold(
                .malformed,
                "change \(change.id) has a clock of \(change.time.milliseconds) ms, beyond any date"
            )
        }
        return nil
    }

    /// Why a change's predecessors cannot name any change, or `nil`. Such a change still takes
    /// its place in the log (its own numbers are fine), held, so its origin's stream goes on.
    static func predecessorViolation(_ change: Change) -> Hold? {
        guard let bad = change.predecessors.first(where: { $0.seq < 1 || $0.seq > maximumStored }) else { return nil }
        return Hold(.malformed, "change \(change.id) names predecessor \(bad), outside 1…2^63-1")
    }

    /// Why the schema refuses the change, or `nil` when it may be applied.
    func violation(_ change: Change) -> Hold? {
        var record: RecordObject?
        return violation(change, record: &record)
    }

    /// As ``violation(_:)``; for a record it may apply, `record` is its parsed JSON (so that
    /// the materializer does not parse it again).
    func violation(_ change: Change, record: inout RecordObject?) -> Hold? {
        guard let declaration = schema.declaration(of: change.entity) else {
            return Hold(
                .unknownKind,
                "kind \(change.entity.code) (\(change.entity.name)) is not known to release \(schema.release)"
            )
        }
        let what = "\(declaration.name) \(change.entityID)"
        switch change.operation {
        case .unknown(let code):
            return Hold(.unknownOperation, "operation \(code) on \(what) is not known to release \(schema.release)")
        case .assign:
            guard let register = declaration.register(change.field) else {
                return unknownField(change, declaration, "an editable field")
            }
            if let problem = register.rule.violation(of: change.value, required: register.required, field: change.field)
            {
                return Hold(.rule, "\(what): \(problem)")
            }
            return nil
        case .add, .remove:
            guard let set = declaration.set(change.field) else { return unknownField(change, declaration, "a set") }
            guard let element = change.value else {
                return Hold(.rule, "\(what): a \(change.field) element without a value")
            }
            if let problem = Self.elementViolation(element, of: set) { return Hold(.rule, "\(what): \(problem)") }
            return nil
        case .record:
            guard declaration.isRecord, change.field.isEmpty else {
                return unknownField(change, declaration, "a record")
            }
            guard change.predecessors.isEmpty else { return Hold(.rule, "\(what): a record names predecessors") }
            guard change.value != nil else { return Hold(.rule, "\(what): a record without a value") }
            guard let object = RecordJSON.parse(change.value) else {
                return Hold(.rule, "\(what): the record is not a JSON object")
            }
            if let problem = Self.recordViolation(object, declaration: declaration) {
                return Hold(.rule, "\(what): \(problem)")
            }
            record = object
            return nil
        }
    }

    private func unknownField(_ change: Change, _ declaration: KindDeclaration, _ shape: String) -> Hold {
        let field = change.field.isEmpty ? "(no field)" : change.field
        return Hold(
            .unknownField,
            "\(declaration.name).\(field) is not \(shape) of release \(schema.release) (\(change.operation.name))"
        )
    }

    // MARK: Set elements

    /// The stored form of a set element a local user typed.
    static func normalisedElement(_ element: String, of set: KindDeclaration.SetField) throws(ReplicationError)
        -> String
    {
        let trimmed = element.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReplicationError(.invalidValue, "\(set.field) element must not be empty") }
        guard trimmed.utf8.count <= FieldRule.maximumValueBytes else {
            throw ReplicationError(.invalidValue, "\(set.field) element is over \(FieldRule.maximumValueBytes) bytes")
        }
        switch set.shape {
        case .plain:
            return trimmed
        case .labelled(_, _, let rule):
            var labelled = LabelledValue(parsing: trimmed)
            labelled.value = try rule.normalise(labelled.value, required: true, field: set.field) ?? ""
            return labelled.text
        }
    }

    static func elementViolation(_ element: String, of set: KindDeclaration.SetField) -> String? {
        do {
            let stored = try normalisedElement(element, of: set)
            return stored == element
                ? nil : "\(set.field) element '\(FieldRule.excerpt(element))' is not in its stored form ('\(stored)')"
        } catch {
            return error.message
        }
    }

    // MARK: Records

    /// Why a record's JSON does not fit its declaration, or `nil`. Members beyond the declared
    /// ones are allowed (a newer release may add some); the log keeps them.
    static func recordViolation(_ object: RecordObject, fields: [KindDeclaration.RecordField]) -> String? {
        for field in fields {
            let member = object[field.key]
            guard let member, member != .null else {
                if field.optional { continue }
                return "the record has no '\(field.key)'"
            }
            if let problem = memberViolation(member, field) { return "the record's '\(field.key)' \(problem)" }
        }
        return nil
    }

    /// As ``recordViolation(_:fields:)``, then the kind's rule over the whole record.
    static func recordViolation(_ object: RecordObject, declaration: KindDeclaration) -> String? {
        guard let fields = declaration.recordFields else { return "\(declaration.name) has no records" }
        if let problem = recordViolation(object, fields: fields) { return problem }
        return declaration.recordRule.flatMap { RecordRules.violation(object, $0) }
    }

    private static func memberViolation(_ member: RecordMember, _ field: KindDeclaration.RecordField) -> String? {
        switch field.value {
        case .text:
            return member.text != nil ? nil : "is not a string"
        case .entity(let kind):
            guard let text = member.text, EntityID(text)?.description == text else {
                return "is not a \(kind.name) id in canonical form"
            }
            return nil
        case .integer(let minimum):
            guard let number = member.integer else { return "is not an integer" }
            return number >= minimum ? nil : "is below \(minimum)"
        case .digest:
            guard let text = member.text, BlobStore.isValidDigest(text) else {
                return "is not a SHA-256 digest in lower-case hex"
            }
            return nil
        case .decision:
            guard let text = member.text, text == "accept" || text == "drop" else {
                return "is neither 'accept' nor 'drop'"
            }
            return nil
        case .date:
            guard let text = member.text, (try? BusinessDate(parsing: text))?.description == text else {
                return "is not a date YYYY-MM-DD"
            }
            return nil
        case .choice(let words):
            guard let text = member.text, words.contains(text) else {
                return "is not one of \(words.joined(separator: ", "))"
            }
            return nil
        case .terms:
            guard let text = member.text, (try? PaymentTerms(parsing: text))?.description == text else {
                return "are not payment terms as 'net 30' or '2/10 net 30'"
            }
            return nil
        case .currency:
            guard let text = member.text, (try? CurrencyCode(text))?.code == text else {
                return "is not a currency code"
            }
            return nil
        case .node:
            guard let text = member.text, NodeID(text)?.description == text else {
                return "is not a node id in canonical form"
            }
            return nil
        case .list(let shape):
            return shape.violation(member)
        }
    }
}

/// Reading JSON numbers as exact integers.
enum RecordValue {
    /// The member as an exact 64-bit integer; `nil` for a Boolean, a fraction, or anything else.
    static func integer(_ member: Any) -> Int64? {
        if isBoolean(member) { return nil }
        if let value = member as? Int64 { return value }
        if let value = member as? Int { return Int64(value) }
        guard let number = member as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, let exact = Int64(exactly: double) else { return nil }
        return exact
    }

    /// Whether a JSON member is `true` or `false`. Not `member is Bool`: that bridges any
    /// NSNumber that is 0 or 1, so the JSON numbers 0 and 1 (a document of size 1, a decision
    /// on change 1) would read as Booleans. (Found by the apply-path fuzzer.)
    static func isBoolean(_ member: Any) -> Bool {
        let type = ObjectIdentifier(Swift.type(of: member))
        return type == ObjectIdentifier(Bool.self) || type == booleanClass
    }

    /// The class JSONSerialization reads `true` and `false` as (CFBoolean's).
    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))
}
