import Model

/// One kind of thing in the folder, declared as data: its fields and how they merge, its rules,
/// and its plain table.
///
/// The engine reads declarations only: the gate checks a peer's change against them, the
/// merge and the materializer write the plain table they name, the local writer and the CLI's
/// `set` accept the fields they list, and a test checks that docs/SCHEMA.md lists every table
/// and column they declare. Adding a kind is adding a declaration (with the migration that
/// creates its table) to a ``FolderSchema``.
public struct KindDeclaration: Sendable {
    /// An editable field: a multi-value register (last writer wins, conflicts kept).
    public struct Register: Sendable, Hashable {
        public let field: String
        public let column: String
        /// Refuses an empty value (the name of a customer or contact).
        public let required: Bool
        public let rule: FieldRule

        public init(_ field: String, column: String? = nil, required: Bool = false, rule: FieldRule = .text) {
            self.field = field
            self.column = column ?? field
            self.required = required
            self.rule = rule
        }
    }

    /// A set field, merged add-wins per element, materialised in its own table.
    public struct SetField: Sendable, Hashable {
        public let field: String
        public let table: String
        public let ownerColumn: String
        public let shape: ElementShape

        public init(_ field: String, table: String, ownerColumn: String, shape: ElementShape) {
            self.field = field
            self.table = table
            self.ownerColumn = ownerColumn
            self.shape = shape
        }
    }

    /// Columns of a set's element table and how an element's text is split into them.
    public enum ElementShape: Sendable, Hashable {
        /// One column holding the element text.
        case plain(column: String)
        /// `label: value` split into a label column and a value column; the value follows
        /// `rule`, the label is stored lower-case.
        case labelled(labelColumn: String, valueColumn: String, rule: FieldRule)
    }

    /// One member of an immutable record's JSON and the column it lands in.
    public struct RecordField: Sendable, Hashable {
        public enum Value: Sendable, Hashable {
            /// A JSON string.
            case text
            /// A JSON string naming an entity of this kind, in canonical id form.
            case entity(EntityKind)
            /// A JSON integer, at least this much.
            case integer(minimum: Int64)
            /// A JSON string: a SHA-256 digest in lower-case hex.
            case digest
            /// A JSON string: an operation on a held change, `accept` or `drop`.
            case decision
            /// A JSON string: a calendar date `YYYY-MM-DD` (``BusinessDate``).
            case date
            /// A JSON string: one of these words.
            case choice([String])
            /// A JSON string: payment terms as ``PaymentTerms`` writes them (`2/10 net 30`).
            case terms
            /// A JSON string: an ISO 4217 currency code (``CurrencyCode``).
            case currency
            /// A JSON string: a node id in canonical form (``NodeID``).
            case node
            /// A JSON array of this shape, stored as its JSON text (sorted keys); triggers of the
            /// kind's migration spread it into a table of its own.
            case list(RecordList)
        }

        public let key: String
        public let column: String
        public let value: Value
        /// A missing key or JSON null is allowed (the column is NULL).
        public let optional: Bool

        public init(_ key: String, column: String, _ value: Value = .text, optional: Bool = false) {
            self.key = key
            self.column = column
            self.value = value
            self.optional = optional
        }
    }

    /// A rule over a whole record, beyond its members one by one (``RecordRules``).
    public enum RecordRule: Sendable, Hashable {
        /// `subtotal`, `tax` and `total` are the sums of the lines' rounded figures, each line's
        /// figures follow the contract's rounding; without lines, total = subtotal + tax.
        case documentTotals
        /// The applications to invoices add up to at most the payment's `amount`.
        case paymentApplications
    }

    /// How the kind's changes merge.
    public enum Shape: Sendable {
        /// Editable registers and sets, written field by field.
        case fields(registers: [Register], sets: [SetField])
        /// One immutable record per entity, written once as JSON with sorted keys.
        case record([RecordField], rule: RecordRule? = nil)
    }

    /// A numbered migration that creates or changes the kind's plain tables.
    public struct Migration: Sendable, Hashable {
        /// The identifier GRDB records once the migration ran: never change it.
        public let identifier: String
        public let sql: String

        public init(_ identifier: String, sql: String) {
            self.identifier = identifier
            self.sql = sql
        }
    }

    public let kind: EntityKind
    /// The plain table: one row per entity, keyed by `id`.
    public let table: String
    public let shape: Shape
    /// What creates the plain tables. Empty for the kinds of release 0.1.0, whose tables the
    /// replica's first migration made.
    public let migrations: [Migration]

    public init(_ kind: EntityKind, table: String, shape: Shape, migrations: [Migration] = []) {
        self.kind = kind
        self.table = table
        self.shape = shape
        self.migrations = migrations
    }

    public var name: String { kind.name }

    public var registers: [Register] {
        if case .fields(let registers, _) = shape { return registers }
        return []
    }

    public var sets: [SetField] {
        if case .fields(_, let sets) = shape { return sets }
        return []
    }

    public var recordFields: [RecordField]? {
        if case .record(let fields, _) = shape { return fields }
        return nil
    }

    /// The rule over a whole record of this kind, if any.
    public var recordRule: RecordRule? {
        if case .record(_, let rule) = shape { return rule }
        return nil
    }

    public var isRecord: Bool { recordFields != nil }

    public func register(_ field: String) -> Register? { registers.first { $0.field == field } }
    public func set(_ field: String) -> SetField? { sets.first { $0.field == field } }

    /// Every field name a change may write (registers, then sets); empty for records.
    public var fieldNames: [String] { registers.map(\.field) + sets.map(\.field) }
}
