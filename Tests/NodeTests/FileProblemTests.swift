import Foundation
import GRDB
import NIOCore
import Replication
import Testing

@testable import Node

/// Internal errors put in words (issue 10, item 8): one mapping for every file the node reads
/// or writes, and for a full disk wherever it is found.
@Suite("File problems in words")
struct FileProblemTests {
    static let fullDisks: [any Error] = [
        CocoaError(.fileWriteOutOfSpace),
        NSError(domain: NSCocoaErrorDomain, code: 640),
        NSError(
            domain: NSCocoaErrorDomain,
            code: 512,
            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))]
        ),
        POSIXError(.ENOSPC),
        POSIXError(.EDQUOT),
        IOError(errnoCode: ENOSPC, reason: "write"),
        BlobError(.io, "cannot write x: No space left on device", posixCode: ENOSPC),
        DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"),
    ]

    @Test("a full disk reads 'the disk is full', from Foundation, POSIX, NIO, the blob store and SQLite")
    func fullDisk() {
        for error in Self.fullDisks {
            #expect(FileProblem.isDiskFull(error), "\(error)")
            #expect(FileProblem.reason(error, .write, path: nil) == "the disk is full", "\(error)")
            let worded = FileProblem.worded(error)
            #expect((worded as? NodeError)?.code == .diskFull, "\(error)")
            #expect(String(describing: worded) == "the disk is full", "\(error)")
        }
        let other = DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE constraint failed")
        #expect(!FileProblem.isDiskFull(other))
        #expect(FileProblem.worded(other) is DatabaseError)
    }

    @Test("a folder where a file belongs, a missing folder, a missing file: found on the path itself")
    func thePathExplains() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fileproblem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cocoa512 = CocoaError(.fileWriteUnknown)
        #expect(FileProblem.sentence(cocoa512, .write, folder.path) == "cannot write \(folder.path): it is a folder")
        let inMissing = folder.appendingPathComponent("missing/out.bundle")
        #expect(
            FileProblem.sentence(cocoa512, .write, inMissing.path)
                == "cannot write \(inMissing.path): the folder \(folder.path)/missing does not exist"
        )
        let missing = folder.appendingPathComponent("nothing.bundle")
        #expect(
            FileProblem.sentence(CocoaError(.fileReadUnknown), .read, missing.path).hasSuffix(": there is no such file")
        )
        #expect(FileProblem.reason(cocoa512, .read, path: folder.path) == "it is a folder")
        let error = FileProblem.error(cocoa512, .write, folder)
        #expect(error.code == .fileUnwritable)
        #expect(!error.message.contains("NSCocoaErrorDomain") && !error.message.contains("512"))
    }

    @Test("without a path, the error's code says it: POSIX errno, Foundation codes, underlying errors")
    func theCodeExplains() {
        let cases: [(any Error, String)] = [
            (POSIXError(.EISDIR), "it is a folder"),
            (POSIXError(.EACCES), "permission denied"),
            (POSIXError(.EROFS), "the disk is read-only"),
            (CocoaError(.fileWriteNoPermission), "permission denied"),
            (CocoaError(.fileReadNoPermission), "permission denied"),
            (CocoaError(.fileWriteVolumeReadOnly), "the disk is read-only"),
            (CocoaError(.fileReadNoSuchFile), "there is no such file"),
            (
                NSError(
                    domain: NSCocoaErrorDomain,
                    code: 512,
                    userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EISDIR))]
                ),
                "it is a folder"
            ),
            (BlobError(.io, "cannot rename a to b: Is a directory", posixCode: EISDIR), "it is a folder"),
        ]
        for (error, words) in cases {
            #expect(FileProblem.reason(error, .write, path: nil) == words, "\(error)")
        }
        #expect(
            FileProblem.reason(POSIXError(.ENOENT), .write, path: "/srv/none/x.csv")
                == "the folder /srv/none does not exist"
        )
    }

    @Test("a port in use or one that needs privileges is named, never errno 98")
    func listening() {
        let inUse = NetworkError.cannotListen(host: "0.0.0.0", port: 7420, errno: EADDRINUSE)
        #expect(inUse.code == .cannotListen)
        #expect(inUse.message.hasPrefix("port 7420 is in use"), "\(inUse.message)")
        let privileged = NetworkError.cannotListen(host: "0.0.0.0", port: 80, errno: EACCES)
        #expect(privileged.message.hasPrefix("port 80 needs privileges"), "\(privileged.message)")
        let elsewhere = NetworkError.cannotListen(host: "10.9.9.9", port: 7420, errno: EADDRNOTAVAIL)
        #expect(elsewhere.message.contains("10.9.9.9 is not an address of this machine"), "\(elsewhere.message)")
        for error in [inUse, privileged, elsewhere] {
            #expect(!error.message.contains("errno"), "\(error.message)")
        }
    }

    @Test("a damaged bundle says so")
    func damagedBundle() {
        #expect(
            BundleError(.badSignature, "x").summary == "the bundle is damaged (signature does not verify)"
        )
        #expect(BundleError(.truncated, "the file ends early").summary == "the bundle is damaged (the file ends early)")
        #expect(BundleError(.notABundle, "not a bundle").summary.hasPrefix("the bundle is refused"))
    }
}
