import Foundation

/// Several elements in one CSV cell: categories, a contact's phones or e-mails.
///
/// Elements are separated by `;`. Inside an element a `;` is written `\;` and a backslash
/// `\\`, so that splitting is unambiguous: `mobile: 555 1234;fax: 555\;99` holds two phones,
/// `mobile: 555 1234` and `fax: 555;99`. Reading is lenient where nothing is ambiguous: a
/// backslash before any other character stays as it is (`C:\x` reads as `C:\x`). Elements are
/// trimmed of white space and empty ones are dropped.
///
/// ```swift
/// ListField.join(["a;b", "c"])        // "a\\;b;c"
/// ListField.split("a\\;b; c;")        // ["a;b", "c"]
/// ```
public enum ListField {
    /// The elements written as one cell; `split(join(x)) == x` for trimmed, non-empty elements.
    public static func join(_ elements: [String]) -> String {
        elements.map(escape).joined(separator: ";")
    }

    /// The elements of a cell.
    public static func split(_ cell: String) -> [String] {
        var elements: [String] = []
        var current = ""
        var iterator = cell.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\\":
                guard let next = iterator.next() else {
                    current.unicodeScalars.append(scalar)
                    break
                }
                if next != ";" && next != "\\" { current.unicodeScalars.append(scalar) }
                current.unicodeScalars.append(next)
            case ";":
                elements.append(current)
                current = ""
            default:
                current.unicodeScalars.append(scalar)
            }
        }
        elements.append(current)
        return elements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func escape(_ element: String) -> String {
        var out = ""
        for scalar in element.unicodeScalars {
            if scalar == "\\" || scalar == ";" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
