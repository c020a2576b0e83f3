import Foundation
import Node
import Replication
import TestSupport
import Testing

/// A small seeded generator (SplitMix64), so that a failing random case can be replayed.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

private func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
    (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// Writes the documented layout by hand, independently of the library's encoder.
private func handMadeBundle(
    version: UInt16 = 1,
    certificate: [UInt8],
    sections: [SignedBundle.Section],
    signedBy signer: NodeIdentity
) throws -> [UInt8] {
    var bytes = Array("NXBUNDLE".utf8) + bigEndian(UInt64(version), width: 2)
    bytes += bigEndian(UInt64(certificate.count), width: 4) + certificate
    bytes += bigEndian(UInt64(sections.count), width: 4)
    for section in sections {
        bytes += [section.kind] + bigEndian(UInt64(section.bytes.count), width: 8) + section.bytes
    }
    let signature = try signer.sign(bytes)
    return bytes + bigEndian(UInt64(signature.count), width: 2) + signature
}

/// The sections of the small bundle that the damage tests take apart.
private let smallSections: [SignedBundle.Section] = [
    .init(kind: 1, bytes: Array("Kunde: Müller GmbH".utf8)),
    .init(kind: 0, bytes: []),
    .init(kind: 255, bytes: [0x00, 0xFF, 0x7F, 0x80]),
]

/// What a decoder may say about a byte changed at some place of a valid bundle.
private func allowedCodes(at position: Int, certificateLength: Int, sections: [SignedBundle.Section]) -> [BundleError
    .Code]
{
    let lengthDamage: [BundleError.Code] = [.truncated, .malformed]
    var start = 0
    func within(_ count: Int) -> Bool {
        defer { start += count }
        return position >= start && position < start + count
    }
    if within(8) { return [.notABundle] }
    if within(2) { return [.unsupportedVersion, .malformed] }
    if within(4) { return lengthDamage }
    if within(certificateLength) { return [.badSignature, .malformed] }
    if within(4) { return lengthDamage }
    for section in sections {
        if within(1) { return [.badSignature] }
        if within(8) { return lengthDamage }
        if within(section.bytes.count) { return [.badSignature] }
    }
    if within(2) { return lengthDamage }
    return [.badSignature]
}

@Suite("Signed bundle", .offThePool)
struct SignedBundleTests {
    @Test(
        "bundles round-trip with their signer",
        arguments: [
            [],
            [SignedBundle.Section(kind: 0, bytes: [])],
            smallSections,
            [SignedBundle.Section(kind: 7, bytes: (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) })],
            (0..<300).map {
                SignedBundle.Section(kind: UInt8($0 % 256), bytes: Array(repeating: UInt8($0 % 256), count: $0))
            },
        ]
    )
    func roundTrip(sections: [SignedBundle.Section]) throws {
        let identity = try NodeIdentity.generate(name: "bundler")
        let file = try SignedBundle(sections: sections).encode(signedBy: identity)
        let (bundle, signer) = try SignedBundle.decode(file)
        #expect(signer == identity.nodeID)
        #expect(bundle.signerCertificateDER == identity.certificateDER)
        #expect(bundle.sections == sections)

        // Naming the signer's own certificate is the same as leaving it empty.
        let named = SignedBundle(signerCertificateDER: identity.certificateDER, sections: sections)
        #expect(try SignedBundle.decode(named.encode(signedBy: identity)).bundle == bundle)
    }

    @Test("the encoder writes the documented layout")
    func layout() throws {
        let identity = try NodeIdentity.generate(name: "layout")
        let file = try SignedBundle(sections: smallSections).encode(signedBy: identity)
        let certificateLength = identity.certificateDER.count
        #expect(Array(file.prefix(8)) == Array("NXBUNDLE".utf8))
        #expect(Array(file[8..<10]) == [0, 1])
        #expect(Array(file[10..<14]) == bigEndian(UInt64(certificateLength), width: 4))
        #expect(Array(file[14..<(14 + certificateLength)]) == identity.certificateDER)
        let countStart = 14 + certificateLength
        #expect(Array(file[countStart..<(countStart + 4)]) == [0, 0, 0, 3])
        #expect(file[countStart + 4] == 1)
        #expect(
            Array(file[(countStart + 5)..<(countStart + 13)])
                == bigEndian(UInt64(smallSections[0].bytes.count), width: 8)
        )

        // The signature covers every byte before its length and ends the file.
        let signedLength = countStart + 4 + smallSections.reduce(0) { $0 + 9 + $1.bytes.count }
        let signatureLength = Int(file[signedLength]) << 8 | Int(file[signedLength + 1])
        #expect(file.count == signedLength + 2 + signatureLength)
        let signer = try NodeIdentity.verify(
            signature: Array(file[(signedLength + 2)...]),
            over: file[0..<signedLength],
            certificateDER: identity.certificateDER
        )
        #expect(signer == identity.nodeID)

        // The same layout written by hand decodes to the same bundle and signer.
        let manual = try handMadeBundle(
            certificate: identity.certificateDER,
            sections: smallSections,
            signedBy: identity
        )
        #expect(try SignedBundle.decode(manual).signer == identity.nodeID)
        #expect(try SignedBundle.decode(manual).bundle.sections == smallSections)
    }

    @Test("every truncation is refused as truncated")
    func everyTruncation() throws {
        let identity = try NodeIdentity.generate(name: "cut")
        let file = try SignedBundle(sections: smallSections).encode(signedBy: identity)
        for length in 0..<file.count {
            let error = #expect(throws: BundleError.self, "prefix of \(length) bytes") {
                try SignedBundle.decode(Array(file.prefix(length)))
            }
            #expect(error?.code == .truncated, "prefix of \(length) bytes: \(String(describing: error))")
        }
    }

    @Test(
        "a changed byte anywhere is refused, for the reason its place allows",
        arguments: [0x01, 0x80, 0xFF] as [UInt8]
    )
    func everyFlippedByte(mask: UInt8) throws {
        let identity = try NodeIdentity.generate(name: "flip")
        let file = try SignedBundle(sections: smallSections).encode(signedBy: identity)
        for position in file.indices {
            var damaged = file
            damaged[position] ^= mask
            let error = #expect(throws: BundleError.self, "byte \(position) ^ \(mask)") {
                try SignedBundle.decode(damaged)
            }
            let allowed = allowedCodes(
                at: position,
                certificateLength: identity.certificateDER.count,
                sections: smallSections
            )
            #expect(
                error.map { allowed.contains($0.code) } == true,
                "byte \(position) ^ \(mask): \(String(describing: error)), allowed \(allowed)"
            )
        }
    }

    @Test(
        "bytes after the signature are refused",
        arguments: [[0x00], [0x0A], Array(repeating: 0x41, count: 100)] as [[UInt8]]
    )
    func trailingGarbage(tail: [UInt8]) throws {
        let identity = try NodeIdentity.generate(name: "tail")
        let file = try SignedBundle(sections: smallSections).encode(signedBy: identity)
        let error = #expect(throws: BundleError.self) { try SignedBundle.decode(file + tail) }
        #expect(error?.code == .malformed)
    }

    @Test("a bundle signed by A with B's certificate inside is refused")
    func substitutedSigner() throws {
        let alice = try NodeIdentity.generate(name: "alice")
        let bob = try NodeIdentity.generate(name: "bob")
        let forged = try handMadeBundle(certificate: bob.certificateDER, sections: smallSections, signedBy: alice)
        let error = #expect(throws: BundleError.self) { try SignedBundle.decode(forged) }
        #expect(error?.code == .badSignature)

        // The library refuses to write such a bundle in the first place.
        let claimed = SignedBundle(signerCertificateDER: bob.certificateDER, sections: smallSections)
        let refused = #expect(throws: BundleError.self) { try claimed.encode(signedBy: alice) }
        #expect(refused?.code == .malformed)
    }

    @Test("other files, newer versions and broken limits get their own errors")
    func headerAndLimits() throws {
        let identity = try NodeIdentity.generate(name: "limits")
        let certificate = identity.certificateDER
        let header = Array("NXBUNDLE".utf8)
        let cases: [(label: String, bytes: [UInt8], code: BundleError.Code)] = [
            ("PNG file", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], .notABundle),
            ("ZIP file", Array("PK\u{3}\u{4}whatever-else".utf8), .notABundle),
            ("short text", Array("hi\n".utf8), .notABundle),
            ("lower-case magic", Array("nxbundle".utf8) + [0, 1], .notABundle),
            ("empty file", [], .truncated),
            ("magic alone", header, .truncated),
            ("version 0", header + [0, 0], .malformed),
            (
                "version 2",
                try handMadeBundle(version: 2, certificate: certificate, sections: [], signedBy: identity),
                .unsupportedVersion
            ),
            ("version 65535", header + [0xFF, 0xFF], .unsupportedVersion),
            ("certificate over 16 KiB", header + [0, 1] + bigEndian(16 * 1024 + 1, width: 4), .malformed),
            ("certificate of 4 GiB", header + [0, 1] + [0xFF, 0xFF, 0xFF, 0xFF], .malformed),
            ("certificate longer than the file", header + [0, 1] + bigEndian(100, width: 4) + [1, 2, 3], .truncated),
            (
                "too many sections",
                header + [0, 1] + bigEndian(UInt64(certificate.count), width: 4) + certificate
                    + bigEndian(1_000_001, width: 4),
                .malformed
            ),
            (
                "a million sections in a few bytes",
                header + [0, 1] + bigEndian(UInt64(certificate.count), width: 4) + certificate
                    + bigEndian(1_000_000, width: 4) + Array(repeating: 0, count: 50),
                .truncated
            ),
            (
                "section of 2^64-1 bytes",
                header + [0, 1] + bigEndian(UInt64(certificate.count), width: 4) + certificate
                    + bigEndian(1, width: 4) + [9] + Array(repeating: 0xFF, count: 8) + Array(repeating: 0, count: 20),
                .truncated
            ),
            (
                "no signature",
                header + [0, 1] + bigEndian(UInt64(certificate.count), width: 4) + certificate
                    + bigEndian(0, width: 4) + [0, 0],
                .badSignature
            ),
            (
                "garbage certificate",
                try handMadeBundle(certificate: Array("not a certificate".utf8), sections: [], signedBy: identity),
                .malformed
            ),
            (
                "empty certificate",
                try handMadeBundle(certificate: [], sections: smallSections, signedBy: identity),
                .malformed
            ),
        ]
        for entry in cases {
            let error = #expect(throws: BundleError.self, "\(entry.label)") { try SignedBundle.decode(entry.bytes) }
            #expect(error?.code == entry.code, "\(entry.label): \(String(describing: error))")
            #expect(error?.message.isEmpty == false)
            #expect(error?.message.contains("\n") == false)
        }
    }

    @Test("a newer format version says so")
    func newerVersionMessage() throws {
        let identity = try NodeIdentity.generate(name: "future")
        let file = try handMadeBundle(
            version: 3,
            certificate: identity.certificateDER,
            sections: [],
            signedBy: identity
        )
        let error = #expect(throws: BundleError.self) { try SignedBundle.decode(file) }
        #expect(error?.message.contains("version 3") == true)
        #expect(error?.message.contains("newer") == true)
    }

    @Test("random garbage and random damage never crash and are never accepted", arguments: [1, 2, 3] as [UInt64])
    func randomInput(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let identity = try NodeIdentity.generate(name: "fuzz")
        let valid = try SignedBundle(sections: smallSections).encode(signedBy: identity)
        let header = Array("NXBUNDLE".utf8) + [0, 1]
        for round in 0..<700 {
            var input: [UInt8]
            switch round % 3 {
            case 0:
                // Pure noise.
                input = (0..<Int.random(in: 0...600, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                // Noise behind a valid header, to get past the magic and the version.
                input =
                    header
                    + (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random)
                    }
            default:
                // A valid bundle with a few bytes changed, inserted or removed.
                input = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let position = Int.random(in: 0..<input.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: input[position] ^= UInt8.random(in: 1...255, using: &random)
                    case 1: input.insert(UInt8.random(in: 0...255, using: &random), at: position)
                    default: input.remove(at: position)
                    }
                }
                if input == valid { continue }
            }
            #expect(throws: BundleError.self, "seed \(seed) round \(round)") { try SignedBundle.decode(input) }
        }
    }
}
