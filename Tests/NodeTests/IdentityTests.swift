import Crypto
import Foundation
import Node
import Replication
import SwiftASN1
import Testing
import X509

@Suite("Node identity")
struct IdentityTests {
    // MARK: generate

    @Test("a generated certificate has the promised shape")
    func generatedCertificate() throws {
        let identity = try NodeIdentity.generate(name: "Büro Köln – Laptop 2")
        let certificate = try Certificate(derEncoded: identity.certificateDER)

        #expect(certificate.version == .v3)
        #expect(certificate.subject == certificate.issuer)
        #expect(certificate.subject.description == "CN=Büro Köln – Laptop 2")
        #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(certificate.serialNumber.bytes.count >= 8)

        let years = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) / (365.25 * 24 * 3600)
        #expect(abs(years - 100) < 0.01)
        #expect(certificate.notValidBefore <= Date())
        #expect(certificate.notValidBefore > Date(timeIntervalSinceNow: -2 * 3600))

        let constraints = try #require(try certificate.extensions.basicConstraints)
        #expect(constraints == .notCertificateAuthority)
        #expect(certificate.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage == KeyUsage(digitalSignature: true))
        #expect(certificate.extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try certificate.extensions.subjectAlternativeNames == nil)

        // The DER is canonical: re-serialising the parsed certificate gives the same bytes.
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        #expect(serializer.serializedBytes == identity.certificateDER)
    }

    @Test("the node id is the digest of the certificate DER and survives its text form")
    func nodeIDIsCertificateDigest() throws {
        let identity = try NodeIdentity.generate(name: "node-a")
        #expect(identity.nodeID == NodeID(certificateDER: identity.certificateDER))
        #expect(identity.nodeID.digest == Array(SHA256.hash(data: identity.certificateDER)))
        #expect(NodeID(identity.nodeID.description) == identity.nodeID)
        #expect(identity.description.contains(identity.nodeID.description))
        #expect(!identity.description.contains("PRIVATE"))
    }

    @Test("two generated identities differ")
    func identitiesDiffer() throws {
        let first = try NodeIdentity.generate(name: "same-name")
        let second = try NodeIdentity.generate(name: "same-name")
        #expect(first.nodeID != second.nodeID)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
    }

    @Test("PEM forms are PKCS#8 and CERTIFICATE documents that parse back")
    func pemForms() throws {
        let identity = try NodeIdentity.generate(name: "pem")
        #expect(identity.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(identity.privateKeyPEM.hasSuffix("-----END PRIVATE KEY-----\n"))
        #expect(identity.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(identity.certificatePEM.hasSuffix("-----END CERTIFICATE-----\n"))

        let document = try PEMDocument(pemString: identity.certificatePEM)
        #expect(document.derBytes == identity.certificateDER)
        let key = try P256.Signing.PrivateKey(pemRepresentation: identity.privateKeyPEM)
        let certificate = try Certificate(derEncoded: identity.certificateDER)
        #expect(P256.Signing.PublicKey(certificate.publicKey)?.rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test(
        "names that cannot be a common name are refused",
        arguments: ["", "   ", "\n\t", String(repeating: "x", count: 65), "line\nbreak", "bell\u{7}"]
    )
    func invalidNames(name: String) throws {
        let error = #expect(throws: IdentityError.self) { try NodeIdentity.generate(name: name) }
        #expect(error?.code == .invalidName)
    }

    @Test(
        "usable names are kept, trimmed",
        arguments: [
            ("x", "x"),
            ("  padded  ", "padded"),
            ("Zürich / Genève #3", "Zürich / Genève #3"),
            ("💼 sales", "💼 sales"),
            (String(repeating: "n", count: 64), String(repeating: "n", count: 64)),
        ]
    )
    func validNames(name: String, commonName: String) throws {
        let identity = try NodeIdentity.generate(name: name)
        let certificate = try Certificate(derEncoded: identity.certificateDER)
        let names = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }
        #expect(names.count == 1)
        #expect(names.first.map { String(describing: $0.value) } == commonName)
    }

    // MARK: sign and verify

    @Test("a signature verifies for its data and signer, over any DataProtocol")
    func signAndVerify() throws {
        let identity = try NodeIdentity.generate(name: "signer")
        let message = Array("Angebot 2024-117 an Müller GmbH".utf8)
        let signature = try identity.sign(message)
        #expect(signature.count <= 72)
        #expect(
            try NodeIdentity.verify(signature: signature, over: message, certificateDER: identity.certificateDER)
                == identity.nodeID
        )
        #expect(
            try NodeIdentity.verify(signature: signature, over: Data(message), certificateDER: identity.certificateDER)
                == identity.nodeID
        )
        let framed = [0xAA] + message + [0xBB]
        #expect(
            try NodeIdentity.verify(
                signature: signature,
                over: framed[1..<(framed.count - 1)],
                certificateDER: identity.certificateDER
            ) == identity.nodeID
        )

        let empty = try identity.sign([UInt8]())
        #expect(
            try NodeIdentity.verify(signature: empty, over: [UInt8](), certificateDER: identity.certificateDER)
                == identity.nodeID
        )
    }

    @Test("verification fails with another node's certificate, changed data or a damaged signature")
    func verifyRejects() throws {
        let alice = try NodeIdentity.generate(name: "alice")
        let bob = try NodeIdentity.generate(name: "bob")
        let message = Array("pay 100".utf8)
        let signature = try alice.sign(message)

        var damagedSignature = signature
        damagedSignature[damagedSignature.count - 1] ^= 0x01
        let cases: [(signature: [UInt8], data: [UInt8], certificate: [UInt8], code: IdentityError.Code)] = [
            (signature, message, bob.certificateDER, .badSignature),
            (signature, Array("pay 900".utf8), alice.certificateDER, .badSignature),
            (signature, message + [0], alice.certificateDER, .badSignature),
            (damagedSignature, message, alice.certificateDER, .badSignature),
            (Array(signature.dropLast()), message, alice.certificateDER, .badSignature),
            ([], message, alice.certificateDER, .badSignature),
            (Array(repeating: 0, count: 64), message, alice.certificateDER, .badSignature),
            (signature, message, [], .badCertificate),
            (signature, message, Array(alice.certificateDER.dropLast()), .badCertificate),
            (signature, message, Array("-----BEGIN CERTIFICATE-----".utf8), .badCertificate),
        ]
        for (index, entry) in cases.enumerated() {
            let error = #expect(throws: IdentityError.self, "case \(index)") {
                try NodeIdentity.verify(signature: entry.signature, over: entry.data, certificateDER: entry.certificate)
            }
            #expect(error?.code == entry.code, "case \(index): \(String(describing: error))")
        }
    }

    @Test("a certificate with a key other than P-256 is refused for verification")
    func verifyRejectsOtherKeyTypes() throws {
        let key = Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("ed25519") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: Date(),
            notValidAfter: Date(timeIntervalSinceNow: 3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ed25519,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: key
        )
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let error = #expect(throws: IdentityError.self) {
            try NodeIdentity.verify(
                signature: [0x30, 0x00],
                over: [1, 2, 3],
                certificateDER: serializer.serializedBytes
            )
        }
        #expect(error?.code == .unsupportedKey)
    }
}

@Suite("Node identity files")
struct IdentityFileTests {
    /// A fresh directory under the system temporary directory, removed after `body`.
    private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("identity-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    private func permissions(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    private func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    @Test("save then load gives back the same identity, key file 0600, nothing else left behind")
    func roundTrip() throws {
        try withTemporaryDirectory { directory in
            let identity = try NodeIdentity.generate(name: "round-trip")
            try identity.save(in: directory)

            let keyURL = directory.appendingPathComponent(NodeIdentity.keyFileName)
            let certificateURL = directory.appendingPathComponent(NodeIdentity.certificateFileName)
            #expect(try permissions(keyURL) == 0o600)
            #expect(try permissions(certificateURL) == 0o644)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["node-cert.pem", "node-key.pem"])
            #expect(try String(contentsOf: keyURL, encoding: .utf8) == identity.privateKeyPEM)
            #expect(try String(contentsOf: certificateURL, encoding: .utf8) == identity.certificatePEM)

            let loaded = try NodeIdentity.load(from: directory)
            let again = try NodeIdentity.load(from: directory)
            #expect(loaded.nodeID == identity.nodeID)
            #expect(again.nodeID == identity.nodeID)
            #expect(loaded.certificateDER == identity.certificateDER)
            #expect(loaded.privateKeyPEM == identity.privateKeyPEM)
            #expect(loaded.nodeID == NodeID(certificateDER: loaded.certificateDER))

            let signature = try loaded.sign(Array("from disk".utf8))
            let signer = try NodeIdentity.verify(
                signature: signature,
                over: Array("from disk".utf8),
                certificateDER: identity.certificateDER
            )
            #expect(signer == identity.nodeID)
        }
    }

    @Test("save creates a missing directory, readable only by its owner")
    func saveCreatesDirectory() throws {
        try withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("data/identity")
            try NodeIdentity.generate(name: "nested").save(in: directory)
            #expect(try permissions(directory) == 0o700)
            #expect(try NodeIdentity.load(from: directory).certificateDER.isEmpty == false)
        }
    }

    @Test("save never overwrites an identity file, and writes nothing when one is there")
    func saveRefusesToOverwrite() throws {
        try withTemporaryDirectory { directory in
            let first = try NodeIdentity.generate(name: "first")
            let second = try NodeIdentity.generate(name: "second")
            try first.save(in: directory)
            let error = #expect(throws: IdentityError.self) { try second.save(in: directory) }
            #expect(error?.code == .fileExists)
            #expect(error?.message.contains("node-key.pem") == true)
            #expect(try NodeIdentity.load(from: directory).nodeID == first.nodeID)

            // Only the certificate is there: the key must not be written either.
            try FileManager.default.removeItem(at: directory.appendingPathComponent(NodeIdentity.keyFileName))
            let partial = #expect(throws: IdentityError.self) { try second.save(in: directory) }
            #expect(partial?.code == .fileExists)
            #expect(partial?.message.contains("node-cert.pem") == true)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(names == ["node-cert.pem"])
        }
    }

    @Test("save reports a directory it cannot write into")
    func saveIntoUnwritablePlace() throws {
        try withTemporaryDirectory { root in
            let blocker = root.appendingPathComponent("a-file")
            try write("not a directory", to: blocker)
            let error = #expect(throws: IdentityError.self) {
                try NodeIdentity.generate(name: "blocked").save(in: blocker)
            }
            #expect(error?.code == .writeFailed)
            #expect(error?.message.contains("a-file") == true)
        }
    }

    /// One damaged state of the two files: what to write (nil = leave missing), the code
    /// expected, and the file the message must name.
    struct Damage: Sendable, CustomTestStringConvertible {
        let label: String
        let key: Contents
        let certificate: Contents
        let code: IdentityError.Code
        let namedFile: String
        var testDescription: String { label }

        enum Contents: Sendable {
            case good, missing, otherNode
            case text(String)
            case bytes([UInt8])
            case directory
        }
    }

    static let damages: [Damage] = [
        Damage(
            label: "empty directory",
            key: .missing,
            certificate: .missing,
            code: .missingFile,
            namedFile: "node-key.pem"
        ),
        Damage(label: "key missing", key: .missing, certificate: .good, code: .missingFile, namedFile: "node-key.pem"),
        Damage(
            label: "certificate missing",
            key: .good,
            certificate: .missing,
            code: .missingFile,
            namedFile: "node-cert.pem"
        ),
        Damage(
            label: "key garbage text",
            key: .text("hello\n"),
            certificate: .good,
            code: .malformedFile,
            namedFile: "node-key.pem"
        ),
        Damage(label: "key empty", key: .text(""), certificate: .good, code: .malformedFile, namedFile: "node-key.pem"),
        Damage(
            label: "key PEM with bad base64",
            key: .text("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"),
            certificate: .good,
            code: .malformedFile,
            namedFile: "node-key.pem"
        ),
        Damage(
            label: "key binary",
            key: .bytes([0xFF, 0xFE, 0x00, 0xC3, 0x28]),
            certificate: .good,
            code: .malformedFile,
            namedFile: "node-key.pem"
        ),
        Damage(
            label: "key is a directory",
            key: .directory,
            certificate: .good,
            code: .unreadableFile,
            namedFile: "node-key.pem"
        ),
        Damage(
            label: "key file huge",
            key: .text(String(repeating: "A", count: 70_000)),
            certificate: .good,
            code: .malformedFile,
            namedFile: "node-key.pem"
        ),
        Damage(
            label: "certificate garbage",
            key: .good,
            certificate: .text("garbage"),
            code: .malformedFile,
            namedFile: "node-cert.pem"
        ),
        Damage(
            label: "certificate PEM of garbage DER",
            key: .good,
            certificate: .text("-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n"),
            code: .malformedFile,
            namedFile: "node-cert.pem"
        ),
        Damage(
            label: "certificate file holds a key",
            key: .good,
            certificate: .text("-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n"),
            code: .malformedFile,
            namedFile: "node-cert.pem"
        ),
        Damage(
            label: "key of another node",
            key: .otherNode,
            certificate: .good,
            code: .keyMismatch,
            namedFile: "node-key.pem"
        ),
        Damage(
            label: "certificate of another node",
            key: .good,
            certificate: .otherNode,
            code: .keyMismatch,
            namedFile: "node-cert.pem"
        ),
    ]

    @Test("load names the file and the problem", arguments: damages)
    func loadErrors(damage: Damage) throws {
        try withTemporaryDirectory { directory in
            let identity = try NodeIdentity.generate(name: "damaged")
            let other = try NodeIdentity.generate(name: "other")
            func place(_ contents: Damage.Contents, name: String, good: String, others: String) throws {
                let url = directory.appendingPathComponent(name)
                switch contents {
                case .good: try write(good, to: url)
                case .missing: break
                case .otherNode: try write(others, to: url)
                case .text(let text): try write(text, to: url)
                case .bytes(let bytes): try Data(bytes).write(to: url)
                case .directory: try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
                }
            }
            try place(
                damage.key,
                name: NodeIdentity.keyFileName,
                good: identity.privateKeyPEM,
                others: other.privateKeyPEM
            )
            try place(
                damage.certificate,
                name: NodeIdentity.certificateFileName,
                good: identity.certificatePEM,
                others: other.certificatePEM
            )
            let error = #expect(throws: IdentityError.self) { try NodeIdentity.load(from: directory) }
            #expect(error?.code == damage.code, "\(String(describing: error))")
            #expect(error?.message.contains(damage.namedFile) == true, "\(String(describing: error))")
            #expect(error?.message.contains("\n") == false)
        }
    }

    @Test("load accepts a SEC 1 key, CRLF line ends and a certificate without a final newline")
    func loadAcceptsCommonVariants() throws {
        try withTemporaryDirectory { directory in
            let identity = try NodeIdentity.generate(name: "variants")
            // What `openssl ec` writes: the SEC 1 key that PKCS#8 wraps in its last OCTET STRING.
            let pkcs8 = try DER.parse(PEMDocument(pemString: identity.privateKeyPEM).derBytes)
            guard case .constructed(let children) = pkcs8.content else {
                Issue.record("PKCS#8 is not a SEQUENCE")
                return
            }
            let fields = Array(children)
            try #require(fields.count == 3)
            let sec1 = PEMDocument(
                type: "EC PRIVATE KEY",
                derBytes: try ASN1OctetString(derEncoded: fields[2]).bytes.map { $0 }
            )
            let crlf = sec1.pemString.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
            try write(crlf, to: directory.appendingPathComponent(NodeIdentity.keyFileName))
            try write(
                String(identity.certificatePEM.dropLast()),
                to: directory.appendingPathComponent(NodeIdentity.certificateFileName)
            )
            let loaded = try NodeIdentity.load(from: directory)
            #expect(loaded.nodeID == identity.nodeID)
        }
    }
}
