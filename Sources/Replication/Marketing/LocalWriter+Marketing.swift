import Foundation
import GRDB
import Model

/// A to-do marked done (``FolderSchema/todoDone``).
struct TodoDoneRecord: Codable {
    var todo: String
    var doneAt: String
    var doneBy: String
    var node: String
}

/// Customers added to a campaign (``FolderSchema/campaignMembers``).
struct CampaignMembersRecord: Codable {
    var campaign: String
    var customers: [String]
    var chosenBy: String
    var addedAt: String
    var addedBy: String
}

/// A customer's response to a campaign (``FolderSchema/campaignResponse``).
struct CampaignResponseRecord: Codable {
    var campaign: String
    var customerId: String
    var outcome: String
    var date: String
    var recordedBy: String
}

extension LocalWriter {
    // MARK: To-dos

    /// Adds a to-do: text, optionally a due date, an assignee, a customer and a campaign.
    public mutating func addTodo(
        text: String,
        due: BusinessDate?,
        assignee: String?,
        customer: EntityID?,
        campaign: EntityID?
    ) throws -> EntityID {
        guard let text = nonEmpty(text) else { throw ReplicationError(.invalidValue, "--text must not be empty") }
        let folder = try customer.map { try self.folder(of: $0) }
        if let campaign { try requireEntity(.campaign, campaign) }
        let id = ledger.newEntityID()
        try append(.todo, id, "text", .assign, text, [])
        for (field, value) in [
            ("due", due?.description), ("assignee", nonEmpty(assignee)), ("customer", folder?.description),
            ("campaign", campaign?.description),
        ] {
            if let value { try set(.todo, id, field: field, to: value) }
        }
        return id
    }

    /// Marks a to-do done: a record, so two people finishing it while apart make two records
    /// and no conflict (the earliest is the one shown). Refused when this node knows it is done.
    public mutating func completeTodo(_ id: EntityID) throws -> EntityID {
        try requireEntity(.todo, id)
        if let done = try Row.fetchOne(
            db,
            sql: "SELECT done_at, done_by FROM todo_completions WHERE todo_id = ? ORDER BY done_at, id LIMIT 1",
            arguments: [id.description]
        ) {
            throw ReplicationError(
                .invalidValue,
                "to-do \(id) was done already (\(done["done_at"] as String) by \(done["done_by"] as String))"
            )
        }
        let record = TodoDoneRecord(
            todo: id.description,
            doneAt: now,
            doneBy: ledger.person,
            node: ledger.local.description
        )
        let completion = ledger.newEntityID()
        try append(.todoDone, completion, "", .record, try RecordJSON.encode(record), [])
        return completion
    }

    // MARK: Campaigns

    /// Adds a campaign of a type (``FolderSchema/campaignTypes``).
    public mutating func addCampaign(
        name: String,
        type: String,
        start: BusinessDate?,
        end: BusinessDate?,
        notes: String?
    ) throws -> EntityID {
        guard let name = nonEmpty(name) else { throw ReplicationError(.invalidValue, "the name must not be empty") }
        let type = try FieldRule.choice(FolderSchema.campaignTypes).normalise(type, required: true, field: "--type")!
        if let start, let end, end < start {
            throw ReplicationError(.invalidValue, "the campaign ends \(end), before it starts (\(start))")
        }
        let id = ledger.newEntityID()
        try append(.campaign, id, "name", .assign, name, [])
        try append(.campaign, id, "type", .assign, type, [])
        for (field, value) in [("start", start?.description), ("end", end?.description), ("notes", nonEmpty(notes))] {
            if let value { try set(.campaign, id, field: field, to: value) }
        }
        return id
    }

    /// Adds customers to a campaign as they are now (merged ones as the customer they were
    /// merged into), leaving out those already in it; `chosenBy` says how they were chosen
    /// (`ids`, `category retail`, `search "acme"`). Refused when none is new.
    public mutating func addCampaignMembers(_ campaign: EntityID, customers: [EntityID], chosenBy: String) throws
        -> [EntityID]
    {
        try requireEntity(.campaign, campaign)
        var members = Set(
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT customer_id FROM campaign_members WHERE campaign_id = ?",
                arguments: [campaign.description]
            )
        )
        var added: [EntityID] = []
        for customer in customers {
            let folder = try folder(of: customer)
            guard !members.contains(folder.description) else { continue }
            members.insert(folder.description)
            added.append(folder)
        }
        guard !added.isEmpty else {
            throw ReplicationError(
                .invalidValue,
                customers.isEmpty ? "no customer matches" : "every customer given is in the campaign already"
            )
        }
        for chunk in stride(from: 0, to: added.count, by: RecordList.maximumCount) {
            let part = added[chunk..<min(chunk + RecordList.maximumCount, added.count)]
            let record = CampaignMembersRecord(
                campaign: campaign.description,
                customers: part.map(\.description),
                chosenBy: chosenBy,
                addedAt: now,
                addedBy: ledger.person
            )
            try append(.campaignMembers, ledger.newEntityID(), "", .record, try RecordJSON.encode(record), [])
        }
        return added
    }

    /// Records how a customer answered a campaign; immutable (a later answer is another record).
    public mutating func respond(campaign: EntityID, customer: EntityID, outcome: String, date: BusinessDate) throws
        -> EntityID
    {
        try requireEntity(.campaign, campaign)
        let folder = try folder(of: customer)
        guard let outcome = nonEmpty(outcome) else {
            throw ReplicationError(.invalidValue, "--outcome must not be empty")
        }
        let member = try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM campaign_members m LEFT JOIN customers c ON c.id = m.customer_id
                WHERE m.campaign_id = ? AND coalesce(c.merged_into, m.customer_id) = ?)
                """,
            arguments: [campaign.description, folder.description]
        )
        guard member == true else {
            throw ReplicationError(
                .invalidValue,
                "customer \(folder) is not in campaign \(campaign) (nodectl campaign members)"
            )
        }
        let record = CampaignResponseRecord(
            campaign: campaign.description,
            customerId: folder.description,
            outcome: outcome,
            date: date.description,
            recordedBy: ledger.person
        )
        let id = ledger.newEntityID()
        try append(.campaignResponse, id, "", .record, try RecordJSON.encode(record), [])
        return id
    }
}
