import Model

/// The Marketing tab's kinds. To-dos and campaigns are editable; that a to-do is done, who
/// joined a campaign and how a customer answered are immutable records — so two people
/// finishing one to-do apart make two records, not a conflict, and a campaign's members are the
/// customers chosen when they were added, whatever their categories become later. The
/// customer's demographics (`industry`, `source`, `size`) are fields of the customer.
extension FolderSchema {
    static let marketing: [KindDeclaration] = [todo, todoDone, campaign, campaignMembers, campaignResponse]

    /// A campaign's types.
    public static let campaignTypes = ["mail", "email", "phone", "event", "survey", "promotion", "service-contract"]

    static let todo = KindDeclaration(
        .todo,
        table: "todos",
        shape: .fields(
            registers: [
                .init("text", required: true),
                .init("due", column: "due_date", rule: .date),
                .init("assignee"),
                .init("customer", column: "customer_id", rule: .entity(.customer)),
                .init("campaign", column: "campaign_id", rule: .entity(.campaign)),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "kind todo: table",
                sql: """
                    CREATE TABLE todos (
                        id TEXT PRIMARY KEY,
                        text TEXT,
                        due_date TEXT,
                        assignee TEXT,
                        customer_id TEXT,
                        campaign_id TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX todos_by_assignee ON todos(assignee COLLATE NOCASE, due_date);
                    CREATE INDEX todos_by_customer ON todos(customer_id) WHERE customer_id IS NOT NULL;
                    """
            )
        ]
    )

    static let todoDone = KindDeclaration(
        .todoDone,
        table: "todo_completions",
        shape: .record([
            .init("todo", column: "todo_id", .entity(.todo)),
            .init("doneAt", column: "done_at"),
            .init("doneBy", column: "done_by"),
            .init("node", column: "node"),
        ]),
        migrations: [
            .init(
                "kind todo-done: table",
                sql: """
                    CREATE TABLE todo_completions (
                        id TEXT PRIMARY KEY,
                        todo_id TEXT NOT NULL,
                        done_at TEXT NOT NULL,
                        done_by TEXT NOT NULL,
                        node TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX todo_completions_by_todo ON todo_completions(todo_id, done_at);
                    """
            )
        ]
    )

    static let campaign = KindDeclaration(
        .campaign,
        table: "campaigns",
        shape: .fields(
            registers: [
                .init("name", required: true),
                .init("type", required: true, rule: .choice(campaignTypes)),
                .init("start", column: "start_date", rule: .date),
                .init("end", column: "end_date", rule: .date),
                .init("notes"),
            ],
            sets: []
        ),
        migrations: [
            .init(
                "kind campaign: table",
                sql: """
                    CREATE TABLE campaigns (
                        id TEXT PRIMARY KEY,
                        name TEXT,
                        type TEXT,
                        start_date TEXT,
                        end_date TEXT,
                        notes TEXT,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    ) STRICT;
                    """
            )
        ]
    )

    static let campaignMembers = KindDeclaration(
        .campaignMembers,
        table: "campaign_additions",
        shape: .record([
            .init("campaign", column: "campaign_id", .entity(.campaign)),
            .init("customers", column: "customers", .list(.references)),
            .init("chosenBy", column: "chosen_by"),
            .init("addedAt", column: "added_at"),
            .init("addedBy", column: "added_by"),
        ]),
        migrations: [
            .init(
                "kind campaign-members: table",
                sql: """
                    CREATE TABLE campaign_additions (
                        id TEXT PRIMARY KEY,
                        campaign_id TEXT NOT NULL,
                        customers TEXT NOT NULL,
                        chosen_by TEXT NOT NULL,
                        added_at TEXT NOT NULL,
                        added_by TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE campaign_members (
                        campaign_id TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        addition_id TEXT NOT NULL,
                        PRIMARY KEY (campaign_id, customer_id, addition_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX campaign_members_by_customer ON campaign_members(customer_id);
                    CREATE TRIGGER campaign_additions_members_insert AFTER INSERT ON campaign_additions BEGIN
                        INSERT OR IGNORE INTO campaign_members (campaign_id, customer_id, addition_id)
                        SELECT new.campaign_id, value, new.id FROM json_each(new.customers);
                    END;
                    CREATE TRIGGER campaign_additions_members_delete AFTER DELETE ON campaign_additions BEGIN
                        DELETE FROM campaign_members WHERE addition_id = old.id;
                    END;
                    """
            )
        ]
    )

    static let campaignResponse = KindDeclaration(
        .campaignResponse,
        table: "campaign_responses",
        shape: .record([
            .init("campaign", column: "campaign_id", .entity(.campaign)),
            .init("customerId", column: "customer_id", .entity(.customer)),
            .init("outcome", column: "outcome"),
            .init("date", column: "date", .date),
            .init("recordedBy", column: "recorded_by"),
        ]),
        migrations: [
            .init(
                "kind campaign-response: table",
                sql: """
                    CREATE TABLE campaign_responses (
                        id TEXT PRIMARY KEY,
                        campaign_id TEXT NOT NULL,
                        customer_id TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        date TEXT NOT NULL,
                        recorded_by TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX campaign_responses_by_campaign ON campaign_responses(campaign_id, customer_id);
                    CREATE INDEX campaign_responses_by_customer ON campaign_responses(customer_id);
                    """
            )
        ]
    )
}
