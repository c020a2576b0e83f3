/// The kind of thing a change writes: a customer, a contact, a journal entry, ...
///
/// A kind is identified by its one-byte ``code``, which travels on the wire and never changes
/// meaning once a release used it. What a kind *is* — its fields, its rules, its plain table —
/// is a ``KindDeclaration`` in a ``FolderSchema``; a replica understands exactly the kinds its
/// schema declares. A code no declaration names (a kind of a newer release) is still a valid
/// kind: its changes are stored, forwarded unchanged and held, never refused.
public struct EntityKind: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code on the wire. Stable: never renumber.
    public let code: UInt8
    /// The kind's name for people and for the `changes.entity` column: its declared name, or
    /// `kind-N` for a code this build does not know.
    public let name: String

    /// The kind with this code, named as this build knows it (`kind-N` when it does not).
    public init(code: UInt8) {
        self.code = code
        self.name = EntityKind.builtIn.first { $0.code == code }?.name ?? "kind-\(code)"
    }

    /// A kind with its declared name (for declarations of kinds beyond the built-in ones).
    public init(code: UInt8, name: String) {
        self.code = code
        self.name = name
    }

    public static let customer = EntityKind(code: 1, name: "customer")
    public static let contact = EntityKind(code: 2, name: "contact")
    public static let journal = EntityKind(code: 3, name: "journal")
    public static let document = EntityKind(code: 4, name: "document")
    /// An office admin's decision on a held change (accept or drop), replicated like a record.
    public static let heldDecision = EntityKind(code: 5, name: "held-decision")
    /// A node's new origin, begun when it was restored or copied (an immutable record).
    public static let incarnation = EntityKind(code: 6, name: "incarnation")
    /// An office's signed revocation of a node (a stolen laptop): an immutable record.
    public static let revocation = EntityKind(code: 7, name: "revocation")
    /// A document filed by mistake, withdrawn: an immutable record that points at it; its bytes
    /// are erased on every node.
    public static let documentWithdrawal = EntityKind(code: 8, name: "document-withdrawal")
    /// One customer entered twice, merged into another: an immutable record.
    public static let customerMerge = EntityKind(code: 9, name: "customer-merge")
    /// A part or service of the price list, shared by every node: editable fields.
    public static let item = EntityKind(code: 10, name: "item")
    /// A quote to a customer: an immutable record with its lines.
    public static let quote = EntityKind(code: 11, name: "quote")
    /// A quote's acceptance or decline: an immutable record that points at it.
    public static let quoteDecision = EntityKind(code: 12, name: "quote-decision")
    /// A sales order: an immutable record with its lines.
    public static let order = EntityKind(code: 13, name: "order")
    /// A delivery (partial or whole) of an order: an immutable record that points at it.
    public static let orderDelivery = EntityKind(code: 14, name: "order-delivery")
    /// An order's cancellation: an immutable record that points at it.
    public static let orderCancellation = EntityKind(code: 15, name: "order-cancellation")
    /// An issued invoice: an immutable record with its lines.
    public static let invoice = EntityKind(code: 16, name: "invoice")
    /// A credit note against an invoice: an immutable record.
    public static let creditNote = EntityKind(code: 17, name: "credit-note")
    /// A payment with its applications to invoices: an immutable record.
    public static let payment = EntityKind(code: 18, name: "payment")
    /// A payment's reversal (a bounced check): an immutable record that points at it.
    public static let paymentReversal = EntityKind(code: 19, name: "payment-reversal")
    /// A customer's promise to pay an amount by a date: an immutable record.
    public static let promise = EntityKind(code: 20, name: "promise")
    /// A credit hold placed on a customer: an immutable record.
    public static let creditHold = EntityKind(code: 21, name: "credit-hold")
    /// A credit hold's release, naming the holds it answers: an immutable record.
    public static let creditRelease = EntityKind(code: 22, name: "credit-release")
    /// An office's settling of a business exception (accept, or cancel what it names): an
    /// immutable record.
    public static let exceptionResolution = EntityKind(code: 23, name: "exception-resolution")
    /// A machine installed at a customer (model, serial, site): editable fields.
    public static let equipment = EntityKind(code: 24, name: "equipment")
    /// A project for a customer, optionally from a sales order: editable fields.
    public static let job = EntityKind(code: 25, name: "job")
    /// A service call: numbered, with its status a register and its crew a set.
    public static let serviceCall = EntityKind(code: 26, name: "service-call")
    /// A crew note on a service call: an immutable, time-stamped record.
    public static let serviceNote = EntityKind(code: 27, name: "service-note")
    /// Labour and parts charged on a service call, as lines: an immutable record.
    public static let serviceCharge = EntityKind(code: 28, name: "service-charge")
    /// A task or marketing to-do (text, due date, assignee, customer, campaign): editable fields.
    public static let todo = EntityKind(code: 29, name: "todo")
    /// A to-do marked done: an immutable record, so two people finishing it apart never conflict.
    public static let todoDone = EntityKind(code: 30, name: "todo-done")
    /// A marketing campaign (name, type, dates): editable fields.
    public static let campaign = EntityKind(code: 31, name: "campaign")
    /// Customers added to a campaign (as they were chosen then): an immutable record.
    public static let campaignMembers = EntityKind(code: 32, name: "campaign-members")
    /// A customer's response to a campaign: an immutable record.
    public static let campaignResponse = EntityKind(code: 33, name: "campaign-response")
    /// Customers assigned to a laptop, or taken off it, by an office (or a laptop's own new
    /// customer): an immutable record; the latest for a laptop and a customer decides.
    public static let assignment = EntityKind(code: 34, name: "assignment")

    /// The kinds of this release, by code.
    public static let builtIn: [EntityKind] = [
        customer, contact, journal, document, heldDecision, incarnation, revocation, documentWithdrawal,
        customerMerge, item, quote, quoteDecision, order, orderDelivery, orderCancellation, invoice, creditNote,
        payment, paymentReversal, promise, creditHold, creditRelease, exceptionResolution, equipment, job,
        serviceCall, serviceNote, serviceCharge, todo, todoDone, campaign, campaignMembers, campaignResponse,
        assignment,
    ]

    /// Kinds are equal when their codes are: the name is how one build calls the code.
    public static func == (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.code < rhs.code }

    public var description: String { name }
}
