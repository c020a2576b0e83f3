import GRDB
import Model
import Replication

/// One plain table's rows, each rendered to one string, sorted.
struct PlainTable: Equatable {
    let name: String
    let rows: [String]

    /// The rows only one side has, for a failure message.
    func difference(from expected: PlainTable) -> String {
        let missing = expected.rows.filter { !rows.contains($0) }
        let extra = rows.filter { !expected.rows.contains($0) }
        return "\(name): missing \(missing.prefix(4)), unexpected \(extra.prefix(4))"
    }
}

/// The plain tables an office reads, read with plain SQL.
enum PlainTables {
    /// The tables and the columns the oracle predicts, on a node of the standard release.
    static let layout: [(table: String, columns: [String])] = [
        (
            "customers",
            ["id", "name", "notes", "phone", "email", "address", "website", "created_at", "created_by", "merged_into"]
        ),
        ("customer_categories", ["customer_id", "category"]),
        (
            "contacts",
            [
                "id", "customer_id", "name", "salutation", "title", "address", "notes", "removed", "created_at",
                "created_by",
            ]
        ),
        ("folder_contacts", ["id"]),
        ("contact_phones", ["contact_id", "label", "number"]),
        ("contact_emails", ["contact_id", "label", "email"]),
        ("journal_entries", ["id", "customer_id", "at", "kind", "parties", "notes", "author", "corrects"]),
        (
            "documents",
            ["id", "customer_id", "title", "file_name", "media_type", "size", "digest", "added_at", "added_by"]
        ),
        ("customer_merges", ["id", "keep_id", "duplicate_id", "merged_at", "merged_by"]),
    ]

    /// On a node of the preview release: the same, customers with `preview_rating`, and the
    /// `preview_samples` table.
    static let previewLayout: [(table: String, columns: [String])] =
        layout.map { $0.table == "customers" ? ($0.table, $0.columns + [Releases.previewRating]) : $0 } + [
            ("preview_samples", ["id", "customer_id", "name", "serial", "created_at", "created_by"])
        ]

    static func layout(preview: Bool) -> [(table: String, columns: [String])] { preview ? previewLayout : layout }

    /// The predicted columns of every plain table of a release (`preview: false` on a preview
    /// node reads what the two releases share).
    static func read(_ replica: Replica, preview: Bool) throws -> [PlainTable] {
        try replica.read { db in
            try layout(preview: preview).map { table, columns in
                try PlainTable(
                    name: table,
                    rows: rows(db, "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY 1")
                )
            }
        }
    }

    /// Every column (`SELECT *`) of every plain table of a release, for comparing replicas of
    /// that release with each other.
    static func readAll(_ replica: Replica, preview: Bool = false) throws -> [PlainTable] {
        try replica.read { db in
            try layout(preview: preview).map { table, _ in
                try PlainTable(name: table, rows: rowsByColumnName(db, "SELECT * FROM \(table)"))
            }
        }
    }

    /// Every column, in the order of the columns' names: replicas of one release made by
    /// different paths (created on it, or upgraded to it) add columns in different orders.
    private static func rowsByColumnName(_ db: Database, _ sql: String) throws -> [String] {
        try Row.fetchAll(db, sql: sql).map { row in
            render(row.columnNames.sorted().map { cell(row[$0] as DatabaseValue) })
        }
        .sorted()
    }

    private static func rows(_ db: Database, _ sql: String) throws -> [String] {
        try Row.fetchAll(db, sql: sql).map { row in render(row.databaseValues.map(cell)) }.sorted()
    }

    private static func cell(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: PlainCell.null.rendered
        case .int64(let number): PlainCell.integer(number).rendered
        case .string(let text): PlainCell.text(text).rendered
        case .double(let number): "double \(number)"
        case .blob(let data): "blob of \(data.count) bytes"
        }
    }

    static func render(_ cells: [String]) -> String { cells.joined(separator: " | ") }
}

extension Oracle {
    /// The plain tables a replica must show, in ``PlainTables/layout(preview:)`` order.
    func expectedTables(holding: Holding) -> [PlainTable] {
        func row(_ cells: [PlainCell]) -> String { PlainTables.render(cells.map(\.rendered)) }
        func value(_ id: EntityID, _ field: String) -> PlainCell {
            PlainCell(current(FieldKey(entityID: id, field: field), holding: holding))
        }
        func created(_ entity: OracleEntity) -> [PlainCell] {
            guard let creation = creator(of: entity, holding: holding) else { return [.null, .null] }
            return [.text(Timestamp.format(creation.time.date)), .text(creation.id.origin.description)]
        }
        func elementRows(_ id: EntityID, _ field: String, labelled: Bool) -> [String] {
            self.elements(FieldKey(entityID: id, field: field), holding: holding).map { element in
                guard labelled else { return row([.text(id.description), .text(element)]) }
                let parts = LabelledValue(parsing: element)
                return row([.text(id.description), .text(parts.label), .text(parts.value)])
            }
        }
        let customers = entities(.customer, holding: holding)
        let contacts = entities(.contact, holding: holding)
        let mergedInto = finalCustomers(holding: holding)
        let customerRows = customers.map { customer in
            row(
                [PlainCell.text(customer.id.description)]
                    + ["name", "notes", "phone", "email", "address", "website"].map { value(customer.id, $0) }
                    + created(customer) + [PlainCell(mergedInto[customer.id]?.description)]
                    + (holding.preview ? [value(customer.id, Releases.previewRating)] : [])
            )
        }
        let contactRows = contacts.map { contact in
            row(
                [PlainCell.text(contact.id.description)]
                    + ["customer", "name", "salutation", "title", "address", "notes", Oracle.removed].map {
                        value(contact.id, $0)
                    }
                    + created(contact)
            )
        }
        let standard = [
            PlainTable(name: "customers", rows: customerRows.sorted()),
            PlainTable(
                name: "customer_categories",
                rows: customers.flatMap { elementRows($0.id, "categories", labelled: false) }.sorted()
            ),
            PlainTable(name: "contacts", rows: contactRows.sorted()),
            PlainTable(
                name: "folder_contacts",
                rows: contacts.filter { inFolder($0.id, holding: holding) }.map { row([.text($0.id.description)]) }
                    .sorted()
            ),
            PlainTable(
                name: "contact_phones",
                rows: contacts.flatMap { elementRows($0.id, "phones", labelled: true) }.sorted()
            ),
            PlainTable(
                name: "contact_emails",
                rows: contacts.flatMap { elementRows($0.id, "emails", labelled: true) }.sorted()
            ),
            PlainTable(
                name: "journal_entries",
                rows: entities(.journal, holding: holding).compactMap { $0.recordRow.map(row) }.sorted()
            ),
            PlainTable(
                name: "documents",
                rows: entities(.document, holding: holding).compactMap { $0.recordRow.map(row) }.sorted()
            ),
            PlainTable(
                name: "customer_merges",
                rows: entities(.customerMerge, holding: holding).compactMap { $0.recordRow.map(row) }.sorted()
            ),
        ]
        guard holding.preview else { return standard }
        let samples = entities(Releases.previewSample, holding: holding).map { sample in
            row(
                [PlainCell.text(sample.id.description)]
                    + ["customer", "name", "serial"].map { value(sample.id, $0) } + created(sample)
            )
        }
        return standard + [PlainTable(name: "preview_samples", rows: samples.sorted())]
    }
}
