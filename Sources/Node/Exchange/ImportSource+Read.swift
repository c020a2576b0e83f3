import Foundation

extension ImportSource {
    /// The customers of an import file in `format` (``CSVImport``, ``JSONImport``).
    public static func read(_ url: URL, format: ExchangeFormat) throws -> ImportSource {
        switch format {
        case .csv: try CSVImport.read(url)
        case .json: try JSONImport.read(url)
        }
    }
}
