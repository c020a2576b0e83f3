import Foundation

/// An ISO 3166-1 alpha-2 country code, always upper case (`US`, `GB`, `DE`).
///
/// Guarantees: ``rawValue`` is exactly two ASCII letters, upper case.
public struct CountryCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Accepts two ASCII letters in any case; anything else is `nil`.
    public init?(rawValue: String) {
        let trimmed = rawValue.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count == 2, trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return nil }
        self.rawValue = trimmed.uppercased()
    }

    public init(stringLiteral value: String) {
        guard let code = CountryCode(rawValue: value) else {
            preconditionFailure("not an ISO 3166-1 alpha-2 code: \(value)")
        }
        self = code
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = CountryCode(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a country code: \(text)")
            )
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let us: CountryCode = "US"
}
