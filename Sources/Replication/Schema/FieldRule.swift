import Model

/// What a value must satisfy, both when a local user writes it and when a peer's change
/// carries it (the gate).
///
/// A local write is *normalised* to its stored form (an e-mail address cleaned, an id written
/// canonically); a peer's change must already be in that stored form — the gate never rewrites
/// what it forwards, so a value in another form is held, not "fixed".
public enum FieldRule: Sendable, Hashable {
    /// Any text, kept exactly as typed.
    case text
    /// An e-mail address, stored as ``EmailAddress`` normalises it.
    case email
    /// The id of an entity of this kind, in its canonical text form.
    case entity(EntityKind)
    /// A yes/no mark: `true` when set, empty (NULL) when not.
    case flag
    /// A price: a non-negative decimal of at most four places, kept as typed (``Money/checkPrice(_:)``).
    case amount
    /// A percentage, stored without its sign: `8.25` (``RecordList/text(_:)``).
    case percentage
    /// Payment terms, stored as ``PaymentTerms`` writes them: `net 30`, `2/10 net 30`.
    case terms

    /// The longest value of one field, in UTF-8 bytes: what a change batch may carry.
    public static let maximumValueBytes = 256 * 1024

    /// Checks a value a local user wants to write and returns the form to store.
    ///
    /// Throws ``ReplicationError/Code/invalidValue`` (naming `field`) for an empty required
    /// value, a value over ``maximumValueBytes``, or one the rule refuses. Does not check that
    /// a referenced entity exists (the writer does, inside its transaction).
    public func normalise(_ value: String?, required: Bool, field: String) throws(ReplicationError) -> String? {
        if required, (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ReplicationError(.invalidValue, "\(field) must not be empty")
        }
        // A flag is `true` or not there: empty is NULL, as for a peer's change.
        if self == .flag, value?.isEmpty == true { return nil }
        guard let value, !value.isEmpty else { return value }
        guard value.utf8.count <= Self.maximumValueBytes else {
            throw ReplicationError(
                .invalidValue,
                "\(field) is \(value.utf8.count) bytes; a field holds at most \(Self.maximumValueBytes) (file long texts as documents)"
            )
        }
        switch self {
        case .text:
            return value
        case .email:
            do {
                return try EmailAddress(parsing: value).value
            } catch {
                throw ReplicationError(.invalidValue, "\(field): \(error.message)")
            }
        case .entity(let kind):
            guard let id = EntityID(value.trimmingCharacters(in: .whitespaces)) else {
                throw ReplicationError(.invalidValue, "\(field) must be a \(kind.name) id, not '\(value)'")
            }
            return id.description
        case .flag:
            guard value == "true" else {
                throw ReplicationError(.invalidValue, "\(field) is 'true' or empty, not '\(value)'")
            }
            return value
        case .amount:
            do { try Money.checkPrice(value) } catch { throw Self.refusal(field, error) }
            return value
        case .percentage:
            do { return RecordList.text(try Percentage(parsing: value)) } catch { throw Self.refusal(field, error) }
        case .terms:
            do { return try PaymentTerms(parsing: value).description } catch { throw Self.refusal(field, error) }
        }
    }

    private static func refusal(_ field: String, _ error: any Error) -> ReplicationError {
        ReplicationError(.invalidValue, "\(field): \((error as? ModelError)?.message ?? String(describing: error))")
    }

    /// Why a value that arrived from a peer is not in the form a local writer stores, or `nil`
    /// when it is.
    public func violation(of value: String?, required: Bool, field: String) -> String? {
        do {
            let stored = try normalise(value, required: required, field: field)
            return stored == value ? nil : "\(field) is not in its stored form ('\(Self.excerpt(value))')"
        } catch {
            return error.message
        }
    }

    static func excerpt(_ value: String?) -> String {
        guard let value else { return "null" }
        return value.count > 40 ? String(value.prefix(40)) + "…" : value
    }
}
