import Crypto
import Foundation
import Replication
import SwiftASN1
import X509

/// A node's identity: an ECDSA P-256 key and the self-signed certificate that carries its public
/// half. The node id is the SHA-256 digest of the certificate's DER bytes.
///
/// The same key and certificate serve to sign offline bundles (``sign(_:)``) and, through
/// ``certificatePEM`` and ``privateKeyPEM``, to authenticate the node in mutual TLS. Peers trust
/// a node by pinning its ``nodeID``, not through a certificate authority.
///
/// ```swift
/// let identity = try NodeIdentity.generate(name: "office-laptop")
/// try identity.save(in: dataDirectory)
/// let again = try NodeIdentity.load(from: dataDirectory)   // again.nodeID == identity.nodeID
/// ```
public struct NodeIdentity: Sendable, CustomStringConvertible {
    /// The node's id: the SHA-256 digest of ``certificateDER``.
    public let nodeID: NodeID
    /// The certificate, DER-encoded, exactly as it is stored and sent to peers.
    public let certificateDER: [UInt8]
    private let privateKey: P256.Signing.PrivateKey

    /// The name of the private key file written by ``save(in:)``.
    public static let keyFileName = "node-key.pem"
    /// The name of the certificate file written by ``save(in:)``.
    public static let certificateFileName = "node-cert.pem"

    /// The longest node name a certificate's common name can hold (X.520 `ub-common-name`).
    public static let maximumNameLength = 64

    /// How long a generated certificate is valid: 100 years.
    static let validity: TimeInterval = 100 * 365.25 * 24 * 60 * 60

    /// Pairs a key with the DER bytes of its certificate; the caller has checked that they match.
    init(privateKey: P256.Signing.PrivateKey, certificateDER: [UInt8]) {
        self.privateKey = privateKey
        self.certificateDER = certificateDER
        self.nodeID = NodeID(certificateDER: certificateDER)
    }

    /// The certificate as a PEM document (`CERTIFICATE`), ending with a newline.
    public var certificatePEM: String {
        PEMDocument(type: "CERTIFICATE", derBytes: certificateDER).pemString + "\n"
    }

    /// The private key as a PKCS#8 PEM document (`PRIVATE KEY`), ending with a newline.
    public var privateKeyPEM: String {
        privateKey.pemRepresentation + "\n"
    }

    /// Names the node without revealing its key, so that an identity can be logged safely.
    public var description: String { "NodeIdentity(\(nodeID))" }

    /// Makes a new P-256 key and a self-signed X.509 v3 certificate for it.
    ///
    /// The certificate's subject and issuer are `CN=<name>`; it is valid from one hour ago (to
    /// allow for clock skew between nodes) for 100 years, has a random 20-byte serial number, no
    /// subject alternative names, and critical extensions basic constraints (not a CA) and key
    /// usage (digital signature). It is signed with ECDSA-with-SHA256.
    /// - Parameter name: a person-readable node name, 1 to 64 characters, no control characters.
    /// - Throws: ``IdentityError`` `.invalidName` for an unusable name.
    public static func generate(name: String) throws -> NodeIdentity {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw IdentityError(.invalidName, "a node name cannot be empty")
        }
        guard trimmed.count <= maximumNameLength else {
            throw IdentityError(
                .invalidName,
                "node name '\(trimmed.prefix(20))…' is \(trimmed.count) characters; the limit is \(maximumNameLength)"
            )
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw IdentityError(.invalidName, "node name \(trimmed.debugDescription) contains control characters")
        }

        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let subject = try DistinguishedName { CommonName(trimmed) }
        let notBefore = Date(timeIntervalSinceNow: -3600)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notBefore.addingTimeInterval(validity),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: certificateKey
        )
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return NodeIdentity(privateKey: key, certificateDER: serializer.serializedBytes)
    }

    /// Signs `data` with the node's key: ECDSA P-256 over the SHA-256 digest of `data`.
    /// - Returns: the signature in DER form (at most 72 bytes).
    /// - Throws: ``IdentityError`` `.signingFailed` if the cryptographic library fails.
    public func sign(_ data: some DataProtocol) throws -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: data).derRepresentation)
        } catch {
            throw IdentityError(.signingFailed, "node \(nodeID.short) could not sign: \(error)")
        }
    }

    /// Checks that `signature` was made over `data` by the key of the certificate `certificateDER`.
    ///
    /// Only the signature is checked: whether the signer is trusted is the caller's decision,
    /// made on the returned node id.
    /// - Returns: the signer's node id, the digest of `certificateDER`.
    /// - Throws: ``IdentityError`` `.badCertificate` when the certificate cannot be parsed,
    ///   `.unsupportedKey` when its key is not P-256, `.badSignature` when the signature is
    ///   malformed or does not match.
    public static func verify(
        signature: [UInt8],
        over data: some DataProtocol,
        certificateDER: [UInt8]
    ) throws -> NodeID {
        let signer = NodeID(certificateDER: certificateDER)
        let publicKey = try p256PublicKey(ofCertificateDER: certificateDER, context: "the signer's certificate")
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else {
            throw IdentityError(
                .badSignature,
                "the signature claimed by node \(signer.short) is not a DER ECDSA signature"
            )
        }
        guard publicKey.isValidSignature(parsed, for: data) else {
            throw IdentityError(.badSignature, "the signature does not match the data and node \(signer.short)'s key")
        }
        return signer
    }

    /// Parses a certificate and returns its P-256 public key.
    /// - Parameter context: names the certificate in error messages (a file, "the signer's certificate").
    static func p256PublicKey(ofCertificateDER der: [UInt8], context: String) throws -> P256.Signing.PublicKey {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw IdentityError(.badCertificate, "\(context) is not a valid X.509 certificate (\(briefReason(error)))")
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw IdentityError(.unsupportedKey, "\(context) holds a key other than ECDSA P-256")
        }
        return key
    }

    /// The code of an ASN.1 or certificate error, without the library's source location.
    static func briefReason(_ error: any Error) -> String {
        switch error {
        case let error as ASN1Error: return "\(error.code)"
        case let error as CertificateError: return "\(error.code)"
        default: return "\(error)"
        }
    }
}
