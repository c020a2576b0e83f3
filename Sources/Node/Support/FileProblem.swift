import Foundation
import GRDB
import NIOCore
import Replication

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed read or write of a file — or of the replica, which is a file too — put in words
/// for a person.
///
/// The rule, for every file the node reads or writes for a user (an `--output`, a bundle, a
/// backup, a document, an import): one line that names the file and the cause, such as
/// "cannot write /tmp: it is a folder", never `NSCocoaErrorDomain error 512` or `errno: 28`.
/// The cause is found in this order:
/// 1. a full disk, from any layer — POSIX `ENOSPC` or `EDQUOT`, Foundation's
///    `CocoaError.fileWriteOutOfSpace` (640), SQLite's `SQLITE_FULL` — is always
///    "the disk is full";
/// 2. the path itself, looked at after the failure: a folder where a file belongs, a file that
///    is not there, a folder that does not exist or may not be written;
/// 3. the error's own code: a POSIX `errno` (from `POSIXError`, the `NSPOSIXErrorDomain`, NIO's
///    `IOError` or ``BlobError/posixCode``, also as a Foundation error's underlying error) or a
///    Foundation `CocoaError` code;
/// 4. else the system's own sentence, on one line.
///
/// ```swift
/// do { try data.write(to: output, options: .atomic) } catch {
///     throw FileProblem.error(error, .write, output)  // "cannot write /tmp: it is a folder"
/// }
/// ```
public enum FileProblem {
    /// What was being done to the file.
    public enum Access: Sendable {
        case read
        case write

        var verb: String {
            switch self {
            case .read: "read"
            case .write: "write"
            }
        }
    }

    /// The words for a full disk, wherever it was found.
    public static let diskFullWords = "the disk is full"

    /// The ``NodeError`` for a failed read or write of `url`: `.diskFull` for a full disk, else
    /// `.fileUnreadable` or `.fileUnwritable`; its message is ``sentence(_:_:_:)``.
    public static func error(_ error: any Error, _ access: Access, _ url: URL) -> NodeError {
        let message = sentence(error, access, url.path)
        if isDiskFull(error) { return NodeError(.diskFull, message) }
        return NodeError(access == .read ? .fileUnreadable : .fileUnwritable, message)
    }

    /// "cannot write PATH: REASON" (or "cannot read ...").
    public static func sentence(_ error: any Error, _ access: Access, _ path: String) -> String {
        "cannot \(access.verb) \(path): \(reason(error, access, path: path))"
    }

    /// The cause of the failure in a few words ("it is a folder", "the disk is full"), found in
    /// the order the type's documentation gives; `path` is looked at when given.
    public static func reason(_ error: any Error, _ access: Access, path: String?) -> String {
        if isDiskFull(error) { return diskFullWords }
        if let path, let found = inspect(path, access) { return found }
        if let code = posixCode(of: error), let words = words(posix: code, access, path: path) { return words }
        if let code = cocoaCode(of: error), let words = words(cocoa: code, access, path: path) { return words }
        return fallback(error)
    }

    /// Whether `error`, from any layer, says that the disk is full.
    public static func isDiskFull(_ error: any Error) -> Bool {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL { return true }
        if let error = error as? NodeError, error.code == .diskFull { return true }
        if let code = posixCode(of: error), code == ENOSPC || code == EDQUOT { return true }
        return cocoaCode(of: error) == CocoaError.fileWriteOutOfSpace.rawValue
    }

    /// The error as a person should read it where no file is named (a sync, the replica): a
    /// full disk becomes ``NodeError`` `.diskFull` saying "the disk is full"; any other error
    /// is returned as it is.
    public static func worded(_ error: any Error) -> any Error {
        guard isDiskFull(error) else { return error }
        if let error = error as? NodeError { return error }
        return NodeError(.diskFull, diskFullWords)
    }

    // MARK: - Finding the cause

    /// What the path shows after the failure, if it explains it.
    static func inspect(_ path: String, _ access: Access) -> String? {
        let manager = FileManager.default
        var folder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &folder) {
            if folder.boolValue { return "it is a folder" }
            if access == .read, !manager.isReadableFile(atPath: path) { return "permission denied" }
            return nil
        }
        if access == .read { return "there is no such file" }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard manager.fileExists(atPath: parent, isDirectory: &folder) else {
            return "the folder \(parent) does not exist"
        }
        guard folder.boolValue else { return "\(parent) is not a folder" }
        guard manager.isWritableFile(atPath: parent) else { return "permission denied" }
        return nil
    }

    /// The POSIX `errno` the error carries, directly or as its underlying error.
    static func posixCode(of error: any Error) -> Int32? {
        switch error {
        case let error as POSIXError: return error.code.rawValue
        case let error as BlobError: return error.posixCode
        case let error as IOError: return error.errnoCode
        case is NodeError, is DatabaseError: return nil
        default: break
        }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: bridged.code) }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? any Error { return posixCode(of: underlying) }
        return nil
    }

    /// The Foundation `CocoaError` code of the error, if it is one.
    static func cocoaCode(of error: any Error) -> Int? {
        if let error = error as? CocoaError { return error.code.rawValue }
        switch error {
        case is NodeError, is DatabaseError, is BlobError, is POSIXError, is IOError: return nil
        default: break
        }
        let bridged = error as NSError
        return bridged.domain == NSCocoaErrorDomain ? bridged.code : nil
    }

    static func words(posix code: Int32, _ access: Access, path: String?) -> String? {
        switch code {
        case EISDIR: return "it is a folder"
        case ENOTDIR: return "a part of the path is not a folder"
        case ENOENT:
            guard access == .write, let path else { return "there is no such file" }
            return "the folder \(URL(fileURLWithPath: path).deletingLastPathComponent().path) does not exist"
        case EACCES, EPERM: return "permission denied"
        case ENOSPC, EDQUOT: return diskFullWords
        case EROFS: return "the disk is read-only"
        case ENAMETOOLONG: return "the name is too long"
        case EEXIST: return "it already exists"
        case EMFILE, ENFILE: return "too many files are open"
        case EIO: return "the disk reported an input/output error"
        default: return nil
        }
    }

    static func words(cocoa code: Int, _ access: Access, path: String?) -> String? {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return words(posix: ENOENT, access, path: path)
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return diskFullWords
        case .fileWriteVolumeReadOnly: return "the disk is read-only"
        case .fileWriteFileExists: return "it already exists"
        case .fileReadInvalidFileName, .fileWriteInvalidFileName: return "the name is not a valid file name"
        case .fileReadTooLarge: return "it is too large"
        case .fileReadCorruptFile: return "it is damaged"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding:
            return "it is not text in the expected encoding"
        default: return nil
        }
    }

    /// The system's own sentence, on one line, without Foundation's domain-and-number dump.
    static func fallback(_ error: any Error) -> String {
        switch error {
        case let error as NodeError: return error.message
        case let error as BlobError: return error.message
        case let error as ReplicationError: return error.message
        default: break
        }
        if let code = posixCode(of: error) { return String(cString: strerror(code)).lowercased() }
        let text = (error as NSError).localizedDescription
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
