import Foundation
import GRDB
import Model
import Replication
import Testing

/// The search index follows what each replica applies: a peer's edits, set adds and removes,
/// a conflict's winner and its settlement, a contact moved to another customer. It is derived
/// on every node from its own plain tables, so two replicas holding the same writes find the
/// same customers, and `check` finds the index matching.
@Suite("The search index follows replication", .offThePool)
struct SearchIndexTests {
    static func names(_ replica: Replica, _ text: String) throws -> [String] {
        try replica.customers(search: text, archive: .all).map(\.name)
    }

    @Test func aPeersEditsAreFoundByTheirNewValuesOnly() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let (acme, contact) = try a.write { writer in
            let acme = try writer.createCustomer(name: "Acme Ltd", fields: ["phone": "(555) 123-4567"])
            let contact = try writer.createContact(
                customer: acme,
                name: "Anna Schmidt",
                phones: ["555 000 1111"],
                emails: ["anna@example.org"]
            )
            return (acme, contact)
        }
        try fixture.sync(a, to: b)
        #expect(try Self.names(b, "anna") == ["Acme Ltd"])
        #expect(try Self.names(b, "5550001111") == ["Acme Ltd"])

        fixture.time.advance(by: 10)
        try a.write { writer in
            try writer.set(.customer, acme, field: "name", to: "Zenith Holdings")
            try writer.set(.customer, acme, field: "phone", to: "(555) 765-4321")
            try writer.set(.contact, contact, field: "name", to: "Bertha Jones")
            try writer.remove(.contact, contact, field: "phones", element: "555 000 1111")
            try writer.add(.contact, contact, field: "phones", element: "555 222 3333")
            try writer.remove(.contact, contact, field: "emails", element: "anna@example.org")
        }
        try fixture.sync(a, to: b)
        for replica in [a, b] {
            for now in ["zenith", "765 4321", "bertha", "5552223333"] {
                #expect(try Self.names(replica, now) == ["Zenith Holdings"], "\(now)")
            }
            for old in ["acme", "5551234567", "anna", "schmidt", "5550001111", "anna@example.org"] {
                #expect(try Self.names(replica, old).isEmpty, "\(old)")
            }
            #expect(try replica.check().isEmpty)
        }
    }

    @Test func aConflictIsFoundByTheValueShownThenByItsSettlement() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let id = try fixture.customer(on: a, sharedWith: [b])
        try a.write { try $0.set(.customer, id, field: "notes", to: "alpha") }
        fixture.time.advance(by: 10)
        try b.write { try $0.set(.customer, id, field: "notes", to: "bravo") }
        try fixture.sync(a, to: b)
        try fixture.sync(b, to: a)
        let shown = try a.folder(id).customer.notes
        #expect(try b.folder(id).customer.notes == shown)
        let hidden = shown == "alpha" ? "bravo" : "alpha"
        for replica in [a, b] {
            #expect(try Self.names(replica, shown) == ["Acme Ltd"])
            #expect(try Self.names(replica, hidden).isEmpty)
        }
        let conflict = try #require(try a.conflicts().first)
        try a.resolve(conflict: conflict.id, pick: nil, value: "charlie")
        try fixture.sync(a, to: b)
        for replica in [a, b] {
            #expect(try Self.names(replica, "charlie") == ["Acme Ltd"])
            #expect(try Self.names(replica, "alpha").isEmpty && Self.names(replica, "bravo").isEmpty)
            #expect(try replica.check().isEmpty)
        }
    }

    @Test func aContactMovedToAnotherCustomerIsFoundThere() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let b = try fixture.node(2)
        let (globex, contact) = try a.write { writer in
            let acme = try writer.createCustomer(name: "Acme Ltd")
            let globex = try writer.createCustomer(name: "Globex")
            let contact = try writer.createContact(customer: acme, name: "Hank Scorpio", phones: ["+49 30 901820"])
            return (globex, contact)
        }
        try fixture.sync(a, to: b)
        #expect(try Self.names(b, "scorpio") == ["Acme Ltd"])
        try a.write { try $0.set(.contact, contact, field: "customer", to: globex.description) }
        try fixture.sync(a, to: b)
        for replica in [a, b] {
            #expect(try Self.names(replica, "scorpio") == ["Globex"])
            #expect(try Self.names(replica, "030 901820") == ["Globex"])
            #expect(try replica.check().isEmpty)
        }
    }

    @Test func aWriteBehindTheNodesBackIsReportedThenRecomputedByTheNextWrite() throws {
        let fixture = ReplicaFixture()
        let a = try fixture.node(1)
        let id = try fixture.customer(on: a)
        // Another SQLite connection, as a tool would open the file: no ledger, no flush.
        let behind = try DatabaseQueue(path: fixture.directory(1).appendingPathComponent(Replica.fileName).path)
        try behind.write { db in
            try db.execute(sql: "UPDATE customers SET name = 'Initech' WHERE id = ?", arguments: [id.description])
        }
        try behind.close()
        #expect(try a.check().contains { $0.contains("left to update") })
        #expect(try Self.names(a, "initech").isEmpty)
        try a.write { try $0.set(.customer, id, field: "notes", to: "any write") }
        #expect(try a.check().isEmpty)
        #expect(try Self.names(a, "initech") == ["Initech"])
    }
}
