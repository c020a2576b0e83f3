/// An error raised while reading or writing the binary form of changes.
///
/// Compared on ``code``. ``message`` is one line for a person naming what was wrong, and
/// ``offset`` is where: a position in the encoded bytes, or in the decompressed body when the
/// message says so.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem the bytes had.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case truncated
            case malformed
            case unsupportedVersion
            case tooLarge
            case decompression
        }
        fileprivate let value: Value

        /// The bytes end before what they announce.
        public static let truncated = Code(value: .truncated)
        /// The bytes are not a well-formed batch: bad magic, an index out of range, an unknown
        /// code, invalid UTF-8, trailing bytes.
        public static let malformed = Code(value: .malformed)
        /// The format version is not one this build reads.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// A count, a string or the decompressed body is beyond the decoder's limits.
        public static let tooLarge = Code(value: .tooLarge)
        /// zlib refused the compressed body (or, when encoding, could not compress it).
        public static let decompression = Code(value: .decompression)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// Where the problem was found.
    public let offset: Int
    /// One line, for a person: what was wrong and where.
    public let message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: CodecError, rhs: CodecError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
