import Foundation

/// Where an export writes: a file handle, through a buffer of ``capacity`` bytes, so that an
/// export of any size holds one buffer in memory, not the whole file.
public final class ExchangeOutput {
    static let capacity = 1 << 16
    private let handle: FileHandle
    private let path: String?
    private var buffer: [UInt8] = []

    /// `path`: the file the handle writes, named when a write fails (`nil` for stdout).
    public init(_ handle: FileHandle, path: String? = nil) {
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(Self.capacity)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Writes what the buffer holds.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExchangeError(
                .fileUnwritable,
                "cannot write \(path ?? "the export"): \(FileProblem.reason(error, .write, path: path))"
            )
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
