/// How the words of one country's addresses are written: `123 main st` → `123 Main St`.
///
/// Guarantees: only letter case changes, except that dotted capital abbreviations lose their
/// dots (`p.o.` → `PO`). Words typed in irregular mixed case (`McDonald`, `DeKalb`) are kept;
/// words typed all in capitals are kept (`IBM`) unless the whole line is in capitals or the
/// word is a street or unit word (`ST`, `APT`).
struct AddressCasing: Sendable {
    /// Written lower case inside a line, after another word (`of`, `de`, `van`, `am`).
    private let particles: Set<String>
    /// Written lower case inside a hyphenated name (`Stratford-upon-Avon`, `Aix-en-Provence`).
    private let hyphenParticles: Set<String>
    /// Written in capitals (`PO`, `NW`).
    private let capitals: Set<String>
    /// Written lower case right after a house number (French `12 rue de la Paix`).
    private let lowerAfterNumber: Set<String>
    /// English name rules: `Mc`, `Mac`, `O'`, and capital letters in house numbers (`4B`).
    private let english: Bool
    /// Dutch `IJ` at the start of a word.
    private let dutch: Bool

    init(country: String) {
        let englishCountries: Set<String> = ["US", "CA", "GB", "IE", "AU", "NZ"]
        let french: Set<String> = ["FR", "BE", "CH", "CA"]
        let german: Set<String> = ["DE", "AT", "CH"]
        let dutch: Set<String> = ["NL", "BE"]
        var particles: Set<String> = []
        var hyphen: Set<String> = []
        if englishCountries.contains(country) {
            particles.formUnion(["of", "the", "and", "upon"])
            hyphen.formUnion(["on", "upon", "in", "by", "under", "super", "the", "le", "en", "cum", "of"])
        }
        if french.contains(country) {
            particles.formUnion(["de", "du", "des", "la", "le", "les", "à", "au", "aux", "en", "sur", "sous", "et"])
            hyphen.formUnion(["de", "du", "des", "la", "le", "les", "en", "sur", "sous", "lès", "lez", "et", "à"])
        }
        if german.contains(country) {
            particles.formUnion([
                "am", "an", "auf", "bei", "dem", "den", "der", "des", "die", "das", "im", "in", "ob", "und",
                "vom", "von", "vor", "zu", "zum", "zur",
            ])
            hyphen.formUnion(["am", "an", "im", "in", "ob", "bei", "der", "den", "zu"])
        }
        if dutch.contains(country) {
            particles.formUnion([
                "van", "de", "der", "den", "het", "'s", "'t", "aan", "op", "bij", "in", "en", "te", "ten", "ter",
            ])
            hyphen.formUnion(["aan", "op", "bij", "en", "de", "den", "der"])
        }
        self.particles = particles
        self.hyphenParticles = hyphen
        self.english = englishCountries.contains(country)
        self.dutch = dutch.contains(country)
        var capitals: Set<String> = ["po", "bfpo", "gpo", "pmb", "apo", "fpo", "dpo", "rr"]
        if english { capitals.formUnion(["n", "s", "e", "w", "ne", "nw", "se", "sw", "ii", "iii", "iv"]) }
        if country == "FR" { capitals.formUnion(["bp", "cs", "zi", "za", "zac"]) }
        self.capitals = capitals
        self.lowerAfterNumber =
            french.contains(country) && country != "CA"
            ? [
                "rue", "avenue", "av", "boulevard", "bd", "allée", "allee", "place", "impasse", "chemin", "quai",
                "route", "rte", "cours", "square", "passage", "chaussée", "faubourg", "esplanade", "bis", "ter",
                "quater",
            ] : []
    }

    /// The words of one line, joined by single spaces, in the country's case.
    func line(_ words: [String]) -> String {
        let letters = words.joined().filter { $0.isUppercase || $0.isLowercase }
        let shouting = letters.count >= 4 && letters.allSatisfy(\.isUppercase)
        var output: [String] = []
        output.reserveCapacity(words.count)
        for (index, word) in words.enumerated() {
            let previous = index > 0 ? words[index - 1] : nil
            output.append(self.word(word, previous: previous, shouting: shouting))
        }
        return output.joined(separator: " ")
    }

    private enum Shape { case noLetters, lower, upper, capitalised, irregular }

    private func word(_ word: String, previous: String?, shouting: Bool) -> String {
        let shape = AddressCasing.shape(of: word)
        if shape == .noLetters || shape == .irregular { return word }
        if word.contains(where: \.isNumber) { return numbered(word) }
        let key = String(word.lowercased().filter(\.isLetter))
        let isDotted = word.allSatisfy { $0.isLetter || $0 == "." }
        if shape == .upper && !shouting && !AddressStreetWords.all.contains(key) && !capitals.contains(key) {
            return word
        }
        if capitals.contains(key) && isDotted {
            return key.uppercased()
        }
        let lower = word.lowercased()
        if lower == "c/o" { return lower }
        if let previous, previous.contains(where: \.isLetter), !previous.contains(where: \.isNumber),
            particles.contains(lower)
        {
            return lower
        }
        if let previous, AddressCasing.isHouseNumber(previous), lowerAfterNumber.contains(lower.filter { $0 != "." }) {
            return lower
        }
        return hyphenated(lower, isFirstWord: previous == nil)
    }

    /// `4b` → `4B`, `5TH` → `5th`; outside English countries the letters stay as typed.
    private func numbered(_ word: String) -> String {
        let digits = word.prefix { $0.isNumber }
        let suffix = word.dropFirst(digits.count).lowercased()
        let ordinals: Set<String> = ["st", "nd", "rd", "th", "e", "er", "re", "eme", "ème", "bis", "ter"]
        if !digits.isEmpty && ordinals.contains(suffix) { return String(digits) + suffix }
        return english ? word.uppercased() : word
    }

    private func hyphenated(_ lower: String, isFirstWord: Bool) -> String {
        guard lower.contains("-") else { return part(lower, isFirstWord: isFirstWord) }
        let parts = lower.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        for (index, piece) in parts.enumerated() {
            if index > 0 && hyphenParticles.contains(piece) {
                output.append(piece)
            } else {
                output.append(part(piece, isFirstWord: isFirstWord && index == 0))
            }
        }
        return output.joined(separator: "-")
    }

    /// One lower-case word without hyphens, capitalised by the country's name rules.
    private func part(_ lower: String, isFirstWord: Bool) -> String {
        if lower == "'s" || lower == "'t" || lower == "’s" || lower == "’t" { return lower }
        if let apostrophe = lower.firstIndex(where: { $0 == "'" || $0 == "’" }), apostrophe != lower.startIndex {
            let head = String(lower[..<apostrophe])
            let mark = lower[apostrophe]
            let tail = String(lower[lower.index(after: apostrophe)...])
            if ["s", "t", "d", "ll", "re", "ve"].contains(tail) || tail.isEmpty {
                return AddressCasing.capitalised(head) + String(mark) + tail
            }
            if (head == "d" || head == "l") && !english {
                return (isFirstWord ? head.uppercased() : head) + String(mark) + AddressCasing.capitalised(tail)
            }
            return AddressCasing.capitalised(head) + String(mark) + AddressCasing.capitalised(tail)
        }
        if english && lower.hasPrefix("mc") && lower.count >= 4 {
            return "Mc" + AddressCasing.capitalised(String(lower.dropFirst(2)))
        }
        if english && AddressCasing.macNames.contains(lower) {
            return "Mac" + AddressCasing.capitalised(String(lower.dropFirst(3)))
        }
        if dutch && lower.hasPrefix("ij") { return "IJ" + lower.dropFirst(2) }
        return AddressCasing.capitalised(lower)
    }

    /// Scottish and Irish names written `Mac` + capital. A list, because `Mac` also starts
    /// ordinary words and places (`Mackay`, `Macroom`, `Macleay`).
    private static let macNames: Set<String> = [
        "macdonald", "macdougall", "macgregor", "macintyre", "mackenzie", "macleod", "macmillan", "macneil",
        "macpherson", "macarthur", "macaulay", "maclachlan", "macfarlane", "mackinnon", "macnamara", "maclennan",
    ]

    /// The first letter in capitals, the rest as given (already lower case).
    private static func capitalised(_ lower: String) -> String {
        guard let first = lower.firstIndex(where: \.isLetter) else { return lower }
        return String(lower[..<first]) + lower[first].uppercased() + String(lower[lower.index(after: first)...])
    }

    /// A house number, or the `bis`/`ter` that may follow one.
    private static func isHouseNumber(_ word: String) -> Bool {
        word.first?.isNumber == true || ["bis", "ter", "quater"].contains(word.lowercased())
    }

    private static func shape(of word: String) -> Shape {
        let cased = word.filter { $0.isUppercase || $0.isLowercase }
        guard let first = cased.first else { return word.contains(where: \.isLetter) ? .irregular : .noLetters }
        if cased.allSatisfy(\.isLowercase) { return .lower }
        if cased.allSatisfy(\.isUppercase) { return .upper }
        if first.isUppercase && cased.dropFirst().allSatisfy(\.isLowercase) { return .capitalised }
        return .irregular
    }
}
