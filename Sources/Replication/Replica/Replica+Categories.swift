import GRDB
import Model

/// A category in use, as `nodectl categories` lists it.
public struct CategoryCount: Sendable, Equatable {
    /// The most common spelling of the category (ties: the first in Unicode order).
    public var category: String
    /// How many customers are in it, under any of its spellings (each customer once).
    public var customers: Int
    /// Every spelling in use, most common first (ties: Unicode order).
    public var spellings: [String]

    public init(category: String, customers: Int, spellings: [String]) {
        self.category = category
        self.customers = customers
        self.spellings = spellings
    }
}

extension Replica {
    /// Every category in use by the customers `archive` selects, with how many are in it.
    ///
    /// Spellings that differ only in case (Unicode case folding: `VIP`, `vip`, `Vip`) are one
    /// category, named by its most common spelling, as `customer list --category` treats them.
    /// Ordered by name, case ignored.
    public func categories(archive: ArchiveFilter = .current) throws -> [CategoryCount] {
        try pool.read { db in
            let filter: String
            switch archive {
            case .current: filter = "WHERE c.merged_into IS NULL AND c.archived IS NULL"
            case .archived: filter = "WHERE c.merged_into IS NULL AND c.archived IS NOT NULL"
            case .all: filter = "WHERE c.merged_into IS NULL"
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT k.category, count(*) AS customers
                    FROM customer_categories k JOIN customers c ON c.id = k.customer_id \(filter)
                    GROUP BY k.category
                    """
            )
            var groups: [String: [(spelling: String, customers: Int)]] = [:]
            for row in rows {
                let spelling: String = row["category"]
                groups[SearchFolding.foldCase(spelling), default: []].append((spelling, row["customers"]))
            }
            var result: [CategoryCount] = []
            for (_, group) in groups {
                let ordered = group.sorted { ($1.customers, $0.spelling) < ($0.customers, $1.spelling) }
                var customers = ordered[0].customers
                if ordered.count > 1 {
                    // A customer may hold two spellings: count it once.
                    let spellings = ordered.map(\.spelling)
                    customers =
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT count(DISTINCT k.customer_id)
                                FROM customer_categories k JOIN customers c ON c.id = k.customer_id
                                \(filter.isEmpty ? "WHERE" : filter + " AND") k.category IN \(Replica.placeholders(spellings.count))
                                """,
                            arguments: StatementArguments(spellings)
                        ) ?? 0
                }
                result.append(
                    CategoryCount(
                        category: ordered[0].spelling,
                        customers: customers,
                        spellings: ordered.map(\.spelling)
                    )
                )
            }
            return result.sorted {
                (SearchFolding.foldCase($0.category), $0.category) < (SearchFolding.foldCase($1.category), $1.category)
            }
        }
    }
}
