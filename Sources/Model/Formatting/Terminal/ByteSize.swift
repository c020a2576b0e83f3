import Foundation

/// A number of bytes as a person reads it: `512 bytes`, `1.5 KB`, `256 KB`, `5.0 MB`, `1.2 GB`.
///
/// Units are binary (1 KB = 1,024 bytes), so that a limit of 256 × 1,024 bytes reads `256 KB`.
/// Below 10 of a unit one decimal is shown, from 10 on none; a value is never shown as more
/// than it is (1,023 bytes is `1023 bytes`, 1,048,575 bytes is `1023 KB`, not `1.0 MB`).
public enum ByteSize {
    public static func text(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        var unit = 0
        let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let shown =
            value < 10
            ? String(format: "%.1f", (value * 10).rounded(.down) / 10)
            : String(Int(value.rounded(.down)))
        return "\(shown) \(units[unit])"
    }
}
