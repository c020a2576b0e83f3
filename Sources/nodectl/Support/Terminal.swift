import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal human output is fitted to.
enum Terminal {
    /// The width tables are fitted to: `$COLUMNS` when it is a positive number, else the
    /// terminal's width when stdout is one, else 100 (room for an id, a time and some text).
    static let width: Int = measured ?? 100

    /// The width long text (notes) is wrapped to: as ``width``, but 80 when stdout is not a
    /// terminal and `$COLUMNS` is not set (the contract's width for piped output).
    static let textWidth: Int = measured ?? 80

    /// `$COLUMNS`, else the terminal's columns; `nil` when neither is known. Never below 20.
    private static let measured: Int? = {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return max(20, columns)
        }
        if isatty(STDOUT_FILENO) == 1 {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return max(20, Int(size.ws_col)) }
        }
        return nil
    }()
}
