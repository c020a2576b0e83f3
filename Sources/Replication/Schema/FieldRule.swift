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
    /// A calendar date `YYYY-MM-DD` (``BusinessDate``).
    case date
    /// A moment, stored as ``Timestamp/format(_:)`` writes it in UTC (`2026-11-29T14:05:00Z`);
    /// typed with any zone.
    case timestamp
    /// One of these words, stored lower-case.
    case choice([String])
    /// Ids of records, in canonical form, sorted, separated by single spaces (what a service
    /// call records of the credit holds its writer had seen).
    case references

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
        case .date:
            do { return try BusinessDate(parsing: value.trimmingCharacters(in: .whitespaces)).description } catch {
                throw ReplicationError(.invalidValue, "\(field) must be a date YYYY-MM-DD, not '\(value)'")
            }
        case .timestamp:
            do { return Timestamp.format(try Timestamp.parse(value)) } catch { throw Self.refusal(field, error) }
        case .choice(let words):
            let word = value.trimmingCharacters(in: .whitespaces).lowercased()
            guard words.contains(word) else {
                throw ReplicationError(
                    .invalidValue,
                    "\(field) is one of \(words.joined(separator: ", ")), not '\(value)'"
                )
            }
            return word
        case .references:
            let ids = value.split(separator: " ", omittingEmptySubsequences: false).map { EntityID(String($0)) }
            guard ids.allSatisfy({ $0 != nil }) else {
                throw ReplicationError(
                    .invalidValue,
                    "\(field) must be ids separated by spaces, not '\(Self.excerpt(value))'"
                )
            }
            return Set(ids.compactMap { $0?.description }).sorted().joined(separator: " ")
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
