import Foundation

/// Where an export writes: a file handle, through a buffer of ``capacity`` bytes, so that an
/// export of any size holds one buffer in memory, not the whole file.
public final class ExchangeOutput {
    static let capacity = 1 << 16
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    public init(_ handle: FileHandle) {
        self.handle = handle
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
            throw ExchangeError(.fileUnwritable, "cannot write the export: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
