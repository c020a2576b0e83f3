import Foundation
import Replication
import Testing

/// docs/SCHEMA.md follows the declarations: every table and column a kind declares, and
/// every table the replica's migrations create, is listed there.
@Suite("docs/SCHEMA.md lists what the schema declares")
struct SchemaDocumentationTests {
    static let page: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/SCHEMA.md"), encoding: .utf8)) ?? ""
    }()

    /// The row of the table listing `table` (its line in the page).
    static func row(of table: String) -> String? {
        page.split(separator: "\n").first { $0.hasPrefix("| `\(table)` |") }.map(String.init)
    }

    @Test("each declared kind's table and columns", arguments: FolderSchema.standard.declarations.map(\.name))
    func declaredKind(_ name: String) throws {
        let declaration = try #require(FolderSchema.standard.declarations.first { $0.name == name })
        let row = try #require(Self.row(of: declaration.table), "docs/SCHEMA.md has no row for \(declaration.table)")
        var columns = declaration.registers.map(\.column) + (declaration.recordFields ?? []).map(\.column)
        columns.append("id")
        for column in columns {
            #expect(row.contains("`\(column)`"), "\(declaration.table).\(column) is not in docs/SCHEMA.md")
        }
        for set in declaration.sets {
            let setRow = try #require(Self.row(of: set.table), "docs/SCHEMA.md has no row for \(set.table)")
            #expect(setRow.contains("`\(set.ownerColumn)`"))
        }
        #expect(
            Self.page.contains("`\(declaration.name)`"),
            "the kind name \(declaration.name) is not in docs/SCHEMA.md"
        )
    }

    /// Plain and virtual tables; not the shadow tables SQLite keeps for an FTS5 table, which
    /// the FTS5 table's row covers.
    @Test("every table of a fresh replica")
    func everyTable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-doc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let replica = try Replica.create(at: folder, nodeID: ReplicaFixture.nodeID(1), name: "doc")
        let tables = try replica.read { db in
            try String.fetchAll(
                db,
                sql:
                    """
                    SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')
                    AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%'
                    """
            )
        }
        #expect(tables.count >= 15)
        for table in tables {
            #expect(Self.row(of: table) != nil, "table \(table) is not in docs/SCHEMA.md")
        }
    }
}
