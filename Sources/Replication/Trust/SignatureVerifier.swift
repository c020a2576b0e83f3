/// Checks a signature made with a node's identity key, given the node's certificate.
///
/// The replication engine does not read certificates: the running node, which owns the
/// identities, hands the replica a verifier that does (``Replica/open(at:schema:wallClock:signatures:logger:)``).
/// The engine itself binds the certificate to the node id that signs (a node id is the
/// SHA-256 digest of its certificate's DER bytes), so a verifier only answers whether
/// `signature` over `payload` was made by the key `certificate` carries.
public struct SignatureVerifier: Sendable {
    /// Whether `signature` over `payload` verifies with the public key of `certificate` (DER).
    public let verify: @Sendable (_ payload: [UInt8], _ certificate: [UInt8], _ signature: [UInt8]) -> Bool
    /// A name for people, in a held change's detail ("x509", "none").
    public let name: String

    public init(
        name: String,
        verify: @escaping @Sendable (_ payload: [UInt8], _ certificate: [UInt8], _ signature: [UInt8]) -> Bool
    ) {
        self.name = name
        self.verify = verify
    }

    /// Verifies nothing: a replica opened without a verifier holds every revocation as
    /// unverified.
    public static let none = SignatureVerifier(name: "none") { _, _, _ in false }

    /// Whether this verifier can verify anything at all.
    var checks: Bool { name != SignatureVerifier.none.name }
}
