import Foundation
import GRDB
import Model

extension LocalWriter {
    // MARK: Equipment

    /// Records a machine installed at a customer; returns its id. A serial number this node
    /// already holds for the same model is not refused (two offices may enter one machine
    /// apart): the equipment lists show it as a likely duplicate.
    public mutating func addEquipment(
        customer: EntityID,
        model: String,
        serial: String,
        installed: BusinessDate?,
        warrantyUntil: BusinessDate?,
        site: String?,
        notes: String?
    ) throws -> EntityID {
        let folder = try folder(of: customer)
        let model = try Self.required(model, "--model")
        let serial = try Self.required(serial, "--serial")
        if let installed, let warrantyUntil, warrantyUntil < installed {
            throw ReplicationError(
                .invalidValue,
                "the warranty ends \(warrantyUntil), before the machine was installed (\(installed))"
            )
        }
        let id = ledger.newEntityID()
        try append(.equipment, id, "customer", .assign, folder.description, [])
        try append(.equipment, id, "model", .assign, model, [])
        try append(.equipment, id, "serial", .assign, serial, [])
        for (field, value) in [
            ("installed", installed?.description), ("warranty-until", warrantyUntil?.description),
            ("site", nonEmpty(site)), ("notes", nonEmpty(notes)),
        ] {
            if let value { try set(.equipment, id, field: field, to: value) }
        }
        return id
    }

    /// The fields `equipment set` changes.
    public static let equipmentFields = ["model", "serial", "installed", "warranty-until", "site", "notes"]

    /// Changes a field of a machine (``equipmentFields``); an empty value clears an optional one.
    public mutating func setEquipment(_ id: EntityID, field: String, to value: String?) throws {
        try requireEntity(.equipment, id)
        guard Self.equipmentFields.contains(field) else {
            throw ReplicationError(
                .unknownField,
                "equipment has no field '\(field)' (fields: \(Self.equipmentFields.joined(separator: ", ")))"
            )
        }
        try set(.equipment, id, field: field, to: nonEmpty(value))
    }

    // MARK: Jobs

    /// Records a project for a customer, optionally from one of its sales orders (by id or
    /// number); it starts `planned`.
    public mutating func addJob(
        customer: EntityID,
        title: String,
        order: String?,
        start: BusinessDate?,
        end: BusinessDate?,
        notes: String?
    ) throws -> EntityID {
        let folder = try folder(of: customer)
        let title = try Self.required(title, "--title")
        if let start, let end, end < start {
            throw ReplicationError(.invalidValue, "the job ends \(end), before it starts (\(start))")
        }
        let orderID = try order.map { try self.order($0, inFolder: folder) }
        let id = ledger.newEntityID()
        try append(.job, id, "customer", .assign, folder.description, [])
        try append(.job, id, "title", .assign, title, [])
        try append(.job, id, "status", .assign, "planned", [])
        for (field, value) in [
            ("order", orderID?.description), ("start", start?.description), ("end", end?.description),
            ("notes", nonEmpty(notes)),
        ] {
            if let value { try set(.job, id, field: field, to: value) }
        }
        return id
    }

    /// The fields `job set` changes.
    public static let jobFields = ["title", "order", "start", "end", "status", "notes"]

    /// Changes a field of a job (``jobFields``): `order` by id or number, of the job's folder;
    /// `status` one of ``FolderSchema/jobStatuses``.
    public mutating func setJob(_ id: EntityID, field: String, to value: String?) throws {
        try requireEntity(.job, id)
        guard Self.jobFields.contains(field) else {
            throw ReplicationError(
                .unknownField,
                "a job has no field '\(field)' (fields: \(Self.jobFields.joined(separator: ", ")))"
            )
        }
        var value = nonEmpty(value)
        if field == "order", let reference = value {
            guard let folder = try folder(ofRowIn: "jobs", id) else {
                throw ReplicationError(.unknownID, "no job with id \(id)")
            }
            value = try order(reference, inFolder: folder).description
        }
        try set(.job, id, field: field, to: value)
    }

    private func order(_ reference: String, inFolder folder: EntityID) throws -> EntityID {
        let order = try FinancialLookup.document(db, reference, .order, table: "orders")
        guard try self.folder(ofRowIn: "orders", order) == folder else {
            throw ReplicationError(.invalidValue, "order \(reference) is not for customer \(folder)")
        }
        return order
    }

    // MARK: Service calls

    /// Opens a service call, numbered from this node's `SC` series, `scheduled`. Refused for a
    /// customer on credit hold here (naming the hold); it records the holds this node had seen,
    /// so a hold placed elsewhere meanwhile makes it a `service-during-hold` exception.
    public mutating func addServiceCall(
        customer: EntityID,
        problem: String,
        equipment: EntityID?,
        job: EntityID?,
        scheduled: Date?,
        crew: [String]
    ) throws -> IssuedDocument {
        let folder = try folder(of: customer)
        let problem = try Self.required(problem, "--problem")
        try refuseIfOnHold(folder, "no service call is taken")
        if let equipment { try requireInFolder(.equipment, "equipment", equipment, folder) }
        if let job { try requireInFolder(.job, "jobs", job, folder) }
        let crew = try Self.crew(crew)
        let number = try NumberSeries.allocate(db, node: ledger.local, kind: .serviceCall, table: "service_calls")
        let id = ledger.newEntityID()
        try append(.serviceCall, id, "customer", .assign, folder.description, [])
        try append(.serviceCall, id, "number", .assign, number, [])
        try append(.serviceCall, id, "problem", .assign, problem, [])
        try append(.serviceCall, id, "status", .assign, "scheduled", [])
        let seen = try knownHolds(folder)
        for (field, value) in [
            ("equipment", equipment?.description), ("job", job?.description),
            ("scheduled", scheduled.map(Timestamp.format)),
            ("holds-seen", seen.isEmpty ? nil : seen.joined(separator: " ")),
        ] {
            if let value { try set(.serviceCall, id, field: field, to: value) }
        }
        for person in crew { try add(.serviceCall, id, field: "crew", element: person) }
        return IssuedDocument(id: id, number: number)
    }

    /// The fields `service set` changes.
    public static let serviceCallFields = ["status", "scheduled", "problem", "equipment", "job", "completed"]

    /// Changes fields of a service call (by id or number): `status=completed` also records the
    /// completion date (`today`) unless the edits give `completed`. Status changes are
    /// registers: two set apart are a conflict, settled like any field.
    public mutating func setServiceCall(_ reference: String, edits: [(String, String)], today: BusinessDate) throws {
        let call = try serviceCall(reference)
        guard let folder = try folder(ofRowIn: "service_calls", call) else {
            throw ReplicationError(.unknownID, "no service call \(reference)")
        }
        var edits = edits
        if edits.contains(where: { $0.0 == "status" && $0.1.trimmingCharacters(in: .whitespaces) == "completed" }),
            !edits.contains(where: { $0.0 == "completed" })
        {
            edits.append(("completed", today.description))
        }
        for (field, value) in edits {
            guard Self.serviceCallFields.contains(field) else {
                throw ReplicationError(
                    .unknownField,
                    "a service call has no field '\(field)' (fields: \(Self.serviceCallFields.joined(separator: ", ")); the crew: nodectl service crew)"
                )
            }
            var stored = nonEmpty(value)
            switch field {
            case "equipment":
                if let text = stored {
                    let id = try Self.id(text, "equipment")
                    try requireInFolder(.equipment, "equipment", id, folder)
                    stored = id.description
                }
            case "job":
                if let text = stored {
                    let id = try Self.id(text, "job")
                    try requireInFolder(.job, "jobs", id, folder)
                    stored = id.description
                }
            case "status", "problem":
                guard stored != nil else { throw ReplicationError(.invalidValue, "\(field) must not be empty") }
            default:
                break
            }
            try set(.serviceCall, call, field: field, to: stored)
        }
    }

    /// Adds people to and removes them from a call's crew. A set: a person added on one laptop
    /// while another removes someone else are both kept; a removal takes away only the adds
    /// this node had seen. Names match ignoring case (the spelling first added is kept).
    public mutating func changeCrew(_ reference: String, add: [String], remove: [String]) throws {
        let call = try serviceCall(reference)
        let current = try crew(of: call)
        for person in try Self.crew(add) {
            let existing = current.first { $0.caseInsensitiveCompare(person) == .orderedSame }
            try self.add(.serviceCall, call, field: "crew", element: existing ?? person)
        }
        for person in try Self.crew(remove) {
            guard let existing = current.first(where: { $0.caseInsensitiveCompare(person) == .orderedSame }) else {
                throw ReplicationError(.invalidValue, "\(person) is not on the crew of service call \(reference)")
            }
            try self.remove(.serviceCall, call, field: "crew", element: existing)
        }
    }

    /// Adds a crew note: immutable, stamped with this node's time, the person and the node.
    public mutating func addServiceNote(_ reference: String, text: String) throws -> EntityID {
        let call = try serviceCall(reference)
        guard let text = nonEmpty(text) else { throw ReplicationError(.invalidValue, "the note is empty (--text)") }
        guard text.utf8.count <= FieldRule.maximumValueBytes else {
            throw ReplicationError(
                .invalidValue,
                "the note is \(text.utf8.count) bytes; at most \(FieldRule.maximumValueBytes) (file long texts as documents)"
            )
        }
        let record = ServiceNoteRecord(
            service: call.description,
            text: text,
            writtenAt: now,
            writtenBy: ledger.person,
            node: ledger.local.description
        )
        let id = ledger.newEntityID()
        try append(.serviceNote, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Charges labour and parts on a call: lines priced from the price list (or as given) and
    /// rounded as an invoice's; immutable. Refused on a cancelled call or one already invoiced
    /// here (its charges went on that invoice).
    public mutating func addServiceCharge(_ reference: String, lines requests: [LineRequest], date: BusinessDate) throws
        -> EntityID
    {
        let call = try serviceCall(reference)
        guard !requests.isEmpty else { throw ReplicationError(.invalidValue, "a charge needs --line") }
        let status = try String.fetchOne(
            db,
            sql: "SELECT status FROM service_calls WHERE id = ?",
            arguments: [call.description]
        )
        guard status != "cancelled" else {
            throw ReplicationError(.invalidValue, "service call \(reference) was cancelled: nothing is charged on it")
        }
        if let invoice = try invoiceOfService(call) {
            throw ReplicationError(
                .invalidValue,
                "service call \(reference) was invoiced already (\(invoice)); charge further work on a new call"
            )
        }
        let currency = try FinancialLookup.currency(db)
        let lines = try priced(requests, currency: currency)
        let totals = try LineTotals(lines)
        let record = ServiceChargeRecord(
            service: call.description,
            date: date.description,
            currency: currency.code,
            subtotal: totals.subtotal,
            tax: totals.tax,
            total: totals.total,
            lines: lines,
            chargedBy: ledger.person,
            node: ledger.local.description
        )
        let id = ledger.newEntityID()
        try append(.serviceCharge, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// What an invoice of a service call carries: every charge's lines, in the order charged
    /// (by date, then id). Refused unless the call is completed, has charges, and no invoice of
    /// it is known here.
    func invoiceableCharges(_ reference: String, folder: EntityID, currency: CurrencyCode) throws -> (
        EntityID, [SalesLine]
    ) {
        let call = try serviceCall(reference)
        guard try self.folder(ofRowIn: "service_calls", call) == folder else {
            throw ReplicationError(.invalidValue, "service call \(reference) is not for customer \(folder)")
        }
        let status = try String.fetchOne(
            db,
            sql: "SELECT status FROM service_calls WHERE id = ?",
            arguments: [call.description]
        )
        guard status == "completed" else {
            throw ReplicationError(
                .invalidValue,
                "service call \(reference) is \(status ?? "without a status"), not completed: only a completed call is invoiced"
            )
        }
        if let invoice = try invoiceOfService(call) {
            throw ReplicationError(.invalidValue, "service call \(reference) was invoiced already (\(invoice))")
        }
        let charges = try Row.fetchAll(
            db,
            sql: "SELECT currency, lines FROM service_charges WHERE service_id = ? ORDER BY date, id",
            arguments: [call.description]
        )
        guard !charges.isEmpty else {
            throw ReplicationError(
                .invalidValue,
                "service call \(reference) has no charges to invoice (nodectl service charge)"
            )
        }
        var lines: [SalesLine] = []
        for charge in charges {
            guard charge["currency"] == currency.code else {
                throw ReplicationError(
                    .invalidValue,
                    "service call \(reference) was charged in \(charge["currency"] as String), this node invoices in \(currency)"
                )
            }
            lines += try JSONDecoder().decode([SalesLine].self, from: Data((charge["lines"] as String).utf8))
        }
        guard lines.count <= RecordList.maximumCount else {
            throw ReplicationError(
                .invalidValue,
                "service call \(reference) has \(lines.count) charged lines; an invoice holds at most \(RecordList.maximumCount)"
            )
        }
        return (call, lines)
    }

    // MARK: Helpers

    /// The service call a user names, by id or number.
    func serviceCall(_ reference: String) throws -> EntityID {
        try FinancialLookup.document(db, reference, .serviceCall, table: "service_calls")
    }

    private func invoiceOfService(_ call: EntityID) throws -> String? {
        try String.fetchOne(
            db,
            sql: "SELECT number FROM invoices WHERE service_id = ? ORDER BY id LIMIT 1",
            arguments: [call.description]
        )
    }

    private func crew(of call: EntityID) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT person FROM service_crew WHERE service_id = ? ORDER BY person",
            arguments: [call.description]
        )
    }

    private func requireInFolder(_ kind: EntityKind, _ table: String, _ id: EntityID, _ folder: EntityID) throws {
        try requireEntity(kind, id)
        guard try self.folder(ofRowIn: table, id) == folder else {
            throw ReplicationError(.invalidValue, "\(kind.name) \(id) is not at customer \(folder)")
        }
    }

    private static func id(_ text: String, _ what: String) throws -> EntityID {
        guard let id = EntityID(text.trimmingCharacters(in: .whitespaces)) else {
            throw ReplicationError(.invalidValue, "'\(text)' is not an id of \(what)")
        }
        return id
    }

    private static func required(_ text: String, _ option: String) throws -> String {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ReplicationError(.invalidValue, "\(option) must not be empty") }
        return value
    }

    /// People of a crew as given: trimmed, none empty, each once (ignoring case).
    private static func crew(_ people: [String]) throws -> [String] {
        var seen: [String] = []
        for person in people {
            let name = person.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw ReplicationError(.invalidValue, "a crew member's name is empty") }
            guard !name.contains(where: \.isNewline) else {
                throw ReplicationError(.invalidValue, "a crew member's name is one line, not '\(name)'")
            }
            if !seen.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { seen.append(name) }
        }
        return seen
    }
}
