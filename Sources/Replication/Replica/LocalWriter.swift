import Foundation
import GRDB
import Model

/// The one API through which a user's writes enter the replica.
///
/// Each method checks the write against the folder's rules, stamps it (origin, sequence
/// number, clock) and appends it through the merge engine, inside the transaction of
/// ``Replica/write(_:)``. A refused write throws and the whole transaction is rolled back.
public struct LocalWriter {
    var ledger: Ledger

    init(ledger: Ledger) {
        self.ledger = ledger
    }

    var db: Database { ledger.db }
    public var schema: FolderSchema { ledger.schema }

    /// The declaration of a kind this node writes; ``ReplicationError/Code/unknownField`` for
    /// a kind its release does not declare.
    func declaration(_ kind: EntityKind) throws -> KindDeclaration {
        guard let declaration = schema.declaration(of: kind) else {
            throw ReplicationError(.unknownField, "release \(schema.release) does not know \(kind.name)")
        }
        return declaration
    }

    // MARK: Generic writes

    /// Writes an editable field. The write has seen the field's current heads, so it settles
    /// any open conflict on the field. Writing the value a field already has is a no-op.
    public mutating func set(_ kind: EntityKind, _ id: EntityID, field: String, to value: String?) throws {
        let id = try inFolder(kind, id)
        try requireEntity(kind, id, inFolder: field != Removal.field)
        let declaration = try declaration(kind)
        guard let register = declaration.register(field) else {
            throw ReplicationError(
                .unknownField,
                "\(kind.name) has no field '\(field)' (fields: \(declaration.fieldNames.joined(separator: ", ")))"
            )
        }
        let stored = try validated(value, for: register)
        let heads = try FieldHeads.fetch(db, entityID: id.description, field: field)
        if field == Removal.field {
            // A removal (or a restore) names every write of the entity it saw (``Removal``);
            // in a removal conflict it settles it, also when the register already says so.
            if heads.count == 1, heads[0].value == stored,
                try !Removal.inConflict(db, entityID: id.description)
            {
                return
            }
            try append(kind, id, field, .assign, stored, try Removal.seen(db, entityID: id.description, ledger: ledger))
            return
        }
        if heads.count == 1, heads[0].value == stored { return }
        try append(kind, id, field, .assign, stored, heads.map(\.id))
    }

    /// Removes an entity of a kind that can be removed (a contact) from the folder. The removal
    /// has seen every write of the entity this node holds; one made elsewhere that it did not
    /// see makes it a conflict, shown until settled (``Removal``).
    public mutating func removeEntity(_ kind: EntityKind, _ id: EntityID) throws {
        guard try declaration(kind).register(Removal.field) != nil else {
            throw ReplicationError(.unknownField, "a \(kind.name) cannot be removed")
        }
        try requireEntity(kind, id)
        try set(kind, id, field: Removal.field, to: "true")
    }

    /// Adds an element to a set field. Always a new add, also when the element is there
    /// already: a remove made elsewhere that did not see this add cannot take it away
    /// (add-wins).
    public mutating func add(_ kind: EntityKind, _ id: EntityID, field: String, element: String) throws {
        let id = try inFolder(kind, id)
        try requireEntity(kind, id)
        let element = try normalisedElement(kind, field, element)
        try append(kind, id, field, .add, element, [])
    }

    /// Removes an element from a set field: the adds this node has seen are removed, a
    /// concurrent add elsewhere survives (add-wins).
    public mutating func remove(_ kind: EntityKind, _ id: EntityID, field: String, element: String) throws {
        let id = try inFolder(kind, id)
        try requireEntity(kind, id)
        let element = try normalisedElement(kind, field, element)
        let tags = try liveTags(id, field, element)
        guard !tags.isEmpty else {
            throw ReplicationError(.invalidValue, "\(kind.name) \(id) has no \(field) element '\(element)'")
        }
        try append(kind, id, field, .remove, element, tags)
    }

    // MARK: The folder

    /// Creates a customer with its first fields; returns its new id.
    public mutating func createCustomer(
        name: String,
        categories: [String] = [],
        fields: [String: String] = [:]
    ) throws -> EntityID {
        _ = try FieldRule.text.normalise(name, required: true, field: "name")
        let id = ledger.newEntityID()
        try append(.customer, id, "name", .assign, name, [])
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            try set(.customer, id, field: field, to: value)
        }
        for category in categories { try add(.customer, id, field: "categories", element: category) }
        // A laptop holds the customers it creates: the folder is assigned to it in the same
        // transaction (docs/PROTOCOL.md, "Laptops hold only their customers").
        // (The ledger read the role already: an office's import reads nothing more per customer.)
        if ledger.role == .laptop {
            let name = try String.fetchOne(db, sql: "SELECT name FROM node WHERE id = 1") ?? ""
            try recordAssignment(.assign, customers: [id], node: ledger.local, nodeName: name)
            // ... and it holds the folder's whole history: every change of it is its own.
            try db.execute(
                sql: "INSERT OR IGNORE INTO scope_customers (customer_id, since) VALUES (?, ?)",
                arguments: [id.description, now]
            )
        }
        return id
    }

    /// Creates a contact of a customer; returns its new id.
    public mutating func createContact(
        customer: EntityID,
        name: String,
        fields: [String: String] = [:],
        phones: [String] = [],
        emails: [String] = []
    ) throws -> EntityID {
        try requireEntity(.customer, customer)
        let customer = try CustomerMerges.final(db, customer)
        _ = try FieldRule.text.normalise(name, required: true, field: "name")
        let id = ledger.newEntityID()
        try append(.contact, id, "customer", .assign, customer.description, [])
        try append(.contact, id, "name", .assign, name, [])
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            try set(.contact, id, field: field, to: value)
        }
        for phone in phones { try add(.contact, id, field: "phones", element: phone) }
        for email in emails { try add(.contact, id, field: "emails", element: email) }
        return id
    }

    /// How far ahead of this node's clock a journal entry's time may be: a day (time zones, a
    /// meeting written down the evening before), not a typo's year.
    static let furthestAhead: UInt64 = 86_400_000

    /// Appends a journal entry to a customer's folder; returns its id. Entries are immutable:
    /// a correction is a new entry whose `corrects` names the old one, in the same folder.
    /// Refused: a time more than ``furthestAhead`` beyond this node's clock.
    public mutating func addJournalEntry(
        customer: EntityID,
        at: Date,
        kind: JournalKind,
        parties: String,
        notes: String,
        author: String,
        corrects: EntityID? = nil,
        contact: EntityID? = nil
    ) throws -> EntityID {
        try requireEntity(.customer, customer)
        let customer = try CustomerMerges.final(db, customer)
        if let contact {
            try requireEntity(.contact, contact)
            guard try folder(ofRowIn: "contacts", contact) == customer else {
                throw ReplicationError(.invalidValue, "contact \(contact) is not a contact of customer \(customer)")
            }
        }
        if let corrects {
            try requireEntity(.journal, corrects)
            let of = try String.fetchOne(
                db,
                sql: "SELECT customer_id FROM journal_entries WHERE id = ?",
                arguments: [corrects.description]
            )
            guard let of, let ofID = EntityID(of), try CustomerMerges.final(db, ofID) == customer else {
                throw ReplicationError(
                    .invalidValue,
                    "journal entry \(corrects) is in the folder of customer \(of ?? "?"), not \(customer): a correction goes in the same folder"
                )
            }
        }
        let now = ledger.wallClock()
        guard at.timeIntervalSince1970 * 1000 <= Double(now) + Double(Self.furthestAhead) else {
            throw ReplicationError(
                .invalidValue,
                "the entry's time \(Timestamp.format(at)) is more than a day ahead of this node's clock (\(Timestamp.format(Date(timeIntervalSince1970: Double(now) / 1000))))"
            )
        }
        let record = JournalRecord(
            customerId: customer.description,
            at: Timestamp.format(at),
            kind: kind.rawValue,
            parties: parties,
            notes: notes,
            author: author,
            corrects: corrects?.description,
            contact: contact?.description
        )
        let id = ledger.newEntityID()
        try append(.journal, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Files a document's metadata in a customer's folder; the bytes go to the blob store
    /// under `digest` first. Returns the document's id.
    public mutating func addDocument(
        customer: EntityID,
        title: String,
        fileName: String,
        mediaType: String,
        size: Int64,
        digest: String,
        addedBy: String
    ) throws -> EntityID {
        try requireEntity(.customer, customer)
        let customer = try CustomerMerges.final(db, customer)
        let id = ledger.newEntityID()
        let record = DocumentRecord(
            customerId: customer.description,
            title: title,
            fileName: fileName,
            mediaType: mediaType,
            size: size,
            digest: digest,
            addedAt: now,
            addedBy: addedBy
        )
        try append(.document, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Merges customer `duplicate` (one customer entered twice) into `keep`: everything of the
    /// duplicate shows in the kept customer's folder, on every node, also what other nodes
    /// write to it later (``CustomerMerges``). Follows merges made before: the kept customer is
    /// where `keep`'s folder shows now. Returns that customer, and whether a merge was written
    /// (`false`: the duplicate's folder is that customer's already — merging twice is once).
    public mutating func mergeCustomers(keep: EntityID, duplicate: EntityID, by: String) throws -> (
        keep: EntityID, written: Bool
    ) {
        try requireEntity(.customer, keep)
        try requireEntity(.customer, duplicate)
        let kept = try CustomerMerges.final(db, keep)
        let merged = try CustomerMerges.final(db, duplicate)
        if kept == merged {
            guard duplicate == kept else { return (kept, false) }
            throw ReplicationError(
                .invalidValue,
                keep == duplicate
                    ? "a customer cannot be merged into itself"
                    : "customer \(keep) was merged into \(duplicate) already; merge the other way round if at all"
            )
        }
        let record = CustomerMergeRecord(
            keep: kept.description,
            duplicate: duplicate.description,
            mergedAt: now,
            mergedBy: by
        )
        try append(.customerMerge, ledger.newEntityID(), "", .record, try RecordJSON.encode(record), [])
        return (kept, true)
    }

    /// Withdraws a document filed by mistake: a record that points at it. The document's record
    /// stays, marked; its bytes are erased on every node (the node layer erases them once the
    /// withdrawal is in its replica). Refused for a document already withdrawn here and for an
    /// empty reason.
    public mutating func withdrawDocument(_ document: EntityID, reason: String, by: String) throws -> EntityID {
        try requireEntity(.document, document)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ReplicationError(.invalidValue, "say why the document is withdrawn (--reason)")
        }
        if let at = try String.fetchOne(
            db,
            sql: "SELECT withdrawn_at FROM documents WHERE id = ?",
            arguments: [document.description]
        ) {
            throw ReplicationError(.invalidValue, "document \(document) was withdrawn already, at \(at)")
        }
        let record = DocumentWithdrawalRecord(
            document: document.description,
            reason: reason,
            withdrawnAt: now,
            withdrawnBy: by
        )
        let id = ledger.newEntityID()
        try append(.documentWithdrawal, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Checks a value for an editable field and returns the form to store: e-mail addresses
    /// normalised, ids of other entities checked to exist and written canonically, other text
    /// exactly as typed.
    func validated(_ value: String?, for register: KindDeclaration.Register) throws -> String? {
        let stored = try register.rule.normalise(value, required: register.required, field: register.field)
        guard case .entity(let target) = register.rule, let stored, let targetID = EntityID(stored) else {
            return stored
        }
        try requireEntity(target, targetID)
        return stored
    }

    /// Settles an open conflict with `value`: a write that has seen every candidate.
    mutating func settle(_ conflict: Conflict, with value: String?) throws {
        var seen = conflict.candidates.map(\.write)
        if conflict.field == Removal.field {
            // Settling a removal conflict either way has seen every write of the entity.
            let all = try Removal.seen(db, entityID: conflict.entityID.description, ledger: ledger)
            seen = Array(Set(seen + all)).sorted()
        }
        try append(conflict.entity, conflict.entityID, conflict.field, .assign, value, seen)
    }

    // MARK: Helpers

    mutating func append(
        _ kind: EntityKind,
        _ id: EntityID,
        _ field: String,
        _ operation: Operation,
        _ value: String?,
        _ predecessors: [WriteID]
    ) throws {
        if let value, value.utf8.count > 2 * FieldRule.maximumValueBytes {
            throw ReplicationError(
                .invalidValue,
                "the \(kind.name) is \(value.utf8.count) bytes; at most \(2 * FieldRule.maximumValueBytes) fit (file long texts as documents)"
            )
        }
        let change = ledger.stamp(
            entity: kind,
            entityID: id,
            field: field,
            operation: operation,
            value: value,
            predecessors: predecessors
        )
        if case .held(let reason) = try ledger.appendLocal(change) {
            // A revoked node's copy announces its new incarnation all the same: the record is
            // logged and held here as on every node that holds the revocation.
            if kind == .incarnation, reason == .revoked { return }
            // The gate is the same for local writes: a write the writer let through but the gate
            // holds is a bug in this build, never a user's mistake.
            throw ReplicationError(.invalidValue, "the \(kind.name) write of \(field) was refused (\(reason.rawValue))")
        }
    }

    /// The entity a write to `id` goes to: for a customer merged into another, that one.
    private func inFolder(_ kind: EntityKind, _ id: EntityID) throws -> EntityID {
        kind == .customer ? try CustomerMerges.final(db, id) : id
    }

    /// Throws ``ReplicationError/Code/unknownID`` unless the entity exists and, when
    /// `inFolder`, is not removed (``Removal``).
    /// The folder (``CustomerMerges/final(_:_:)``) of the customer a row of `table` names in
    /// `customer_id`; `nil` when there is no such row.
    func folder(ofRowIn table: String, _ id: EntityID) throws -> EntityID? {
        let customer = try String.fetchOne(
            db,
            sql: "SELECT customer_id FROM \(table) WHERE id = ?",
            arguments: [id.description]
        ).flatMap(EntityID.init)
        return try customer.map { try CustomerMerges.final(db, $0) }
    }

    /// This node's clock now, as records carry a time (`YYYY-MM-DDTHH:MM:SS.sssZ`).
    var now: String { Timestamp.format(Date(timeIntervalSince1970: TimeInterval(ledger.wallClock()) / 1000)) }

    func requireEntity(_ kind: EntityKind, _ id: EntityID, inFolder: Bool = true) throws {
        let declaration = try declaration(kind)
        let exists = try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(declaration.table) WHERE id = ?)"),
            arguments: [id.description]
        )
        guard exists == true else { throw ReplicationError(.unknownID, "no \(kind.name) with id \(id)") }
        if inFolder, declaration.register(Removal.field) != nil,
            try !Removal.isInFolder(db, table: declaration.table, entityID: id.description)
        {
            throw ReplicationError(.unknownID, "\(kind.name) \(id) was removed (its writes: nodectl history \(id))")
        }
    }

    private func normalisedElement(_ kind: EntityKind, _ field: String, _ element: String) throws -> String {
        guard let set = try declaration(kind).set(field) else {
            throw ReplicationError(.unknownField, "\(kind.name) has no set field '\(field)'")
        }
        return try ChangeGate.normalisedElement(element, of: set)
    }

    private func liveTags(_ id: EntityID, _ field: String, _ element: String) throws -> [WriteID] {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT c.origin, c.seq FROM set_elements s JOIN changes c ON c.local_order = s.change
                    WHERE s.entity_id = ? AND s.field = ? AND s.element = ? AND s.removed_by IS NULL
                    ORDER BY s.change
                    """
            ),
            arguments: [id.description, field, element]
        )
        return try rows.map {
            WriteID(origin: try ledger.node(ofOrigin: $0["origin"]), seq: UInt64($0["seq"] as Int64))
        }
    }
}
