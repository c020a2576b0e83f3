import Foundation
import GRDB
import Model

/// A machine installed at a customer, with the other machines that look like it.
public struct EquipmentSummary: Sendable, Hashable {
    public let id: EntityID
    /// The folder it is in (merges followed) and that customer's name.
    public let customerID: EntityID
    public let customerName: String
    public let model: String
    public let serial: String
    public let installed: String?
    public let warrantyUntil: String?
    /// A free-form address, as typed.
    public let site: String?
    public let notes: String?
    /// Other equipment of the same model (ignoring case) with the same serial number (ignoring
    /// case, spaces and dashes), at any customer: likely one machine entered twice.
    public let likelyDuplicates: [EntityID]
}

/// A project for a customer.
public struct JobSummary: Sendable, Hashable {
    public let id: EntityID
    public let customerID: EntityID
    public let customerName: String
    public let title: String
    public let orderID: EntityID?
    public let orderNumber: String?
    public let start: String?
    public let end: String?
    public let status: String
    public let notes: String?
}

/// A service call as lists show it.
public struct ServiceCallSummary: Sendable, Hashable {
    public let id: EntityID
    public let number: String
    public let customerID: EntityID
    public let customerName: String
    public let problem: String
    /// The status register's value (the deterministic winner while in conflict).
    public let status: String
    /// `YYYY-MM-DDTHH:MM:SSZ`, or `nil` when not scheduled.
    public let scheduled: String?
    /// The completion date, while the call is completed.
    public let completed: String?
    public let equipmentID: EntityID?
    /// The machine as a person names it: `Boiler X200 serial SN-4471`.
    public let equipment: String?
    public let jobID: EntityID?
    /// The crew, by name.
    public let crew: [String]
    /// The sum of its charges.
    public let charges: Money
    /// The numbers of the invoices of its charges (more than one: a `duplicate-invoice`).
    public let invoices: [String]
    /// Its fields in conflict (`status` when two technicians set two statuses apart).
    public let conflicts: [String]

    /// Neither completed nor cancelled.
    public var isOpen: Bool { status != "completed" && status != "cancelled" }
}

/// A crew note.
public struct ServiceNote: Sendable, Hashable {
    public let id: EntityID
    public let text: String
    /// When, by the writer's clock (`YYYY-MM-DDTHH:MM:SS.sssZ`).
    public let at: String
    public let by: String
    public let node: String
}

/// Labour and parts charged on a call.
public struct ServiceCharge: Sendable, Hashable {
    public let id: EntityID
    public let date: BusinessDate
    public let lines: [SalesLine]
    public let subtotal: Money
    public let tax: Money
    public let total: Money
    public let by: String
}

/// A service call with its notes (oldest first) and charges (by date).
public struct ServiceCallDetail: Sendable, Hashable {
    public let call: ServiceCallSummary
    public let notes: [ServiceNote]
    public let charges: [ServiceCharge]
}

/// A machine and its story: every call on it, with notes and charges.
public struct EquipmentHistory: Sendable, Hashable {
    public let equipment: EquipmentSummary
    public let calls: [ServiceCallDetail]
}

/// A job and its calls.
public struct JobDetail: Sendable, Hashable {
    public let job: JobSummary
    public let calls: [ServiceCallSummary]
}

/// The Jobs & Service tab of a folder: its equipment, jobs and calls (newest first), each
/// call with its notes and charges.
public struct ServiceTab: Sendable, Hashable {
    public let equipment: [EquipmentSummary]
    public let jobs: [JobSummary]
    public let calls: [ServiceCallDetail]
}

/// Which calls `service list` shows.
public struct ServiceCallFilter: Sendable, Hashable {
    public var customer: EntityID?
    /// A crew member (ignoring case).
    public var crew: String?
    /// Only calls neither completed nor cancelled.
    public var openOnly: Bool

    public init(customer: EntityID? = nil, crew: String? = nil, openOnly: Bool = false) {
        self.customer = customer
        self.crew = crew
        self.openOnly = openOnly
    }
}

extension Replica {
    /// The Jobs & Service tab of `customer`'s folder.
    public func serviceTab(customer: EntityID) throws -> ServiceTab {
        try pool.read { db in
            let folder = try Self.requireCustomer(db, customer)
            let calls = try Self.calls(db, where: "s.customer_id IN \(Self.members)", ["folder": folder.description])
            return ServiceTab(
                equipment: try Self.equipment(
                    db,
                    where: "e.customer_id IN \(Self.members)",
                    ["folder": folder.description]
                ),
                jobs: try Self.jobs(db, where: "j.customer_id IN \(Self.members)", ["folder": folder.description]),
                calls: try calls.reversed().map { try Self.detail(db, $0) }
            )
        }
    }

    /// Every machine, or those of one customer's folder, by customer then model and serial.
    public func equipment(customer: EntityID? = nil) throws -> [EquipmentSummary] {
        try pool.read { db in
            guard let customer else { return try Self.equipment(db, where: "1", [:]) }
            let folder = try Self.requireCustomer(db, customer)
            return try Self.equipment(db, where: "e.customer_id IN \(Self.members)", ["folder": folder.description])
        }
    }

    /// A machine with every call on it.
    public func equipmentHistory(_ id: EntityID) throws -> EquipmentHistory {
        try pool.read { db in
            guard let equipment = try Self.equipment(db, where: "e.id = :id", ["id": id.description]).first else {
                throw ReplicationError(.unknownID, "no equipment with id \(id)")
            }
            let calls = try Self.calls(db, where: "s.equipment_id = :id", ["id": id.description])
            return EquipmentHistory(equipment: equipment, calls: try calls.map { try Self.detail(db, $0) })
        }
    }

    /// Every job, or those of one customer's folder.
    public func jobs(customer: EntityID? = nil) throws -> [JobSummary] {
        try pool.read { db in
            guard let customer else { return try Self.jobs(db, where: "1", [:]) }
            let folder = try Self.requireCustomer(db, customer)
            return try Self.jobs(db, where: "j.customer_id IN \(Self.members)", ["folder": folder.description])
        }
    }

    /// A job with its calls.
    public func job(_ id: EntityID) throws -> JobDetail {
        try pool.read { db in
            guard let job = try Self.jobs(db, where: "j.id = :id", ["id": id.description]).first else {
                throw ReplicationError(.unknownID, "no job with id \(id)")
            }
            return JobDetail(job: job, calls: try Self.calls(db, where: "s.job_id = :id", ["id": id.description]))
        }
    }

    /// The calls a filter selects, by scheduled time (unscheduled last), then number.
    public func serviceCalls(_ filter: ServiceCallFilter) throws -> [ServiceCallSummary] {
        try pool.read { db in
            var conditions = ["1"]
            var arguments: [String: (any DatabaseValueConvertible)?] = [:]
            if let customer = filter.customer {
                arguments["folder"] = try Self.requireCustomer(db, customer).description
                conditions.append("s.customer_id IN \(Self.members)")
            }
            if let crew = filter.crew {
                arguments["crew"] = crew.trimmingCharacters(in: .whitespaces)
                conditions.append(
                    "EXISTS (SELECT 1 FROM service_crew m WHERE m.service_id = s.id AND m.person = :crew COLLATE NOCASE)"
                )
            }
            if filter.openOnly { conditions.append("s.status NOT IN ('completed', 'cancelled')") }
            return try Self.calls(db, where: conditions.joined(separator: " AND "), arguments)
        }
    }

    /// A call, by id or number, with its notes and charges.
    public func serviceCall(_ reference: String) throws -> ServiceCallDetail {
        try pool.read { db in
            let id = try FinancialLookup.document(db, reference, .serviceCall, table: "service_calls")
            guard let call = try Self.calls(db, where: "s.id = :id", ["id": id.description]).first else {
                throw ReplicationError(.unknownID, "no service call \(reference)")
            }
            return try Self.detail(db, call)
        }
    }

    // MARK: Queries

    /// The customers of the folder `:folder` (itself and those merged into it), as an SQL
    /// subquery: what every folder-scoped read of the Service, Marketing and Reports tabs filters by.
    static let members = "(SELECT id FROM customers WHERE id = :folder OR merged_into = :folder)"

    private static func equipment(
        _ db: Database,
        where condition: String,
        _ arguments: [String: (any DatabaseValueConvertible)?]
    ) throws -> [EquipmentSummary] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.model, e.serial, e.installed_on, e.warranty_until, e.site, e.notes,
                    coalesce(c.merged_into, e.customer_id) AS folder, f.name AS customer_name,
                    (SELECT group_concat(d.id, ' ') FROM equipment d
                     WHERE d.id <> e.id
                       AND upper(replace(replace(d.serial, ' ', ''), '-', ''))
                           = upper(replace(replace(e.serial, ' ', ''), '-', ''))
                       AND lower(trim(d.model)) = lower(trim(e.model))
                    ) AS duplicates
                FROM equipment e
                LEFT JOIN customers c ON c.id = e.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, e.customer_id)
                WHERE \(condition)
                ORDER BY f.name, e.model, e.serial, e.id
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            EquipmentSummary(
                id: EntityID(row["id"] as String)!,
                customerID: EntityID(row["folder"] as String? ?? "") ?? EntityID(row["id"] as String)!,
                customerName: row["customer_name"] ?? "",
                model: row["model"] ?? "",
                serial: row["serial"] ?? "",
                installed: row["installed_on"],
                warrantyUntil: row["warranty_until"],
                site: row["site"],
                notes: row["notes"],
                likelyDuplicates: (row["duplicates"] as String? ?? "").split(separator: " ")
                    .compactMap { EntityID(String($0)) }.sorted()
            )
        }
    }

    private static func jobs(
        _ db: Database,
        where condition: String,
        _ arguments: [String: (any DatabaseValueConvertible)?]
    ) throws -> [JobSummary] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT j.id, j.title, j.order_id, o.number AS order_number, j.start_date, j.end_date, j.status, j.notes,
                    coalesce(c.merged_into, j.customer_id) AS folder, f.name AS customer_name
                FROM jobs j
                LEFT JOIN orders o ON o.id = j.order_id
                LEFT JOIN customers c ON c.id = j.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, j.customer_id)
                WHERE \(condition)
                ORDER BY coalesce(j.start_date, '9999-12-31'), j.title, j.id
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            JobSummary(
                id: EntityID(row["id"] as String)!,
                customerID: EntityID(row["folder"] as String? ?? "") ?? EntityID(row["id"] as String)!,
                customerName: row["customer_name"] ?? "",
                title: row["title"] ?? "",
                orderID: (row["order_id"] as String?).flatMap(EntityID.init),
                orderNumber: row["order_number"],
                start: row["start_date"],
                end: row["end_date"],
                status: row["status"] ?? "planned",
                notes: row["notes"]
            )
        }
    }

    private static func calls(
        _ db: Database,
        where condition: String,
        _ arguments: [String: (any DatabaseValueConvertible)?]
    ) throws -> [ServiceCallSummary] {
        let currency = try FinancialLookup.currency(db)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.number, s.problem, s.status, s.scheduled, s.completed_on, s.equipment_id, s.job_id,
                    coalesce(c.merged_into, s.customer_id) AS folder, f.name AS customer_name,
                    e.model || ' serial ' || e.serial AS equipment,
                    (SELECT coalesce(sum(total), 0) FROM service_charges WHERE service_id = s.id) AS charged
                FROM service_calls s
                LEFT JOIN equipment e ON e.id = s.equipment_id
                LEFT JOIN customers c ON c.id = s.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, s.customer_id)
                WHERE \(condition)
                ORDER BY s.scheduled IS NULL, s.scheduled, s.number, s.id
                """,
            arguments: StatementArguments(arguments)
        )
        return try rows.map { row in
            let id: String = row["id"]
            let status: String = row["status"] ?? "scheduled"
            return ServiceCallSummary(
                id: EntityID(id)!,
                number: row["number"] ?? "",
                customerID: EntityID(row["folder"] as String? ?? "") ?? EntityID(id)!,
                customerName: row["customer_name"] ?? "",
                problem: row["problem"] ?? "",
                status: status,
                scheduled: row["scheduled"],
                completed: status == "completed" ? row["completed_on"] : nil,
                equipmentID: (row["equipment_id"] as String?).flatMap(EntityID.init),
                equipment: row["equipment"],
                jobID: (row["job_id"] as String?).flatMap(EntityID.init),
                crew: try String.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT person FROM service_crew WHERE service_id = ? ORDER BY person COLLATE NOCASE"
                    ),
                    arguments: [id]
                ),
                charges: Money(minorUnits: row["charged"], currency: currency),
                invoices: try String.fetchAll(
                    db.cachedStatement(sql: "SELECT number FROM invoices WHERE service_id = ? ORDER BY number, id"),
                    arguments: [id]
                ),
                conflicts: try String.fetchAll(
                    db.cachedStatement(
                        sql:
                            "SELECT field FROM field_heads WHERE entity_id = ? GROUP BY field HAVING count(*) > 1 ORDER BY field"
                    ),
                    arguments: [id]
                )
            )
        }
    }

    private static func detail(_ db: Database, _ call: ServiceCallSummary) throws -> ServiceCallDetail {
        let notes = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, text, written_at, written_by, node FROM service_notes
                    WHERE service_id = ? ORDER BY written_at, id
                    """
            ),
            arguments: [call.id.description]
        ).map { row in
            ServiceNote(
                id: EntityID(row["id"] as String)!,
                text: row["text"],
                at: row["written_at"],
                by: row["written_by"],
                node: row["node"]
            )
        }
        let charges = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, date, currency, subtotal, tax, total, lines, charged_by FROM service_charges
                    WHERE service_id = ? ORDER BY date, id
                    """
            ),
            arguments: [call.id.description]
        ).map { row in
            let currency = try CurrencyCode(row["currency"] as String)
            return ServiceCharge(
                id: EntityID(row["id"] as String)!,
                date: try BusinessDate(parsing: row["date"]),
                lines: try JSONDecoder().decode([SalesLine].self, from: Data((row["lines"] as String).utf8)),
                subtotal: Money(minorUnits: row["subtotal"], currency: currency),
                tax: Money(minorUnits: row["tax"], currency: currency),
                total: Money(minorUnits: row["total"], currency: currency),
                by: row["charged_by"]
            )
        }
        return ServiceCallDetail(call: call, notes: notes, charges: charges)
    }
}
