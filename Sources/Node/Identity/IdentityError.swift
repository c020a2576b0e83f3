/// An error raised while making, storing, loading or using a node's identity.
///
/// Errors are compared on their ``code``; ``message`` is one line for a person, naming the
/// problem and the file or the certificate it concerns.
public struct IdentityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String, Hashable, Sendable {
            case invalidName
            case fileExists
            case missingFile
            case unreadableFile
            case malformedFile
            case keyMismatch
            case writeFailed
            case badCertificate
            case unsupportedKey
            case badSignature
            case signingFailed
        }
        fileprivate let value: Value
        /// The node name cannot be a certificate's common name.
        public static let invalidName = Code(value: .invalidName)
        /// Saving would overwrite an identity file that is already there.
        public static let fileExists = Code(value: .fileExists)
        /// An identity file is not there.
        public static let missingFile = Code(value: .missingFile)
        /// An identity file is there but cannot be read.
        public static let unreadableFile = Code(value: .unreadableFile)
        /// An identity file does not hold what it should (not PEM, not a certificate, not a key).
        public static let malformedFile = Code(value: .malformedFile)
        /// The key file and the certificate file do not belong together.
        public static let keyMismatch = Code(value: .keyMismatch)
        /// An identity file could not be written.
        public static let writeFailed = Code(value: .writeFailed)
        /// A certificate given as DER cannot be parsed.
        public static let badCertificate = Code(value: .badCertificate)
        /// A certificate holds a key other than ECDSA P-256.
        public static let unsupportedKey = Code(value: .unsupportedKey)
        /// A signature is malformed or was not made by the certificate's key over the data.
        public static let badSignature = Code(value: .badSignature)
        /// The private key failed to sign.
        public static let signingFailed = Code(value: .signingFailed)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// One line, for a person: what was wrong and with which file or certificate.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "IdentityError.\(code): \(message)" }

    public static func == (lhs: IdentityError, rhs: IdentityError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
