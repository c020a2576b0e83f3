extension FolderSchema {
    /// A test-only next release: the standard schema plus one kind (`preview-sample`, code
    /// 250) and one customer field (`preview_rating`), each with its migration.
    ///
    /// It exists so that CI proves with a real second schema — not a model of one — that a
    /// node of this release stores, forwards and holds what a newer release writes, and applies
    /// it once upgraded. `nodectl` selects it only when `NEXTSOFT_SCHEMA=preview` is set; no
    /// office runs it. Code 250 and the `preview_` names are reserved for it.
    public static let preview = standard.with(
        release: currentRelease + "-preview",
        declarations: [previewCustomer, previewSample]
    )

    static let previewSampleKind = EntityKind(code: 250, name: "preview-sample")

    static let previewCustomer = KindDeclaration(
        .customer,
        table: customer.table,
        shape: .fields(registers: customer.registers + [.init("preview_rating")], sets: customer.sets),
        migrations: customer.migrations + [
            .init("preview: customers.preview_rating", sql: "ALTER TABLE customers ADD COLUMN preview_rating TEXT")
        ]
    )

    static let previewSample = KindDeclaration(
        previewSampleKind,
        table: "preview_samples",
        shape: .fields(
            registers: [
                .init("customer", column: "customer_id", required: true, rule: .entity(.customer)),
                .init("name", required: true),
                .init("serial"),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "preview: preview_samples",
                sql: """
                    CREATE TABLE preview_samples (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT,
                        name TEXT,
                        serial TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT
                    """
            )
        ]
    )
}
