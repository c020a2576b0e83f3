/// An error from the ``BlobStore``.
///
/// Compared on ``code``; ``message`` is one line naming the digest or path concerned.
public struct BlobError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case invalidDigest
            case notFound
            case corrupt
            case io
        }
        fileprivate let value: Value

        /// The digest is not 64 lower-case hexadecimal characters.
        public static let invalidDigest = Code(value: .invalidDigest)
        /// No blob has the digest.
        public static let notFound = Code(value: .notFound)
        /// The stored bytes no longer hash to their digest.
        public static let corrupt = Code(value: .corrupt)
        /// The file system refused an operation.
        public static let io = Code(value: .io)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what failed and on which digest or path.
    public let message: String
    /// The `errno` of the failed system call, for ``Code/io``: what a caller needs to put the
    /// failure in words ("the disk is full", "it is a folder").
    public let posixCode: Int32?

    public init(_ code: Code, _ message: String, posixCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.posixCode = posixCode
    }

    public var description: String { message }

    public static func == (lhs: BlobError, rhs: BlobError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
