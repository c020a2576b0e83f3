import Foundation
import Model
import Node
import Replication

/// The JSON shapes of the contract (../shared/contract/nodectl.md), in one place.
enum Views {
    static func node(_ id: NodeID, name: String) -> JSONValue {
        .object([("nodeId", .string(id.description)), ("name", .string(name))])
    }

    static func customer(_ customer: Customer, country: CountryCode) -> JSONValue {
        let address = Address(parsing: customer.address, defaultCountry: country)
        let phone = PhoneNumber(parsing: customer.phone, defaultCountry: country)
        return .object([
            ("id", .string(customer.id.description)),
            ("name", .string(customer.name)),
            ("categories", .array(customer.categories.map(JSONValue.string))),
            ("notes", .string(customer.notes)),
            ("phone", .string(customer.phone)),
            ("phoneFormatted", .string(customer.phone.isEmpty ? "" : phone.formatted(homeCountry: country))),
            ("email", .string(customer.email)),
            ("address", .string(customer.address)),
            ("addressLines", .array((customer.address.isEmpty ? [] : address.formattedLines).map(JSONValue.string))),
            ("website", .string(customer.website)),
            ("archived", .bool(customer.archived)),
            ("terms", .string(customer.terms)),
            ("industry", .string(customer.industry)), ("source", .string(customer.source)),
            ("size", .string(customer.size)),
        ])
    }

    static func contact(_ contact: Contact, country: CountryCode) -> JSONValue {
        let address = Address(parsing: contact.address, defaultCountry: country)
        return .object([
            ("id", .string(contact.id.description)),
            ("customerId", .string(contact.customerID.description)),
            ("name", .string(contact.name)),
            ("nameFormatted", .string(PersonNameFormatter.format(contact.name).formatted)),
            ("salutation", .string(contact.salutation)),
            ("salutationFormatted", .string(SalutationFormatter.format(contact.salutation).formatted)),
            ("title", .string(contact.title)),
            ("titleFormatted", .string(JobTitleFormatter.format(contact.title).formatted)),
            (
                "phones",
                .array(
                    contact.phones.map { phone in
                        let number = PhoneNumber(parsing: phone.value, defaultCountry: country)
                        return .object([
                            ("label", .string(phone.label)),
                            ("number", .string(phone.value)),
                            ("formatted", .string(number.formatted(homeCountry: country))),
                            ("e164", .optional(number.e164)),
                        ])
                    }
                )
            ),
            (
                "emails",
                .array(contact.emails.map { .object([("label", .string($0.label)), ("email", .string($0.value))]) })
            ),
            ("address", .string(contact.address)),
            ("addressLines", .array((contact.address.isEmpty ? [] : address.formattedLines).map(JSONValue.string))),
            ("notes", .string(contact.notes)),
        ])
    }

    static func journal(_ entry: JournalEntry) -> JSONValue {
        .object([
            ("id", .string(entry.id.description)),
            ("at", .string(Timestamp.format(entry.at))),
            ("kind", .string(entry.kind.rawValue)),
            ("parties", .string(entry.parties)),
            ("notes", .string(entry.notes)),
            ("author", .string(entry.author)),
            ("corrects", .optional(entry.corrects?.description)),
        ])
    }

    static func document(_ document: Document, present: Bool) -> JSONValue {
        .object([
            ("id", .string(document.id.description)),
            ("customerId", .string(document.customerID.description)),
            ("title", .string(document.title)),
            ("fileName", .string(document.fileName)),
            ("mediaType", .string(document.mediaType)),
            ("size", .number(document.size)),
            ("digest", .string(document.digest)),
            ("addedAt", .string(Timestamp.format(document.addedAt))),
            ("addedBy", .string(document.addedBy)),
            ("present", .bool(present && document.withdrawal == nil)),
            (
                "withdrawn",
                document.withdrawal.map {
                    .object([
                        ("at", .string(Timestamp.format($0.at))),
                        ("by", .string($0.by)),
                        ("reason", .string($0.reason)),
                    ])
                } ?? .null
            ),
        ])
    }

    static func conflict(_ conflict: Conflict) -> JSONValue {
        .object([
            ("id", .string(conflict.id)),
            ("entity", .string(conflict.entity.name)),
            ("entityId", .string(conflict.entityID.description)),
            ("field", .string(conflict.field)),
            ("current", .optional(conflict.current)),
            (
                "candidates",
                .array(
                    conflict.candidates.map {
                        .object([
                            ("value", .optional($0.value)),
                            ("origin", .string($0.origin.description)),
                            ("at", .string(Timestamp.format($0.time.date))),
                        ])
                    }
                )
            ),
        ])
    }

    /// Who made a write: `{"person", "node", "nodeName"}` (`person` is the node's name when the
    /// write carries none; `nodeName` is null for a node this one does not know by name).
    static func by(_ author: WriteAuthor?) -> JSONValue {
        guard let author else { return .null }
        return .object([
            ("person", .string(author.person)),
            ("node", .string(author.node.description)),
            ("nodeName", .optional(author.nodeName)),
        ])
    }

    /// `value` (an object) with `"by"` added: who made the entity.
    static func attaching(by author: WriteAuthor?, to value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members + [("by", by(author))])
    }

    /// One person and node for a table cell: `Ann (front desk)`, or the node alone when the
    /// person is its name.
    static func byText(_ author: WriteAuthor) -> String {
        let node = author.nodeName ?? author.node.short
        return author.person == node ? node : "\(author.person) (\(node))"
    }

    static func feed(_ entry: FeedEntry) -> JSONValue {
        .object([
            ("at", .string(Timestamp.format(entry.time.date))),
            ("customerId", .optional(entry.customerID)),
            ("entity", .string(entry.entity)),
            ("entityId", .string(entry.entityID)),
            ("field", .string(entry.field)),
            ("operation", .string(operationName(entry.operation))),
            ("value", .optional(entry.value)),
            ("by", by(entry.by)),
        ])
    }

    static func history(_ entry: HistoryEntry) -> JSONValue {
        .object([
            ("field", .string(entry.field)),
            ("operation", .string(operationName(entry.operation))),
            ("value", .optional(entry.value)),
            ("origin", .string(entry.origin.description)),
            ("at", .string(Timestamp.format(entry.time.date))),
            ("clock", .string(entry.time.description)),
            ("current", .bool(entry.isCurrent)),
            ("by", by(entry.by)),
        ])
    }

    static func peer(_ peer: Peer) -> JSONValue {
        .object([
            ("nodeId", .string(peer.nodeID.description)),
            ("name", .optional(peer.name)),
            ("address", .optional(peer.address)),
            ("lastSync", .optional(peer.lastSync)),
            ("lastError", .optional(peer.lastError)),
            ("role", .string(peer.role.rawValue)),
            ("revoked", .optional(peer.revoked)),
            ("rolledBackAt", .optional(peer.rolledBackAt)),
        ])
    }

    static func held(_ held: HeldChange) -> JSONValue {
        .object([
            ("id", .string(held.id)),
            ("origin", .string(held.origin.description)),
            ("seq", held.seq.map { .number(Int64($0)) } ?? .null),
            ("reason", .string(held.reason.rawValue)),
            ("detail", .string(held.detail)),
            ("entity", .string(held.entity)),
            ("entityId", .string(held.entityID)),
            ("field", .string(held.field)),
            ("operation", .string(held.operation)),
            ("value", .optional(held.value)),
            ("at", .string(held.at)),
            ("inLog", .bool(held.inLog)),
        ])
    }

    static func entity(_ entity: EntitySnapshot) -> JSONValue {
        .object(
            [("id", .string(entity.id.description)), ("kind", .string(entity.kind.name))]
                + entity.fields.map { ($0.name, .optional($0.value)) }
                + entity.sets.map { set in (set.name, .array(set.elements.map { .string($0) })) }
        )
    }

    static func operationName(_ operation: Replication.Operation) -> String {
        switch operation {
        case .assign: "set"
        case .add: "add"
        case .remove: "remove"
        case .record: "record"
        case .unknown: operation.name
        }
    }
}
