import Foundation

/// Opening an import file, with one clear line when it cannot be read.
enum ImportFile {
    /// The file's handle; ``ExchangeError/Code/fileUnreadable`` for a missing file or a folder.
    static func open(_ url: URL) throws -> FileHandle {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ExchangeError(.fileUnreadable, "cannot read \(url.path): there is no such file")
        }
        guard !isFolder.boolValue else {
            throw ExchangeError(.fileUnreadable, "cannot read \(url.path): it is a folder")
        }
        do {
            return try FileHandle(forReadingFrom: url)
        } catch {
            throw ExchangeError(.fileUnreadable, FileProblem.sentence(error, .read, url.path))
        }
    }

    /// Calls `body` with the file's bytes in chunks, a UTF-8 byte-order mark left out.
    static func forEachChunk(_ url: URL, _ body: (Data) throws -> Void) throws {
        let handle = try open(url)
        defer { try? handle.close() }
        var first = true
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw ExchangeError(.fileUnreadable, FileProblem.sentence(error, .read, url.path))
            }
            if chunk.isEmpty { return }
            if first, chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
                try body(chunk.dropFirst(3))
            } else {
                try body(chunk)
            }
            first = false
        }
    }
}
