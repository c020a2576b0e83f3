/// An error raised while reading or writing a ``SignedBundle`` file.
///
/// Errors are compared on their ``code``; ``message`` is one line for a person, naming the
/// problem and where in the file it was found.
public struct BundleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the bundle.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case notABundle
            case unsupportedVersion
            case truncated
            case badSignature
            case malformed
        }
        fileprivate let value: Value
        /// The bytes do not start with the bundle magic: this is some other file.
        public static let notABundle = Code(value: .notABundle)
        /// The bundle was written in a format version this node does not read.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// The file ends before the layout says it should: cut off in transfer or on disk.
        public static let truncated = Code(value: .truncated)
        /// The signature does not match the contents and the embedded certificate.
        public static let badSignature = Code(value: .badSignature)
        /// A field is out of its limits, the certificate is unusable, or bytes follow the end.
        public static let malformed = Code(value: .malformed)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what was wrong and where.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "BundleError.\(code): \(message)" }

    /// One line for the person applying the bundle. A bundle whose bytes changed on the way —
    /// a flipped byte, a cut-off copy — reads "the bundle is damaged (signature does not
    /// verify)" or "the bundle is damaged (…)" with what was found; another kind of file, or a
    /// newer format, reads "the bundle is refused: …".
    public var summary: String {
        if code == .badSignature { return "the bundle is damaged (signature does not verify)" }
        if code == .truncated || code == .malformed { return "the bundle is damaged (\(message))" }
        return "the bundle is refused: \(message)"
    }

    public static func == (lhs: BundleError, rhs: BundleError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
