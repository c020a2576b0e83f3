extension Document {
    /// The name a folder shows for a file whose name is `bytes`, as the file system holds it.
    ///
    /// Names on Linux are bytes, not text. The rule: bytes that are UTF-8 are that text;
    /// otherwise each byte is one Latin-1 (ISO 8859-1) character — the encoding of most
    /// non-UTF-8 names in an office (`caf\u{E9} invoice.pdf` written as `63 61 66 E9 ...` reads
    /// "café invoice.pdf") — except the bytes 0x80–0x9F, control characters in Latin-1, which
    /// read U+FFFD (�). Every byte string gets a name, and no name holds a control character
    /// it did not have.
    public static func fileName(fromBytes bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append((0x80...0x9F).contains(byte) ? "\u{FFFD}" : Unicode.Scalar(byte))
        }
        return String(scalars)
    }
}
