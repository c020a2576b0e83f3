import Foundation

/// Reads an import file in the JSON form (an array of ``ExchangeCustomer``).
///
/// Guarantees: keys an object lacks read as empty; a customer is reported at the line where
/// its object begins, and so are its contacts. A file that is not such an array throws
/// ``ExchangeError/Code/malformed`` naming the customer's line when it can. The file is read
/// whole (JSON has no rows to stream).
public enum JSONImport {
    public static func read(_ url: URL) throws -> ImportSource {
        var data = Data()
        try ImportFile.forEachChunk(url) { data.append($0) }
        let lines = elementLines(data)
        let customers: [ExchangeCustomer]
        do {
            customers = try JSONDecoder().decode([ExchangeCustomer].self, from: data)
        } catch let error as DecodingError {
            throw ExchangeError(.malformed, "\(url.path) is not JSON of the export's shape: \(describe(error, lines))")
        } catch {
            throw ExchangeError(.malformed, "\(url.path) is not JSON of the export's shape")
        }
        var source = ImportSource()
        for (offset, customer) in customers.enumerated() {
            let line = offset < lines.count ? lines[offset] : 1
            source.items.append(
                ImportItem(
                    customer: customer,
                    lines: [line],
                    contactLines: Array(repeating: line, count: customer.contacts.count)
                )
            )
        }
        return source
    }

    /// The line where each element of the top-level array begins.
    static func elementLines(_ data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectElement = false
        for byte in data {
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            if expectElement && !isSpace && byte != 0x5D {
                lines.append(line)
                expectElement = false
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth == 1 && byte == 0x5B { expectElement = true }
            case 0x5D, 0x7D: depth -= 1
            case 0x2C where depth == 1: expectElement = true
            default: break
            }
        }
        return lines
    }

    private static func describe(_ error: DecodingError, _ lines: [Int]) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "it cannot be decoded"
        }
        var text = context.debugDescription
        if let index = context.codingPath.first?.intValue, index < lines.count {
            let path = context.codingPath.dropFirst().map { $0.intValue.map(String.init) ?? $0.stringValue }
            text = "line \(lines[index]): " + (path.isEmpty ? "" : path.joined(separator: ".") + ": ") + text
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}
