/// The word lists behind the person-name rules.
///
/// Guarantees: every canonical form differs from the spellings it replaces only in letter case
/// and dots, so formatting with these tables never changes a letter.
enum NameTables {
    /// Surname particles, written in lower case when they stand between other words of a name
    /// (`Ludwig van Beethoven`, `Juan de la Cruz`), capitalised when they start it.
    static let particles: Set<String> = [
        "van", "der", "den", "von", "zu", "ter", "ten",
        "de", "del", "della", "dello", "dei", "degli", "di", "da", "das", "dos", "do", "du", "des",
        "la", "le",
    ]

    /// Words joining two names (`John and Mary Smith`), lower case between other words.
    static let connectors: Set<String> = ["and", "&", "y"]

    /// Name suffixes by their accepted lower-case spellings.
    static let suffixes: [String: String] = [
        "jr": "Jr.", "jr.": "Jr.",
        "sr": "Sr.", "sr.": "Sr.",
        "ii": "II", "iii": "III", "iv": "IV",
        "phd": "PhD", "phd.": "PhD", "ph.d": "PhD", "ph.d.": "PhD",
        "md": "MD", "md.": "MD", "m.d": "MD", "m.d.": "MD",
        "esq": "Esq.", "esq.": "Esq.",
    ]

    /// The canonical form of `word` as a suffix (`jr` → `Jr.`, `Ph.D.,` → `PhD,`), or nil.
    /// One trailing comma is kept.
    static func suffix(_ word: Substring) -> String? {
        let hasComma = word.hasSuffix(",")
        let bare = hasComma ? word.dropLast() : word
        guard let canonical = suffixes[bare.lowercased()] else { return nil }
        return hasComma ? canonical + "," : canonical
    }

    /// Runs before an apostrophe after which the next run is capitalised although they are
    /// longer than one letter (Italian `Dell'Acqua`, `Sant'Angelo`).
    static let capitalisingElisions: Set<String> = ["dell", "dall", "nell", "sant", "all"]

    /// Apostrophes that join the parts of a name (`O'Brien`, `D’Angelo`).
    static let apostrophes: Set<Character> = ["'", "\u{2019}", "\u{2018}", "`"]

    /// Lower-case beginnings of `mac…` names that are not `Mac` + a capitalised name
    /// (`Mackie`, `Macy`, `Machado`, `Macias`), so that they are not written `MacKie`.
    static let macExceptions: [String] = [
        "mach", "mack", "maci", "mace", "macc", "macy", "macri", "macro", "macar", "macau", "macal",
        "macab", "macul", "maco",
    ]

    /// Lower-case `mac…` names that take a capital after `Mac` although they start like an
    /// exception (`MacArthur`, `MacIntyre`).
    static let macNames: Set<String> = [
        "macarthur", "macalister", "macallister", "maccallum", "maccormack", "macintyre", "macinnes",
        "mackinnon", "mackinlay", "macaskill",
    ]
}
