import Model

/// The Jobs & Service tab's kinds, made for the technician's laptop that is offline for days.
///
/// Equipment and jobs are editable like a customer; a service call is editable too — its
/// `status` a register (two technicians setting different statuses apart is a conflict like any
/// field), its `crew` a set (two technicians added on two laptops at once are both on it) —
/// while its number, allocated from the node's series, is written once. Crew notes and charges
/// are immutable records that point at the call, so two technicians writing them apart never
/// conflict: every note and every charge is kept. A charge's lines are spread into
/// `sales_lines` like a document's.
extension FolderSchema {
    static let service: [KindDeclaration] = [equipment, job, serviceCall, serviceNote, serviceCharge]

    /// A service call's statuses; `completed` and `cancelled` close it.
    public static let serviceStatuses = ["scheduled", "dispatched", "in-progress", "completed", "cancelled"]
    /// A job's statuses.
    public static let jobStatuses = ["planned", "active", "completed", "cancelled"]

    static let equipment = KindDeclaration(
        .equipment,
        table: "equipment",
        shape: .fields(
            registers: [
                .init("customer", column: "customer_id", required: true, rule: .entity(.customer)),
                .init("model", required: true),
                .init("serial", required: true),
                .init("installed", column: "installed_on", rule: .date),
                .init("warranty-until", column: "warranty_until", rule: .date),
                .init("site"),
                .init("notes"),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "kind equipment: table",
                sql: """
                    CREATE TABLE equipment (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT,
                        model TEXT,
                        serial TEXT,
                        installed_on TEXT,
                        warranty_until TEXT,
                        site TEXT,
                        notes TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX equipment_by_customer ON equipment(customer_id);
                    CREATE INDEX equipment_by_serial ON equipment(serial COLLATE NOCASE);
                    """
            )
        ]
    )

    static let job = KindDeclaration(
        .job,
        table: "jobs",
        shape: .fields(
            registers: [
                .init("customer", column: "customer_id", required: true, rule: .entity(.customer)),
                .init("title", required: true),
                .init("order", column: "order_id", rule: .entity(.order)),
                .init("start", column: "start_date", rule: .date),
                .init("end", column: "end_date", rule: .date),
                .init("status", rule: .choice(jobStatuses)),
                .init("notes"),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "kind job: table",
                sql: """
                    CREATE TABLE jobs (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT,
                        title TEXT,
                        order_id TEXT,
                        start_date TEXT,
                        end_date TEXT,
                        status TEXT,
                        notes TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX jobs_by_customer ON jobs(customer_id);
                    """
            )
        ]
    )

    static let serviceCall = KindDeclaration(
        .serviceCall,
        table: "service_calls",
        shape: .fields(
            registers: [
                .init("customer", column: "customer_id", required: true, rule: .entity(.customer)),
                .init("number", required: true),
                .init("problem", required: true),
                .init("equipment", column: "equipment_id", rule: .entity(.equipment)),
                .init("job", column: "job_id", rule: .entity(.job)),
                .init("scheduled", rule: .timestamp),
                .init("status", required: true, rule: .choice(serviceStatuses)),
                .init("completed", column: "completed_on", rule: .date),
                .init("holds-seen", column: "holds_seen", rule: .references),
            ],
            sets: [
                .init("crew", table: "service_crew", ownerColumn: "service_id", shape: .plain(column: "person"))
            ]
        ),
        migrations: [
            .init(
                "kind service-call: table",
                sql: """
                    CREATE TABLE service_calls (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT,
                        number TEXT,
                        problem TEXT,
                        equipment_id TEXT,
                        job_id TEXT,
                        scheduled TEXT,
                        status TEXT,
                        completed_on TEXT,
                        holds_seen TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX service_calls_by_customer ON service_calls(customer_id);
                    CREATE INDEX service_calls_by_number ON service_calls(number);
                    CREATE INDEX service_calls_by_equipment ON service_calls(equipment_id) WHERE equipment_id IS NOT NULL;
                    CREATE INDEX service_calls_by_job ON service_calls(job_id) WHERE job_id IS NOT NULL;
                    CREATE TABLE service_crew (
                        service_id TEXT NOT NULL,
                        person TEXT NOT NULL,
                        PRIMARY KEY (service_id, person)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX service_crew_by_person ON service_crew(person COLLATE NOCASE);
                    """
            )
        ]
    )

    static let serviceNote = KindDeclaration(
        .serviceNote,
        table: "service_notes",
        shape: .record([
            .init("service", column: "service_id", .entity(.serviceCall)),
            .init("text", column: "text"),
            .init("writtenAt", column: "written_at"),
            .init("writtenBy", column: "written_by"),
            .init("node", column: "node"),
        ]),
        migrations: [
            .init(
                "kind service-note: table",
                sql: """
                    CREATE TABLE service_notes (
                        id TEXT PRIMARY KEY,
                        service_id TEXT NOT NULL,
                        text TEXT NOT NULL,
                        written_at TEXT NOT NULL,
                        written_by TEXT NOT NULL,
                        node TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX service_notes_by_service ON service_notes(service_id, written_at);
                    """
            )
        ]
    )

    static let serviceCharge = KindDeclaration(
        .serviceCharge,
        table: "service_charges",
        shape: .record(
            [
                .init("service", column: "service_id", .entity(.serviceCall)),
                .init("date", column: "date", .date),
                .init("currency", column: "currency", .currency),
                .init("subtotal", column: "subtotal", .integer(minimum: 0)),
                .init("tax", column: "tax", .integer(minimum: 0)),
                .init("total", column: "total", .integer(minimum: 0)),
                .init("lines", column: "lines", .list(.salesLines)),
                .init("chargedBy", column: "charged_by"),
                .init("node", column: "node"),
            ],
            rule: .documentTotals
        ),
        migrations: [
            .init(
                "kind service-charge: table",
                sql: """
                    CREATE TABLE service_charges (
                        id TEXT PRIMARY KEY,
                        service_id TEXT NOT NULL,
                        date TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        subtotal INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        lines TEXT NOT NULL,
                        charged_by TEXT NOT NULL,
                        node TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX service_charges_by_service ON service_charges(service_id, date);
                    \(lineTriggers("service_charges"))
                    """
            )
        ]
    )
}
