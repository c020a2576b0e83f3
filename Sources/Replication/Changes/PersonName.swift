/// Who wrote a change: the name of a person (`nodectl --as`, `$NEXTSOFT_USER`, else the node's
/// name), recorded on the change beside its origin and carried with it to every node.
///
/// A person's name is one line of at most ``maxBytes`` bytes of UTF-8, without control
/// characters, not empty. It is what the writer says, not a proven identity: a node's writes are
/// tied to the node (by its certificate), a person only to the node's word.
public enum PersonName {
    /// The most UTF-8 bytes of a person's name.
    public static let maxBytes = 200

    /// Why `text` cannot be a person's name as it stands, or `nil` when it can.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "is empty" }
        if text.utf8.count > maxBytes { return "is \(text.utf8.count) bytes; at most \(maxBytes) fit" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains a control character"
        }
        if text.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "contains a line separator"
        }
        if text != text.trimmingSpaces { return "begins or ends with white space" }
        return nil
    }

    /// The person's name as given (white space at either end trimmed), or
    /// ``ReplicationError/Code/invalidValue`` naming the problem.
    public static func validated(_ text: String) throws -> String {
        let trimmed = text.trimmingSpaces
        if let problem = problem(trimmed) {
            throw ReplicationError(.invalidValue, "the person's name \(problem)")
        }
        return trimmed
    }
}

extension PersonName {
    /// The person a node's name stands for when no one is named (`--as`, `$NEXTSOFT_USER`):
    /// the name itself, without control characters and cut to ``maxBytes`` (a node's name may
    /// be up to 255 bytes); `"node"` when nothing is left.
    public static func standingFor(node name: String) -> String {
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in name.unicodeScalars where scalar.properties.generalCategory != .control {
            if scalar == "\u{2028}" || scalar == "\u{2029}" { continue }
            bytes += String(scalar).utf8.count
            guard bytes <= maxBytes else { break }
            kept.append(scalar)
        }
        let text = String(kept).trimmingSpaces
        return text.isEmpty ? "node" : text
    }
}

extension String {
    /// The text without white space (spaces, tabs, line breaks) at either end.
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
