import ArgumentParser
import Foundation
import Model
import Node
import Replication

/// Long text for an option (`--notes`, `--reason`, ...) or a `FIELD=VALUE` edit, given on the
/// command line, read from standard input, or read from a file.
///
/// The one rule for every such option `--NAME`:
/// - `--NAME TEXT` is the text;
/// - `--NAME -` reads standard input to its end (the text exactly as read: a trailing line
///   break is kept);
/// - `--NAME-file FILE` reads the file (`-` for standard input);
/// - in a `FIELD=VALUE` edit, `FIELD=-` reads standard input and `FIELD-file=FILE` a file.
///
/// Guarantees: the text is UTF-8 and at most ``limit`` bytes (a field's limit in the engine),
/// else one ``UsageError`` names the limit, before anything is written; standard input is read
/// by at most one option of a command.
struct LongTextInput {
    /// The most UTF-8 bytes of one text: what one field of the folder holds.
    static let limit = FieldRule.maximumValueBytes

    /// The option that read standard input, if one did.
    private var standardInputReader: String?

    /// The text of `--option` (given as `value`) or `--option-file` (given as `file`); `nil`
    /// when neither was given.
    mutating func text(_ value: String?, file: String?, option: String) throws -> String? {
        switch (value, file) {
        case (nil, nil): return nil
        case (.some, .some): throw UsageError("give --\(option) or --\(option)-file, not both")
        case (let value?, nil):
            return value == "-" ? try standardInput(for: "--\(option) -") : try checked(value, "--\(option)")
        case (nil, let file?):
            return file == "-"
                ? try standardInput(for: "--\(option)-file -") : try contents(of: file, "--\(option)-file \(file)")
        }
    }

    /// The value of a `FIELD=VALUE` edit: standard input for `-`, else the value as given.
    mutating func editValue(_ value: String, field: String) throws -> String {
        value == "-" ? try standardInput(for: "\(field)=-") : try checked(value, field)
    }

    /// The contents of `FILE` in a `FIELD-file=FILE` edit.
    mutating func editFile(_ file: String, field: String) throws -> String {
        file == "-" ? try standardInput(for: "\(field)-file=-") : try contents(of: file, "\(field)-file=\(file)")
    }

    /// Copies all of standard input, of any length, into `file` (a document given as `-`).
    mutating func copyStandardInput(to file: URL, for what: String) throws {
        try claimStandardInput(for: what)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw UsageError("cannot write \(file.path) for \(what)")
        }
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
    }

    private mutating func claimStandardInput(for what: String) throws {
        if let standardInputReader {
            throw UsageError("standard input can be read once: \(standardInputReader) and \(what) both ask for it")
        }
        standardInputReader = what
        if isatty(STDIN_FILENO) == 1 {
            Output.diagnostic("nodectl: reading \(what) from standard input; end it with Ctrl-D")
        }
    }

    private mutating func standardInput(for what: String) throws -> String {
        try claimStandardInput(for: what)
        var data = Data()
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty {
            data += chunk
            if data.count > Self.limit {
                throw UsageError(
                    "\(what): standard input is over \(ByteSize.text(Int64(Self.limit))), the most one text holds \(Self.hint)"
                )
            }
        }
        return try decoded(data, what)
    }

    private func contents(of path: String, _ what: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw UsageError("cannot read \(what): no such file")
        }
        guard !isFolder.boolValue else { throw UsageError("cannot read \(what): it is a folder") }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? 0
        guard size <= Self.limit else { throw Self.tooLong(what, Int(size)) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UsageError("cannot read \(what): \(FileProblem.reason(error, .read, path: url.path))")
        }
        guard data.count <= Self.limit else { throw Self.tooLong(what, data.count) }
        return try decoded(data, what)
    }

    private func decoded(_ data: Data, _ what: String) throws -> String {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw UsageError("\(what): the text is not UTF-8")
        }
        return text
    }

    private func checked(_ text: String, _ what: String) throws -> String {
        guard text.utf8.count <= Self.limit else { throw Self.tooLong(what, text.utf8.count) }
        return text
    }

    private static let hint =
        "(file a longer text as a document: nodectl document add CUSTOMER_ID FILE, - for standard input)"

    private static func tooLong(_ what: String, _ bytes: Int) -> UsageError {
        UsageError(
            "\(what): the text is \(ByteSize.text(Int64(bytes))); one text holds at most \(ByteSize.text(Int64(limit))) \(hint)"
        )
    }
}

/// Refuses text that is empty or only white space, naming the option: notes, authors and
/// reasons must say something.
func requireText(_ text: String, _ option: String, hint: String? = nil) throws {
    guard text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
    throw UsageError("\(option) is empty" + (hint.map { " (\($0))" } ?? ""))
}

/// A usage error (exit 2, as ArgumentParser's own for a missing option) unless `--option` or
/// `--option-file` was given.
func requireOption(_ value: String?, _ file: String?, _ option: String) throws {
    guard value == nil, file == nil else { return }
    throw ValidationError("Missing expected argument '--\(option) <\(option)>' (or --\(option)-file FILE)")
}
