/// An e-mail address whose syntax has been checked.
///
/// The check is pragmatic, after RFC 5322 and RFC 6531: one `@`; a local part that is a
/// dot-atom (letters, digits and ``!#$%&'*+-/=?^_`{|}~``, dots only between them, non-ASCII
/// letters and digits allowed) of at most 64 bytes; a domain of at least two dot-separated
/// labels of letters (any script, for internationalised domains), digits and hyphens, no label
/// starting or ending with a hyphen or longer than 63 characters, the last label not all digits;
/// at most 254 bytes in all. Refused: quoted local parts (`"john doe"@example.com`), comments,
/// IP-address literals (`john@[192.0.2.1]`).
///
/// Also accepted, and reduced to the bare address: the display form a mail program copies
/// (`John Smith <john@example.com>`; the display name is not kept, it belongs in the contact's
/// name) and a `mailto:` link without parameters.
///
/// Guarantees: ``value`` is the address trimmed of surrounding whitespace, its domain in lower
/// case and its local part exactly as typed (`John.Smith@EXAMPLE.com` →
/// `John.Smith@example.com`; two addresses differing only in the case of the local part are
/// different values, as RFC 5321 allows). The Codable form is ``value`` as a plain string;
/// decoding checks it again.
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The address: trimmed, domain in lower case, local part as typed.
    public let value: String

    /// Checks `text` and keeps the address it holds.
    ///
    /// - Throws: ``ModelError`` with code `.invalidEmail`, whose message quotes the text and says
    ///   what is wrong with it.
    public init(parsing text: String) throws(ModelError) {
        let address = try EmailAddress.address(in: text)
        guard let at = address.firstIndex(of: "@") else { throw EmailAddress.refusal(text, "it has no @") }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !domain.contains("@") else { throw EmailAddress.refusal(text, "it has more than one @") }
        try EmailAddress.checkLocalPart(local, of: text)
        try EmailAddress.checkDomain(domain, of: text)
        let value = String(local) + "@" + domain.lowercased()
        guard value.utf8.count <= 254 else { throw EmailAddress.refusal(text, "it is longer than 254 bytes") }
        self.value = value
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try EmailAddress(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// The bare address in `text`: trimmed, out of `Name <…>` or `mailto:` if it is in one.
    private static func address(in text: String) throws(ModelError) -> Substring {
        var address = trimmed(text[...])
        guard !address.isEmpty else { throw refusal(text, "it is empty") }
        if address.last == ">" {
            guard let open = address.lastIndex(of: "<") else { throw refusal(text, "it has a > without a <") }
            address = trimmed(address[address.index(after: open)..<address.index(before: address.endIndex)])
        }
        if address.lowercased().hasPrefix("mailto:") {
            address = address.dropFirst("mailto:".count)
        }
        guard !address.isEmpty else { throw refusal(text, "it holds no address") }
        return address
    }

    private static func checkLocalPart(_ local: Substring, of text: String) throws(ModelError) {
        guard !local.isEmpty else { throw refusal(text, "there is nothing before the @") }
        guard local.first != "\"" else { throw refusal(text, "quoted names before the @ are not accepted") }
        guard local.utf8.count <= 64 else { throw refusal(text, "the part before the @ is longer than 64 bytes") }
        if let bad = local.first(where: { !isAtomCharacter($0) && $0 != "." }) {
            throw refusal(text, "the part before the @ holds \(shown(bad))")
        }
        guard local.first != ".", local.last != ".", !local.contains("..") else {
            throw refusal(text, "a dot starts or ends the part before the @, or two dots follow each other")
        }
    }

    private static func checkDomain(_ domain: Substring, of text: String) throws(ModelError) {
        guard !domain.isEmpty else { throw refusal(text, "there is nothing after the @") }
        if let bad = domain.first(where: { !isDomainCharacter($0) && $0 != "." }) {
            throw refusal(text, "the domain holds \(shown(bad))")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw refusal(text, "the domain has no dot") }
        for label in labels {
            guard !label.isEmpty else {
                throw refusal(text, "a dot starts or ends the domain, or two dots follow each other")
            }
            guard label.first != "-", label.last != "-" else {
                throw refusal(text, "the domain part '\(label)' starts or ends with a hyphen")
            }
            guard label.count <= 63 else { throw refusal(text, "a domain part is longer than 63 characters") }
        }
        if let last = labels.last, last.allSatisfy(\.isASCII), last.allSatisfy(\.isNumber) {
            throw refusal(text, "the domain ends in a number, not a name")
        }
    }

    /// Characters of a dot-atom besides the dot (RFC 5322 `atext`, and RFC 6531 non-ASCII
    /// letters and digits).
    private static func isAtomCharacter(_ character: Character) -> Bool {
        if character.isASCII {
            return character.isLetter || character.isNumber || "!#$%&'*+-/=?^_`{|}~".contains(character)
        }
        return character.isLetter || character.isNumber
    }

    /// Characters of a domain label: letters of any script, ASCII digits and the hyphen.
    private static func isDomainCharacter(_ character: Character) -> Bool {
        character.isLetter || (character.isASCII && character.isNumber) || character == "-"
    }

    private static func trimmed(_ text: Substring) -> Substring {
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
            let end = text.lastIndex(where: { !$0.isWhitespace })
        else { return text[text.endIndex...] }
        return text[start...end]
    }

    /// A character named for a message: spaces and invisible characters by their code point.
    private static func shown(_ character: Character) -> String {
        if character.isWhitespace { return "a space" }
        guard let scalar = character.unicodeScalars.first, !scalar.properties.isWhitespace,
            scalar.properties.generalCategory != .control, scalar.properties.generalCategory != .format
        else { return "an invisible character" }
        return "'\(character)'"
    }

    private static func refusal(_ text: String, _ why: String) -> ModelError {
        let oneLine = String(text.prefix(80).map { $0.isWhitespace ? " " : $0 })
        let quoted = text.count > 80 ? oneLine + "…" : oneLine
        return ModelError(.invalidEmail, "not an e-mail address: '\(quoted)': \(why)")
    }
}
