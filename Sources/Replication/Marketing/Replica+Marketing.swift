import Foundation
import GRDB
import Model

/// A to-do with whether it is done (derived from its completions: the earliest counts).
public struct TodoItem: Sendable, Hashable {
    public let id: EntityID
    public let text: String
    public let due: BusinessDate?
    public let assignee: String?
    /// The folder it is for (merges followed), and that customer's name.
    public let customerID: EntityID?
    public let customerName: String?
    public let campaignID: EntityID?
    /// When and by whom it was first marked done; `nil` while open.
    public let doneAt: String?
    public let doneBy: String?
    public var done: Bool { doneAt != nil }

    /// Open with a due date before `date`.
    public func isOverdue(on date: BusinessDate) -> Bool { !done && due.map { $0 < date } == true }
}

/// Which to-dos `todo list` shows.
public struct TodoFilter: Sendable, Hashable {
    public var assignee: String?
    public var customer: EntityID?
    public var openOnly: Bool
    /// Only open ones due before this date.
    public var overdueOn: BusinessDate?

    public init(
        assignee: String? = nil,
        customer: EntityID? = nil,
        openOnly: Bool = false,
        overdueOn: BusinessDate? = nil
    ) {
        self.assignee = assignee
        self.customer = customer
        self.openOnly = openOnly
        self.overdueOn = overdueOn
    }
}

/// A campaign with its counts.
public struct CampaignSummary: Sendable, Hashable {
    public let id: EntityID
    public let name: String
    public let type: String
    public let start: BusinessDate?
    public let end: BusinessDate?
    public let notes: String?
    public let members: Int
    public let responses: Int
}

/// A campaign's member: the customer it was added as (now shown in its folder) and how chosen.
public struct CampaignMember: Sendable, Hashable {
    public let customerID: EntityID
    public let name: String
    public let chosenBy: String
    public let addedAt: String
}

/// A customer's response to a campaign.
public struct CampaignResponse: Sendable, Hashable {
    public let id: EntityID
    public let campaignID: EntityID
    public let customerID: EntityID
    public let customerName: String
    public let outcome: String
    public let date: BusinessDate
    public let recordedBy: String
}

public struct CampaignDetail: Sendable, Hashable {
    public let campaign: CampaignSummary
    public let members: [CampaignMember]
    public let responses: [CampaignResponse]
}

/// The Marketing tab: the demographics, the campaigns the customer was in and how it answered,
/// its to-dos.
public struct MarketingTab: Sendable, Hashable {
    public struct Participation: Sendable, Hashable {
        public let campaign: CampaignSummary
        public let responses: [CampaignResponse]
    }
    public let industry: String?
    public let source: String?
    public let size: String?
    public let campaigns: [Participation]
    public let todos: [TodoItem]
}

/// One customer of a campaign's mailing list, as stored: the Node layer formats it.
public struct MailingEntry: Sendable, Hashable {
    public let customerID: EntityID
    public let name: String
    /// The folder's first contact in the folder (by id), if any.
    public let contactName: String?
    public let contactSalutation: String?
    /// The contact's address, else the customer's; `nil` when neither has one.
    public let address: String?
}

extension Replica {
    // MARK: To-dos

    /// The to-dos a filter selects: by due date (undated last), then id.
    public func todos(_ filter: TodoFilter) throws -> [TodoItem] {
        try pool.read { db in
            var conditions = ["1"]
            var arguments: [String: (any DatabaseValueConvertible)?] = [:]
            if let assignee = filter.assignee {
                conditions.append("t.assignee = :assignee COLLATE NOCASE")
                arguments["assignee"] = assignee.trimmingCharacters(in: .whitespaces)
            }
            if let customer = filter.customer {
                arguments["folder"] = try Self.requireCustomer(db, customer).description
                conditions.append(
                    "t.customer_id IN \(Self.members)"
                )
            }
            if filter.openOnly || filter.overdueOn != nil { conditions.append("d.done_at IS NULL") }
            if let date = filter.overdueOn {
                conditions.append("t.due_date < :today")
                arguments["today"] = date.description
            }
            return try Self.todos(db, where: conditions.joined(separator: " AND "), arguments)
        }
    }

    static func todos(_ db: Database, where condition: String, _ arguments: [String: (any DatabaseValueConvertible)?])
        throws -> [TodoItem]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.text, t.due_date, t.assignee, t.campaign_id,
                    coalesce(c.merged_into, t.customer_id) AS folder, f.name AS customer_name,
                    d.done_at, d.done_by
                FROM todos t
                LEFT JOIN customers c ON c.id = t.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, t.customer_id)
                LEFT JOIN (
                    SELECT todo_id, done_at, done_by,
                        row_number() OVER (PARTITION BY todo_id ORDER BY done_at, id) AS rank
                    FROM todo_completions
                ) d ON d.todo_id = t.id AND d.rank = 1
                WHERE \(condition)
                ORDER BY t.due_date IS NULL, t.due_date, t.id
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            TodoItem(
                id: EntityID(row["id"] as String)!,
                text: row["text"] ?? "",
                due: (row["due_date"] as String?).flatMap { try? BusinessDate(parsing: $0) },
                assignee: row["assignee"],
                customerID: (row["folder"] as String?).flatMap(EntityID.init),
                customerName: row["customer_name"],
                campaignID: (row["campaign_id"] as String?).flatMap(EntityID.init),
                doneAt: row["done_at"],
                doneBy: row["done_by"]
            )
        }
    }

    // MARK: Campaigns

    /// Every campaign, by start date (undated last), then name.
    public func campaigns() throws -> [CampaignSummary] {
        try pool.read { db in try Self.campaigns(db, where: "1", [:]) }
    }

    /// A campaign with its members (by name) and responses (by date).
    public func campaign(_ id: EntityID) throws -> CampaignDetail {
        try pool.read { db in
            guard let campaign = try Self.campaigns(db, where: "k.id = :id", ["id": id.description]).first else {
                throw ReplicationError(.unknownID, "no campaign with id \(id)")
            }
            let members = try Row.fetchAll(
                db,
                sql: """
                    SELECT coalesce(c.merged_into, m.customer_id) AS folder, f.name, min(a.added_at) AS added_at,
                        a.chosen_by
                    FROM campaign_members m JOIN campaign_additions a ON a.id = m.addition_id
                    LEFT JOIN customers c ON c.id = m.customer_id
                    LEFT JOIN customers f ON f.id = coalesce(c.merged_into, m.customer_id)
                    WHERE m.campaign_id = ?
                    GROUP BY folder ORDER BY f.name COLLATE NOCASE, folder
                    """,
                arguments: [id.description]
            ).map { row in
                CampaignMember(
                    customerID: EntityID(row["folder"] as String)!,
                    name: row["name"] ?? "",
                    chosenBy: row["chosen_by"],
                    addedAt: row["added_at"]
                )
            }
            return CampaignDetail(
                campaign: campaign,
                members: members,
                responses: try Self.responses(db, where: "r.campaign_id = :id", ["id": id.description])
            )
        }
    }

    static func campaigns(
        _ db: Database,
        where condition: String,
        _ arguments: [String: (any DatabaseValueConvertible)?]
    )
        throws -> [CampaignSummary]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT k.id, k.name, k.type, k.start_date, k.end_date, k.notes,
                    (SELECT count(DISTINCT m.customer_id) FROM campaign_members m WHERE m.campaign_id = k.id) AS members,
                    (SELECT count(*) FROM campaign_responses r WHERE r.campaign_id = k.id) AS responses
                FROM campaigns k WHERE \(condition)
                ORDER BY k.start_date IS NULL, k.start_date, k.name COLLATE NOCASE, k.id
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            CampaignSummary(
                id: EntityID(row["id"] as String)!,
                name: row["name"] ?? "",
                type: row["type"] ?? "",
                start: (row["start_date"] as String?).flatMap { try? BusinessDate(parsing: $0) },
                end: (row["end_date"] as String?).flatMap { try? BusinessDate(parsing: $0) },
                notes: row["notes"],
                members: row["members"],
                responses: row["responses"]
            )
        }
    }

    static func responses(
        _ db: Database,
        where condition: String,
        _ arguments: [String: (any DatabaseValueConvertible)?]
    )
        throws -> [CampaignResponse]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.campaign_id, coalesce(c.merged_into, r.customer_id) AS folder, f.name, r.outcome, r.date,
                    r.recorded_by
                FROM campaign_responses r
                LEFT JOIN customers c ON c.id = r.customer_id
                LEFT JOIN customers f ON f.id = coalesce(c.merged_into, r.customer_id)
                WHERE \(condition) ORDER BY r.date, r.id
                """,
            arguments: StatementArguments(arguments)
        ).map { row in
            CampaignResponse(
                id: EntityID(row["id"] as String)!,
                campaignID: EntityID(row["campaign_id"] as String)!,
                customerID: EntityID(row["folder"] as String)!,
                customerName: row["name"] ?? "",
                outcome: row["outcome"],
                date: try BusinessDate(parsing: row["date"]),
                recordedBy: row["recorded_by"]
            )
        }
    }

    /// The Marketing tab of `customer`'s folder.
    public func marketingTab(customer: EntityID) throws -> MarketingTab {
        try pool.read { db in
            let folder = try Self.requireCustomer(db, customer)
            let arguments: [String: (any DatabaseValueConvertible)?] = ["folder": folder.description]
            let row = try Row.fetchOne(
                db,
                sql: "SELECT industry, source, size FROM customers WHERE id = ?",
                arguments: [folder.description]
            )
            let campaigns = try Self.campaigns(
                db,
                where: "k.id IN (SELECT campaign_id FROM campaign_members WHERE customer_id IN \(Self.members))",
                arguments
            )
            let responses = try Self.responses(db, where: "r.customer_id IN \(Self.members)", arguments)
            return MarketingTab(
                industry: row?["industry"],
                source: row?["source"],
                size: row?["size"],
                campaigns: campaigns.map { campaign in
                    .init(campaign: campaign, responses: responses.filter { $0.campaignID == campaign.id })
                },
                todos: try Self.todos(db, where: "t.customer_id IN \(Self.members)", arguments)
            )
        }
    }

    /// A campaign's mailing list: every member folder (by name), with its first contact and the
    /// address to print — archived customers and customers on credit hold left out unless asked.
    public func mailingList(_ campaign: EntityID, includeArchived: Bool, includeHeld: Bool) throws -> [MailingEntry] {
        try pool.read { db in
            guard
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = ?)",
                    arguments: [campaign.description]
                ) == true
            else { throw ReplicationError(.unknownID, "no campaign with id \(campaign)") }
            var conditions = ["1"]
            if !includeArchived { conditions.append("f.archived IS NULL") }
            if !includeHeld {
                conditions.append(
                    """
                    NOT EXISTS (SELECT 1 FROM credit_holds h JOIN customers hc ON hc.id = h.customer_id
                        WHERE (hc.id = f.id OR hc.merged_into = f.id)
                        AND NOT EXISTS (SELECT 1 FROM credit_hold_answers a WHERE a.hold_id = h.id))
                    """
                )
            }
            return try Row.fetchAll(
                db,
                sql: """
                    WITH folders AS (
                        SELECT DISTINCT coalesce(c.merged_into, m.customer_id) AS id
                        FROM campaign_members m LEFT JOIN customers c ON c.id = m.customer_id
                        WHERE m.campaign_id = ?
                    )
                    SELECT f.id, f.name, f.address,
                        k.name AS contact_name, k.salutation, k.address AS contact_address
                    FROM folders x JOIN customers f ON f.id = x.id
                    LEFT JOIN folder_contacts k ON k.id = (
                        SELECT k2.id FROM folder_contacts k2
                        WHERE k2.customer_id IN (SELECT id FROM customers WHERE id = f.id OR merged_into = f.id)
                        ORDER BY k2.id LIMIT 1)
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY f.name COLLATE NOCASE, f.id
                    """,
                arguments: [campaign.description]
            ).map { row in
                let contactAddress: String? = row["contact_address"]
                let address: String? = row["address"]
                return MailingEntry(
                    customerID: EntityID(row["id"] as String)!,
                    name: row["name"] ?? "",
                    contactName: row["contact_name"],
                    contactSalutation: row["salutation"],
                    address: [contactAddress, address].compactMap { $0 }.first { !$0.isEmpty }
                )
            }
        }
    }
}
