import Foundation

/// The two shapes of `customer export` and `customer import`.
public enum ExchangeFormat: String, Sendable, CaseIterable {
    /// One row per contact, customer columns repeated (``ExchangeColumn``).
    case csv
    /// An array of customers, each with its contacts (``ExchangeCustomer``).
    case json

    /// The format named on the command line; else the one of the file's extension
    /// (`.json`, `.csv`, any case); else CSV.
    public static func resolve(_ named: String?, file: String?) throws -> ExchangeFormat {
        if let named {
            guard let format = ExchangeFormat(rawValue: named.lowercased()) else {
                throw ExchangeError(.malformed, "'\(named)' is not a format: csv or json")
            }
            return format
        }
        let suffix = file.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? ""
        return ExchangeFormat(rawValue: suffix) ?? .csv
    }
}
