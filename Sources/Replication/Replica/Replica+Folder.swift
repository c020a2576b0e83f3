import Foundation
import GRDB
import Model

/// A customer's whole folder, as `customer show` prints it.
public struct Folder: Sendable, Equatable {
    public var customer: Customer
    public var contacts: [Contact]
    public var journal: [JournalEntry]
    public var documents: [Document]
    /// Fields of this folder with an open conflict, as `entityID/field`.
    public var conflictedFields: [String]
    /// The customers merged into this one (``LocalWriter/mergeCustomers(keep:duplicate:by:)``),
    /// oldest first: their contacts, journal and documents are in this folder.
    public var merged: [EntityID] = []
}

extension Replica {
    /// Which customers a list shows by whether they are archived.
    public enum ArchiveFilter: Sendable, Hashable {
        /// Those not archived (the default).
        case current
        /// Only the archived ones.
        case archived
        /// All of them.
        case all
    }

    /// The whole folder of one customer; ``ReplicationError/Code/unknownID`` when none. The id
    /// of a customer merged into another leads to that one's folder.
    public func folder(_ id: EntityID) throws -> Folder {
        try pool.read { db in
            let id = try CustomerMerges.final(db, id)
            guard
                let row = try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id.description])
            else { throw ReplicationError(.unknownID, "no customer with id \(id)") }
            let categories = try String.fetchAll(
                db,
                sql: "SELECT category FROM customer_categories WHERE customer_id = ? ORDER BY category",
                arguments: [id.description]
            )
            let contacts = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM folder_contacts WHERE customer_id IN (\(CustomerMerges.folderMembers))
                    ORDER BY name COLLATE NOCASE, id
                    """,
                arguments: [id.description, id.description]
            ).map { try Replica.contact($0, db) }
            let conflicted = try String.fetchAll(
                db,
                sql: """
                    SELECT entity_id || '/' || field FROM open_conflicts
                    WHERE entity_id IN (\(CustomerMerges.folderMembers))
                    OR entity_id IN (SELECT id FROM folder_contacts WHERE customer_id IN (\(CustomerMerges.folderMembers)))
                    ORDER BY 1
                    """,
                arguments: [id.description, id.description, id.description, id.description]
            )
            return Folder(
                customer: try Replica.customer(row, categories: categories),
                contacts: contacts,
                journal: try Replica.journal(db, customer: id),
                documents: try Replica.documents(db, customer: id),
                conflictedFields: conflicted,
                merged: try String.fetchAll(
                    db,
                    sql: "SELECT id FROM customers WHERE merged_into = ? ORDER BY id",
                    arguments: [id.description]
                ).compactMap(EntityID.init)
            )
        }
    }

    /// One contact; ``ReplicationError/Code/unknownID`` when none.
    public func contact(_ id: EntityID) throws -> Contact {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(db, sql: "SELECT * FROM contacts WHERE id = ?", arguments: [id.description])
            else { throw ReplicationError(.unknownID, "no contact with id \(id)") }
            guard try Removal.isInFolder(db, table: "contacts", entityID: id.description) else {
                throw ReplicationError(.unknownID, "contact \(id) was removed (its writes: nodectl history \(id))")
            }
            return try Replica.contact(row, db)
        }
    }

    /// A customer's journal, oldest first (ties by id).
    public func journal(customer id: EntityID) throws -> [JournalEntry] {
        try pool.read { db in
            guard try Replica.exists(db, .customer, id) else {
                throw ReplicationError(.unknownID, "no customer with id \(id)")
            }
            return try Replica.journal(db, customer: try CustomerMerges.final(db, id))
        }
    }

    /// A customer's documents, oldest first.
    public func documents(customer id: EntityID) throws -> [Document] {
        try pool.read { db in
            guard try Replica.exists(db, .customer, id) else {
                throw ReplicationError(.unknownID, "no customer with id \(id)")
            }
            return try Replica.documents(db, customer: try CustomerMerges.final(db, id))
        }
    }

    /// One document's metadata; ``ReplicationError/Code/unknownID`` when none.
    public func document(_ id: EntityID) throws -> Document {
        try pool.read { db in
            guard
                let row = try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id.description])
            else { throw ReplicationError(.unknownID, "no document with id \(id)") }
            return try Replica.document(row)
        }
    }

    /// Every customer's id, in the order they were made (ids are time-ordered).
    public func customerIDs() throws -> [EntityID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM customers WHERE merged_into IS NULL ORDER BY id")
                .compactMap(EntityID.init)
        }
    }

    /// Every document digest the replica refers to, leaving out those whose every document
    /// was withdrawn (their bytes are erased, never fetched).
    public func documentDigests() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT digest FROM documents WHERE withdrawn_at IS NULL ORDER BY digest"
            )
        }
    }

    /// Whether every document with bytes `digest` was withdrawn (and there is one).
    public func isWithdrawn(digest: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT count(*) > 0 AND count(*) = count(withdrawn_at) FROM documents WHERE digest = ?",
                arguments: [digest]
            ) ?? false
        }
    }

    /// The digests whose every document was withdrawn: bytes no node keeps.
    public func withdrawnDigests() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT digest FROM documents GROUP BY digest HAVING count(*) = count(withdrawn_at) ORDER BY digest"
            )
        }
    }

    /// Counts for `status`.
    public func counts() throws -> (
        customers: Int, contacts: Int, journal: Int, documents: Int, changes: Int, conflicts: Int
    ) {
        try pool.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return (
                try count("SELECT count(*) FROM customers WHERE merged_into IS NULL"),
                try count("SELECT count(*) FROM folder_contacts"),
                try count("SELECT count(*) FROM journal_entries"),
                try count("SELECT count(*) FROM documents"),
                try count("SELECT count(*) FROM changes"),
                try count("SELECT count(*) FROM open_conflicts")
            )
        }
    }

    // MARK: Row mapping

    static func exists(_ db: Database, _ kind: EntityKind, _ id: EntityID) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM entities WHERE id = ? AND kind = ?)",
            arguments: [id.description, kind.name]
        ) ?? false
    }

    static func categoriesByCustomer(_ db: Database) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT customer_id, category FROM customer_categories ORDER BY category")
        {
            result[row["customer_id"], default: []].append(row["category"])
        }
        return result
    }

    static func entityID(_ row: Row, _ column: String) throws -> EntityID {
        guard let text: String = row[column], let id = EntityID(text) else {
            throw ReplicationError(.corrupt, "a row holds a malformed id in \(column)")
        }
        return id
    }

    static func customer(_ row: Row, categories: [String]) throws -> Customer {
        Customer(
            id: try entityID(row, "id"),
            name: row["name"] ?? "",
            categories: categories,
            notes: row["notes"] ?? "",
            phone: row["phone"] ?? "",
            email: row["email"] ?? "",
            address: row["address"] ?? "",
            website: row["website"] ?? "",
            archived: row["archived"] as String? == "true",
            terms: row["terms"] ?? "",
            industry: row["industry"] ?? "",
            source: row["source"] ?? "",
            size: row["size"] ?? ""
        )
    }

    static func contact(_ row: Row, _ db: Database) throws -> Contact {
        let id: String = row["id"]
        let phones = try Row.fetchAll(
            db,
            sql: "SELECT label, number FROM contact_phones WHERE contact_id = ? ORDER BY label, number",
            arguments: [id]
        ).map { LabelledValue(label: $0["label"], value: $0["number"]) }
        let emails = try Row.fetchAll(
            db,
            sql: "SELECT label, email FROM contact_emails WHERE contact_id = ? ORDER BY label, email",
            arguments: [id]
        ).map { LabelledValue(label: $0["label"], value: $0["email"]) }
        return Contact(
            id: try entityID(row, "id"),
            customerID: try entityID(row, "customer_id"),
            name: row["name"] ?? "",
            salutation: row["salutation"] ?? "",
            title: row["title"] ?? "",
            phones: phones,
            emails: emails,
            address: row["address"] ?? "",
            notes: row["notes"] ?? ""
        )
    }

    static func journal(_ db: Database, customer: EntityID) throws -> [JournalEntry] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM journal_entries WHERE customer_id IN (\(CustomerMerges.folderMembers)) ORDER BY at, id",
            arguments: [customer.description, customer.description]
        ).map { row in
            let corrects: String? = row["corrects"]
            return JournalEntry(
                id: try entityID(row, "id"),
                customerID: customer,
                at: (try? Timestamp.parse(row["at"])) ?? Date(timeIntervalSince1970: 0),
                kind: JournalKind(rawValue: row["kind"]) ?? .note,
                parties: row["parties"],
                notes: row["notes"],
                author: row["author"],
                corrects: corrects.flatMap(EntityID.init)
            )
        }
    }

    static func documents(_ db: Database, customer: EntityID) throws -> [Document] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM documents WHERE customer_id IN (\(CustomerMerges.folderMembers)) ORDER BY added_at, id",
            arguments: [customer.description, customer.description]
        ).map(document)
    }

    static func document(_ row: Row) throws -> Document {
        Document(
            id: try entityID(row, "id"),
            customerID: try entityID(row, "customer_id"),
            title: row["title"],
            fileName: row["file_name"],
            mediaType: row["media_type"],
            size: row["size"],
            digest: row["digest"],
            addedAt: (try? Timestamp.parse(row["added_at"])) ?? Date(timeIntervalSince1970: 0),
            addedBy: row["added_by"],
            withdrawal: (row["withdrawn_at"] as String?).map {
                Document.Withdrawal(
                    at: (try? Timestamp.parse($0)) ?? Date(timeIntervalSince1970: 0),
                    by: row["withdrawn_by"] ?? "",
                    reason: row["withdrawn_reason"] ?? ""
                )
            }
        )
    }
}

extension Replica {
    /// Every document digest the folder refers to, with the file name of one document that
    /// has it (the first by name), in digest order: what `check` verifies.
    public func documentFileNames() throws -> [(digest: String, fileName: String)] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT digest, min(file_name) AS file_name FROM documents WHERE withdrawn_at IS NULL
                    GROUP BY digest ORDER BY digest
                    """
            ).map { (digest: $0["digest"], fileName: $0["file_name"]) }
        }
    }
}
