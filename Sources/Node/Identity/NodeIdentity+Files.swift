import Crypto
import Foundation
import SwiftASN1

extension NodeIdentity {
    /// Writes ``keyFileName`` (mode 0600) and ``certificateFileName`` (mode 0644) into `directory`.
    ///
    /// The directory is created (mode 0700) if it does not exist. Each file is written to a
    /// temporary file, flushed, and then given its name, so a crash leaves either no file or a
    /// complete one. Existing files are never replaced: if either file is already there, nothing
    /// is written. If the certificate cannot be written, the key just written is removed again.
    /// - Throws: ``IdentityError`` `.fileExists` or `.writeFailed`, naming the file.
    public func save(in directory: URL) throws {
        let keyURL = directory.appendingPathComponent(Self.keyFileName)
        let certificateURL = directory.appendingPathComponent(Self.certificateFileName)
        do {
            try FileManager.default.createDirectory(
                at: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw IdentityError(
                .writeFailed,
                "cannot create directory \(directory.path): \(FileProblem.reason(error, .write, path: directory.path))"
            )
        }
        for url in [keyURL, certificateURL] where FileManager.default.fileExists(atPath: url.path) {
            throw IdentityError(.fileExists, "\(url.path) already exists; refusing to overwrite it")
        }
        try IdentityFile.createNew(Array(privateKeyPEM.utf8), at: keyURL, mode: 0o600)
        do {
            try IdentityFile.createNew(Array(certificatePEM.utf8), at: certificateURL, mode: 0o644)
        } catch {
            try? FileManager.default.removeItem(at: keyURL)
            throw error
        }
    }

    /// Loads the identity that ``save(in:)`` wrote into `directory`.
    ///
    /// The key may be PKCS#8 (`PRIVATE KEY`) or SEC 1 (`EC PRIVATE KEY`) PEM; the certificate
    /// must be a single `CERTIFICATE` PEM document holding a P-256 key, the public half of the
    /// private key. The node id is the digest of the certificate's DER bytes as stored.
    /// - Throws: ``IdentityError`` naming the file: `.missingFile`, `.unreadableFile`,
    ///   `.malformedFile`, `.unsupportedKey`, or `.keyMismatch` when the two files do not belong
    ///   together.
    public static func load(from directory: URL) throws -> NodeIdentity {
        let keyURL = directory.appendingPathComponent(keyFileName)
        let certificateURL = directory.appendingPathComponent(certificateFileName)
        let keyText = try text(of: keyURL)
        let certificateText = try text(of: certificateURL)

        let privateKey: P256.Signing.PrivateKey
        do {
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: keyText)
        } catch {
            throw IdentityError(.malformedFile, "\(keyURL.path) does not hold a PEM ECDSA P-256 private key")
        }

        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: certificateText)
        } catch {
            throw IdentityError(
                .malformedFile,
                "\(certificateURL.path) is not a single PEM document (\(briefReason(error)))"
            )
        }
        guard document.discriminator == "CERTIFICATE" else {
            throw IdentityError(
                .malformedFile,
                "\(certificateURL.path) holds a '\(document.discriminator)' PEM document, not a CERTIFICATE"
            )
        }
        let certificateKey: P256.Signing.PublicKey
        do {
            certificateKey = try p256PublicKey(ofCertificateDER: document.derBytes, context: certificateURL.path)
        } catch let error as IdentityError where error.code == .badCertificate {
            throw IdentityError(.malformedFile, error.message)
        }
        guard certificateKey.rawRepresentation == privateKey.publicKey.rawRepresentation else {
            throw IdentityError(
                .keyMismatch,
                "\(keyURL.path) is not the key of the certificate in \(certificateURL.path)"
            )
        }
        return NodeIdentity(privateKey: privateKey, certificateDER: document.derBytes)
    }

    private static func text(of url: URL) throws -> String {
        let bytes = try IdentityFile.readAll(url)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw IdentityError(.malformedFile, "\(url.path) is not text; expected a PEM file")
        }
        return text
    }
}
