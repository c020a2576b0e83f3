/// A piece of text a user typed, with the form Nextsoft shows it in.
///
/// Guarantees: ``raw`` is exactly what was typed, character for character; when the text was
/// not understood, ``isRecognised`` is false and ``formatted`` equals ``raw``. Formatting never
/// loses a character a user typed.
public struct FormattedText: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Exactly as typed.
    public let raw: String
    /// As shown: normalised case, spacing and punctuation; `raw` when not recognised.
    public let formatted: String
    /// Whether the rules understood the text.
    public let isRecognised: Bool

    public init(raw: String, formatted: String, isRecognised: Bool) {
        self.raw = raw
        self.formatted = isRecognised ? formatted : raw
        self.isRecognised = isRecognised
    }

    /// Text kept as typed, flagged as not recognised.
    public static func unrecognised(_ raw: String) -> FormattedText {
        FormattedText(raw: raw, formatted: raw, isRecognised: false)
    }

    public var description: String { formatted }
}
