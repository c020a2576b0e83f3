import Foundation
import GRDB
import Model

extension LocalWriter {
    /// Records a customer's promise to pay `amount` by `by`, made on `date`: to whom (`contact`,
    /// a contact of the folder) and for which invoice (optional, of the folder).
    public mutating func addPromise(
        customer: EntityID,
        amount text: String,
        by: BusinessDate,
        date: BusinessDate,
        contact: EntityID?,
        invoice reference: String?,
        notes: String?
    ) throws -> EntityID {
        let folder = try folder(of: customer)
        let currency = try FinancialLookup.currency(db)
        let amount: Money
        do { amount = try Money(parsing: text, currency: currency) } catch let error as ModelError {
            throw ReplicationError(.invalidValue, "--amount: \(error.message)")
        }
        guard amount.minorUnits > 0, amount.minorUnits < RecordList.amountLimit else {
            throw ReplicationError(.invalidValue, "--amount: a promise is of more than zero, not \(amount)")
        }
        guard by >= date else {
            throw ReplicationError(.invalidValue, "the promise is due by \(by), before it was made (\(date))")
        }
        if let contact {
            try requireEntity(.contact, contact)
            guard try self.folder(ofRowIn: "contacts", contact) == folder else {
                throw ReplicationError(.invalidValue, "contact \(contact) is not a contact of customer \(folder)")
            }
        }
        var invoiceID: EntityID?
        if let reference {
            let invoice = try FinancialLookup.document(db, reference, .invoice, table: "invoices")
            guard try self.folder(ofRowIn: "invoices", invoice) == folder else {
                throw ReplicationError(.invalidValue, "invoice \(reference) is not in the folder of customer \(folder)")
            }
            invoiceID = invoice
        }
        let record = PromiseRecord(
            customerId: folder.description,
            date: date.description,
            by: by.description,
            currency: currency.code,
            amount: amount.minorUnits,
            contact: contact?.description,
            invoice: invoiceID?.description,
            notes: nonEmpty(notes),
            madeBy: ledger.person
        )
        let id = ledger.newEntityID()
        try append(.promise, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Places a credit hold on a customer: until a release answers it, no node that knows of
    /// it takes an order or a service call for the customer. Refused when it is on hold here
    /// already (naming that hold).
    public mutating func placeHold(customer: EntityID, reason: String) throws -> EntityID {
        let folder = try folder(of: customer)
        let reason = try Self.reason(reason, "the hold")
        if let hold = try Replica.holdsInForce(db, folder: folder).first {
            throw ReplicationError(
                .invalidValue,
                "customer \(folder) is on credit hold already: \(Self.describe(hold))"
            )
        }
        let record = CreditHoldRecord(
            customerId: folder.description,
            reason: reason,
            placedAt: now,
            placedBy: ledger.person,
            node: ledger.local.description,
            seen: ledger.vector.entries.filter { $0.value > 0 }.map {
                SeenVersion(node: $0.key.description, seq: Int64($0.value))
            }
            .sorted { $0.node < $1.node }
        )
        let id = ledger.newEntityID()
        try append(.creditHold, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Releases a customer's credit hold: the release answers every hold in force that this
    /// node knows of — a hold placed elsewhere meanwhile is not answered, and keeps the customer
    /// on hold when it arrives. Refused when the customer is not on hold here.
    public mutating func releaseHold(customer: EntityID, reason: String) throws -> EntityID {
        let folder = try folder(of: customer)
        let reason = try Self.reason(reason, "the release")
        let holds = try Replica.holdsInForce(db, folder: folder)
        guard !holds.isEmpty else {
            throw ReplicationError(.invalidValue, "customer \(folder) is not on credit hold")
        }
        let record = CreditReleaseRecord(
            customerId: folder.description,
            holds: holds.map(\.id.description),
            reason: reason,
            releasedAt: now,
            releasedBy: ledger.person,
            node: ledger.local.description
        )
        let id = ledger.newEntityID()
        try append(.creditRelease, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }

    /// Every credit hold of the folder this node holds, in force or released, by id: what an
    /// order records it had seen.
    func knownHolds(_ folder: EntityID) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT id FROM credit_holds
                WHERE customer_id IN (SELECT id FROM customers WHERE id = ? OR merged_into = ?) ORDER BY id
                """,
            arguments: [folder.description, folder.description]
        )
    }

    /// Refuses a new order (or what makes one) for a folder on credit hold here, naming the hold.
    /// `consequence` says what is refused: "no order is taken".
    func refuseIfOnHold(_ folder: EntityID, _ consequence: String) throws {
        guard let hold = try Replica.holdsInForce(db, folder: folder).first else { return }
        throw ReplicationError(
            .invalidValue,
            "customer \(folder) is on credit hold (\(Self.describe(hold))): \(consequence) until it is released"
        )
    }

    /// Refuses an order that takes the folder's exposure over its credit limit, unless the
    /// credit is overridden with a reason (recorded on the order).
    func refuseOverLimit(_ folder: EntityID, adding total: Int64, override: String?) throws {
        guard
            let text = try String.fetchOne(
                db,
                sql: "SELECT credit_limit FROM customers WHERE id = ?",
                arguments: [folder.description]
            ), !text.isEmpty
        else { return }
        let currency = try FinancialLookup.currency(db)
        let limit = try Money(parsing: text, currency: currency)
        let asOf = "9999-12-31"
        let arguments: StatementArguments = ["folder": folder.description, "asOf": asOf]
        let balance =
            try Int64.fetchOne(db, sql: "SELECT balance FROM (\(FinancialSQL.folderAgeing))", arguments: arguments) ?? 0
        let remainder = try Int64.fetchOne(db, sql: CreditSQL.uninvoicedOrders, arguments: arguments) ?? 0
        let exposure = Money(minorUnits: balance + remainder + total, currency: currency)
        guard exposure > limit, nonEmpty(override) == nil else { return }
        throw ReplicationError(
            .invalidValue,
            "the order takes customer \(folder)'s exposure to \(exposure), over its credit limit \(limit); give --override-credit REASON to take it anyway"
        )
    }

    private static func reason(_ text: String, _ what: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ReplicationError(.invalidValue, "say why (--reason) for \(what)") }
        return reason
    }

    static func describe(_ hold: CreditHold) -> String {
        "placed \(hold.since) by \(hold.by): \(hold.reason)"
    }
}

extension LocalWriter {
    /// Settles a business exception this node lists: `accept` keeps what it names as it is;
    /// `cancel` (an `order-during-hold` or `service-during-hold`) cancels the order or call too,
    /// in the same transaction. The
    /// resolution is a record that replicates: every node stops listing the exception.
    public mutating func resolveException(_ id: String, cancel: Bool, reason: String, date: BusinessDate) throws
        -> EntityID
    {
        let reason = try Self.reason(reason, "the resolution")
        guard let exception = try Replica.businessExceptions(db).first(where: { $0.id == id }) else {
            throw ReplicationError(
                .unknownID,
                "no open business exception \(id) (nodectl exceptions list shows them; a resolved one is not listed)"
            )
        }
        if cancel {
            switch (exception.kind, exception.documents.first) {
            case ("order-during-hold", let order?):
                _ = try cancelOrder(order.description, reason: reason, date: date)
            case ("service-during-hold", let call?):
                try setServiceCall(call.description, edits: [("status", "cancelled")], today: date)
            default:
                throw ReplicationError(
                    .invalidValue,
                    "a \(exception.kind) exception cannot be cancelled, only accepted (--accept)"
                )
            }
        }
        let record = ExceptionResolutionRecord(
            exception: exception.id,
            decision: cancel ? "cancel" : "accept",
            reason: reason,
            resolvedAt: now,
            resolvedBy: ledger.person,
            node: ledger.local.description
        )
        let resolution = ledger.newEntityID()
        try append(.exceptionResolution, resolution, "", .record, try RecordJSON.encode(record), [])
        return resolution
    }
}
