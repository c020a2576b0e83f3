/// A peer's address: `host:port`, or `[v6-address]:port`.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    /// Parses `host:port`; port 1–65535, or 0 too when `allowAnyPort` (a listener picking a
    /// free port). `nil` for anything else.
    public init?(_ text: String, allowAnyPort: Bool = false) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (allowAnyPort ? 0...65535 : 1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
