/// Why a node holds a change instead of applying it.
///
/// A held change is kept, listed by `held list`, and — when it is in the log — forwarded to
/// peers unchanged like any other change; it never stops the stream it came in.
public enum HeldReason: String, Sendable, Hashable, CaseIterable {
    /// A kind this release does not declare (a newer release's).
    case unknownKind = "unknown-kind"
    /// A field the kind does not declare, or an operation on a field that does not take it.
    case unknownField = "unknown-field"
    /// An operation code this release does not know.
    case unknownOperation = "unknown-operation"
    /// A value or record that breaks the folder's rules (not in stored form, a required field
    /// emptied, an entity written as two kinds, a second record under one id, ...).
    case rule
    /// The change names as predecessor a change no node sent before it.
    case missingPredecessor = "missing-predecessor"
    /// A change under this node's own origin that this node never made.
    case ownOrigin = "own-origin"
    /// A change that skips sequence numbers of its origin: kept aside, and appended by itself
    /// once the changes before it arrive.
    case outOfOrder = "out-of-order"
    /// A number beyond what any node writes (a sequence number or clock over 2^63).
    case malformed
    /// A change whose number this replica already holds with other content: two copies of
    /// one node are writing (a folder copied to a second machine, or restored from an earlier
    /// copy). Kept here, never applied, until an admin drops it.
    case clone
    /// A change of a node an office revoked (a stolen laptop), made after the revocation:
    /// it reaches no folder unless an office accepts it.
    case revoked
    /// A revocation this node cannot take on trust: the office that signed it is not one this
    /// node trusts as an office (or this replica checks no signatures). Looked at again when
    /// this node trusts another office; an office admin may accept it.
    case unverified
    /// A revocation whose signature does not verify, or whose certificate is not its signer's:
    /// never applied; an admin can only drop it.
    case forged

    /// Whether a later release (a schema that declares more) may apply it by itself.
    var waitsForUpgrade: Bool { self == .unknownKind || self == .unknownField || self == .unknownOperation }

    /// Whether an office admin may accept it (apply it as it is).
    public var acceptable: Bool {
        self == .rule || self == .missingPredecessor || self == .revoked || self == .unverified
    }
}

/// The gate's verdict on one change: hold it for this reason, explained in one line.
struct Hold: Error, Sendable, Hashable {
    let reason: HeldReason
    let detail: String

    init(_ reason: HeldReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
