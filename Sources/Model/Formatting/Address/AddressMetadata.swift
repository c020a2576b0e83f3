import Foundation

/// What Google's i18n address metadata says about one country's addresses.
///
/// The values are generated into `AddressMetadata.generated.swift` by
/// `scripts/generate-address-metadata.py`; nothing here reads files at run time.
struct AddressMetadata: Sendable {
    /// A state, province, county: what the template's `%S` stands for.
    struct Region: Sendable {
        /// As the country writes it in an address (`IL`, `ON`, `NSW`, `Co. Dublin`).
        let key: String
        /// Every spelling that names it (the key, the English name, other names).
        let names: [String]
        /// A pattern the region's postal codes start with, when the data gives one.
        let postalCodePrefix: String?
    }

    /// ISO 3166-1 alpha-2.
    let code: String
    /// The English name in capitals, as printed on the last line of international mail.
    let name: String
    /// The layout: `%N` name, `%O` organisation, `%A` street lines, `%D` district, `%C` town,
    /// `%S` region, `%Z` postal code, `%X` sorting code, `%n` new line; anything else is literal.
    let format: String
    /// The fields an address needs (letters of `format`).
    let required: String
    /// The fields written in capitals (letters of `format`).
    let upper: String
    /// The postal code pattern (ICU syntax), to match a whole code.
    let postalCodePattern: String
    /// Where the canonical postal code has its space, counted from the end (`SW1A 1AA`: 3).
    let postalCodeSpaceFromEnd: Int?
    /// Written before the postal code on international mail (`CH-`).
    let postalCodePrefix: String
    /// Prefixes some people type before a postal code and that are not part of it (`D-`).
    let legacyPostalPrefixes: [String]
    /// Names of the country besides its ISO code.
    let aliases: [String]
    let regions: [Region]
}

/// The compiled form of one country's metadata, built once.
struct AddressRules: Sendable {
    let metadata: AddressMetadata
    let template: AddressTemplate
    let casing: AddressCasing
    private let postalCode: NSRegularExpression
    private let regionPostalPrefixes: [NSRegularExpression?]
    private let regionByKey: [String: Int]

    /// The supported countries by ISO code.
    static let byCode: [String: AddressRules] = {
        var rules: [String: AddressRules] = [:]
        for metadata in AddressMetadata.generated {
            if let compiled = AddressRules(metadata) { rules[metadata.code] = compiled }
        }
        return rules
    }()

    /// Country names, aliases and ISO codes, by ``matchKey(_:)``, with whether the spelling is
    /// a name (true) or only a code (false).
    private static let countryByKey: [String: (code: String, isName: Bool)] = {
        var table: [String: (code: String, isName: Bool)] = [:]
        for metadata in AddressMetadata.generated {
            table[matchKey(metadata.code)] = (metadata.code, false)
            for alias in metadata.aliases + [metadata.name] { table[matchKey(alias)] = (metadata.code, true) }
        }
        return table
    }()

    private init?(_ metadata: AddressMetadata) {
        guard let postalCode = try? NSRegularExpression(pattern: "^(?:\(metadata.postalCodePattern))$") else {
            return nil
        }
        var prefixes: [NSRegularExpression?] = []
        var byKey: [String: Int] = [:]
        for (index, region) in metadata.regions.enumerated() {
            prefixes.append(region.postalCodePrefix.flatMap { try? NSRegularExpression(pattern: "^(?:\($0))") })
            for name in region.names { byKey[AddressRules.matchKey(name)] = index }
        }
        self.metadata = metadata
        self.template = AddressTemplate(metadata.format)
        self.casing = AddressCasing(country: metadata.code)
        self.postalCode = postalCode
        self.regionPostalPrefixes = prefixes
        self.regionByKey = byKey
    }

    var requiresPostalCode: Bool { metadata.required.contains("Z") }
    var requiresRegion: Bool { metadata.required.contains("S") }
    /// Whether the template puts the postal code before the town (`10117 Berlin`).
    var postalCodeFirst: Bool { template.isPostalCodeBeforeLocality }

    /// The supported country `text` names (name, alias or ISO code), if any. With
    /// `namesOnly`, bare ISO codes do not count.
    static func country(named text: String, namesOnly: Bool = false) -> AddressRules? {
        guard let entry = countryByKey[matchKey(text)], !namesOnly || entry.isName else { return nil }
        return byCode[entry.code]
    }

    /// The index of the region `text` names, if any.
    func region(named text: String) -> Int? { regionByKey[AddressRules.matchKey(text)] }

    /// Whether `postalCode` (normalised) may belong to the region at `index`.
    func postalCode(_ postalCode: String, fitsRegion index: Int) -> Bool {
        guard index < regionPostalPrefixes.count, let prefix = regionPostalPrefixes[index] else { return true }
        let compact = postalCode.filter { $0 != " " && $0 != "-" }
        return prefix.firstMatch(in: compact, range: NSRange(compact.startIndex..., in: compact)) != nil
    }

    /// The normalised postal code that `tokens` spell together, or `nil` when they are not a
    /// valid code of the country.
    func postalCode(_ tokens: ArraySlice<String>) -> String? {
        guard var first = tokens.first?.uppercased() else { return nil }
        for prefix in metadata.legacyPostalPrefixes + [metadata.postalCodePrefix]
        where !prefix.isEmpty && first.hasPrefix(prefix) && first.count > prefix.count {
            first.removeFirst(prefix.count)
            break
        }
        let typed = ([first] + tokens.dropFirst().map { $0.uppercased() }).joined(separator: " ")
        guard matches(typed) else { return nil }
        let normalised = normalise(typed)
        return matches(normalised) ? normalised : nil
    }

    private func matches(_ text: String) -> Bool {
        postalCode.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private func normalise(_ typed: String) -> String {
        let compact = typed.filter { $0 != " " && $0 != "-" }
        if metadata.code == "US" {
            return compact.count == 9 ? "\(compact.prefix(5))-\(compact.suffix(4))" : compact
        }
        if compact.hasPrefix("BFPO") { return "BFPO " + compact.dropFirst(4) }
        guard let gap = metadata.postalCodeSpaceFromEnd, compact.count > gap else { return compact }
        return "\(compact.dropLast(gap)) \(compact.suffix(gap))"
    }

    /// The form names are compared in: case and accents folded, only letters and digits kept
    /// (`N.S.W.` and `nsw` match, `Éire` and `EIRE` match).
    static func matchKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(
            String.UnicodeScalarView(
                folded.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            )
        )
    }
}
