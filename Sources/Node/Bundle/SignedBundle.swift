import Replication

/// A signed container for bundle files carried offline: on a USB stick, as an e-mail attachment.
///
/// A bundle holds typed sections of bytes and the certificate of the node that signed it. Reading
/// one checks its whole structure and its signature before anything is returned, so a bundle
/// that is damaged in any way (cut short, a byte changed, bytes appended) is refused, never read
/// with altered contents. Whether the signer is trusted is the caller's decision, made on the
/// returned ``NodeID``.
///
/// The file layout, all integers big-endian:
///
/// | field                | size          | notes                                            |
/// |----------------------|---------------|--------------------------------------------------|
/// | magic                | 8             | ASCII `NXBUNDLE`                                 |
/// | format version       | 2 (u16)       | 1                                                |
/// | certificate length   | 4 (u32)       | at most 16 KiB                                   |
/// | signer certificate   | that length   | X.509 DER, an ECDSA P-256 key                    |
/// | section count        | 4 (u32)       | at most 1,000,000                                |
/// | per section: kind    | 1 (u8)        | meaning defined by the bundle's user             |
/// | per section: length  | 8 (u64)       |                                                  |
/// | per section: bytes   | that length   |                                                  |
/// | signature length     | 2 (u16)       |                                                  |
/// | signature            | that length   | ECDSA P-256, DER, over SHA-256 of all bytes before the signature length |
///
/// The signature must end the file exactly.
///
/// ```swift
/// let file = try SignedBundle(sections: [.init(kind: 1, bytes: changes)]).encode(signedBy: identity)
/// let (bundle, signer) = try SignedBundle.decode(file)
/// ```
public struct SignedBundle: Sendable, Equatable {
    /// One typed run of bytes in a bundle.
    public struct Section: Sendable, Equatable {
        /// What the bytes are; the meaning is up to the bundle's user.
        public var kind: UInt8
        public var bytes: [UInt8]

        public init(kind: UInt8, bytes: [UInt8]) {
            self.kind = kind
            self.bytes = bytes
        }
    }

    /// The DER certificate of the node that signed the bundle; empty in a bundle not yet encoded.
    public var signerCertificateDER: [UInt8]
    public var sections: [Section]

    /// The first eight bytes of every bundle file.
    public static let magic: [UInt8] = Array("NXBUNDLE".utf8)
    /// The format version this code writes and the newest it reads.
    public static let formatVersion: UInt16 = 1
    /// The largest signer certificate accepted, in bytes.
    public static let maximumCertificateLength = 16 * 1024
    /// The most sections a bundle may hold.
    public static let maximumSectionCount = 1_000_000

    /// The smallest size of one section on disk: its kind and its length.
    private static let sectionHeaderLength = 9

    public init(signerCertificateDER: [UInt8] = [], sections: [Section]) {
        self.signerCertificateDER = signerCertificateDER
        self.sections = sections
    }

    /// Writes the bundle in the format above, embedding `identity`'s certificate and signing it.
    ///
    /// ``signerCertificateDER`` may be empty or `identity`'s certificate; it is never anything
    /// else in the output.
    /// - Throws: ``BundleError`` `.malformed` when ``signerCertificateDER`` is another node's
    ///   certificate or a limit is exceeded; ``IdentityError`` if signing fails.
    public func encode(signedBy identity: NodeIdentity) throws -> [UInt8] {
        guard signerCertificateDER.isEmpty || signerCertificateDER == identity.certificateDER else {
            throw BundleError(
                .malformed,
                "the bundle names signer \(NodeID(certificateDER: signerCertificateDER).short) "
                    + "but would be signed by \(identity.nodeID.short)"
            )
        }
        let certificate = identity.certificateDER
        guard certificate.count <= Self.maximumCertificateLength else {
            throw BundleError(
                .malformed,
                "the signer certificate is \(certificate.count) bytes; the limit is \(Self.maximumCertificateLength)"
            )
        }
        guard sections.count <= Self.maximumSectionCount else {
            throw BundleError(
                .malformed,
                "the bundle has \(sections.count) sections; the limit is \(Self.maximumSectionCount)"
            )
        }
        var writer = BundleWriter()
        writer.write(contentsOf: Self.magic)
        writer.write(Self.formatVersion)
        writer.write(UInt32(certificate.count))
        writer.write(contentsOf: certificate)
        writer.write(UInt32(sections.count))
        for section in sections {
            writer.write(section.kind)
            writer.write(UInt64(section.bytes.count))
            writer.write(contentsOf: section.bytes)
        }
        let signature = try identity.sign(writer.bytes)
        writer.write(UInt16(signature.count))
        writer.write(contentsOf: signature)
        return writer.bytes
    }

    /// Reads a bundle file, checking every byte of it.
    ///
    /// Checked, in order: the magic, the format version, each length against the bytes that
    /// remain and against the limits, that the signature ends the file exactly, and that the
    /// signature was made over the contents by the key of the embedded certificate.
    /// - Returns: the bundle (with ``signerCertificateDER`` set) and the signer's node id.
    /// - Throws: ``BundleError``: `.notABundle`, `.unsupportedVersion` (written by a newer
    ///   node), `.truncated`, `.malformed` (a limit exceeded, trailing bytes, an unusable
    ///   certificate) or `.badSignature`.
    public static func decode(_ bytes: [UInt8]) throws -> (bundle: SignedBundle, signer: NodeID) {
        guard bytes.count >= magic.count else {
            if magic.starts(with: bytes) {
                throw BundleError(.truncated, "the file is \(bytes.count) bytes, too short for a bundle")
            }
            throw BundleError(.notABundle, "the file does not start with \"NXBUNDLE\"; it is not a bundle")
        }
        var reader = BundleReader(bytes)
        guard try reader.readBytes(UInt64(magic.count), "magic").elementsEqual(magic) else {
            throw BundleError(.notABundle, "the file does not start with \"NXBUNDLE\"; it is not a bundle")
        }
        let version = try reader.readUInt16("format version")
        guard version != 0 else {
            throw BundleError(.malformed, "the bundle declares format version 0, which does not exist")
        }
        guard version <= formatVersion else {
            throw BundleError(
                .unsupportedVersion,
                "the bundle is in format version \(version), made by a newer node; this node reads version "
                    + "\(formatVersion) — update it to read this bundle"
            )
        }

        let certificateLength = try reader.readUInt32("certificate length")
        guard certificateLength <= maximumCertificateLength else {
            throw BundleError(
                .malformed,
                "the signer certificate is announced as \(certificateLength) bytes; the limit is "
                    + "\(maximumCertificateLength)"
            )
        }
        let certificate = Array(try reader.readBytes(UInt64(certificateLength), "signer certificate"))

        let sectionCount = try reader.readUInt32("section count")
        guard sectionCount <= maximumSectionCount else {
            throw BundleError(
                .malformed,
                "the bundle announces \(sectionCount) sections; the limit is \(maximumSectionCount)"
            )
        }
        guard UInt64(sectionCount) * UInt64(sectionHeaderLength) <= UInt64(reader.remaining) else {
            throw BundleError(
                .truncated,
                "the bundle announces \(sectionCount) sections but only \(reader.remaining) bytes follow"
            )
        }
        var sections: [Section] = []
        sections.reserveCapacity(Int(sectionCount))
        for index in 0..<Int(sectionCount) {
            let kind = try reader.readUInt8("kind of section \(index)")
            let length = try reader.readUInt64("length of section \(index)")
            let body = try reader.readBytes(length, "bytes of section \(index)")
            sections.append(Section(kind: kind, bytes: Array(body)))
        }

        let signedLength = reader.offset
        let signatureLength = try reader.readUInt16("signature length")
        let signature = Array(try reader.readBytes(UInt64(signatureLength), "signature"))
        guard reader.remaining == 0 else {
            throw BundleError(.malformed, "unexpected bytes follow the signature: \(reader.remaining) of them")
        }

        let signer: NodeID
        do {
            signer = try NodeIdentity.verify(
                signature: signature,
                over: bytes[0..<signedLength],
                certificateDER: certificate
            )
        } catch let error as IdentityError where error.code == .badSignature {
            throw BundleError(.badSignature, "the bundle's signature does not verify: \(error.message)")
        } catch let error as IdentityError {
            throw BundleError(.malformed, "the bundle's signer certificate is unusable: \(error.message)")
        }
        return (SignedBundle(signerCertificateDER: certificate, sections: sections), signer)
    }
}
