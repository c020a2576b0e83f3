/// The words of job titles: which are acronyms, which are small, and how one word is re-cased.
///
/// Guarantees: every canonical form differs from the spellings it replaces only in letter case.
enum JobTitleWords {
    /// Acronyms, written in upper case (`ceo` → `CEO`, `head of it` → `Head of IT`).
    static let acronyms: Set<String> = [
        "ceo", "cfo", "coo", "cto", "cio", "cmo", "cso", "ciso", "cpo", "cro", "cco", "cdo", "cao", "vp", "svp",
        "evp", "avp", "it", "ict", "hr", "hris", "qa", "qc", "pr", "gm", "md", "pa", "ea", "ux", "ui", "ai",
        "ml", "bi", "seo", "sem", "crm", "erp", "sap", "aws", "hse", "ehs", "kyc", "aml", "gdpr", "dpo", "pmo",
        "sre", "sdr", "bdr", "cpa", "rn", "hvac", "cnc", "cad", "gis", "iot", "b2b", "b2c", "saas", "emea",
        "apac", "latam", "uk", "usa", "eu", "ii", "iii", "iv", "vi", "vii", "viii", "ix",
    ]

    /// Small words, lower case unless they start the title (`VP of Sales`).
    static let smallWords: Set<String> = ["of", "and", "for", "the", "in", "to", "at", "on", "or", "&"]

    /// Words with a fixed mixed-case spelling, by their lower-case spelling.
    static let spellings: [String: String] = [
        "r&d": "R&D", "p&l": "P&L", "m&a": "M&A", ".net": ".NET", "ios": "iOS", "devops": "DevOps", "phd": "PhD",
        "macos": "macOS",
    ]

    /// Marks that may stand around the core of a title word (`(CEO)`, `Sales,`).
    private static let wrappers: Set<Character> = ["(", ")", ",", ";", ":", "\"", "\u{201C}", "\u{201D}"]

    /// `word` formatted as a word of a title (`isFirst`: its first word, never made lower case).
    ///
    /// With `recaseAll` (the title was typed in one case) every word is re-cased; otherwise only
    /// words typed all lower case or capitalised are (`SAP`, `iOS`, `McKinsey` stay as typed).
    static func formatted(_ word: Substring, isFirst: Bool, recaseAll: Bool) -> String {
        let coreStart = word.firstIndex(where: { !wrappers.contains($0) }) ?? word.endIndex
        let coreEnd =
            word[coreStart...].lastIndex(where: { !wrappers.contains($0) }).map(word.index(after:)) ?? coreStart
        let core = word[coreStart..<coreEnd]
        let lowerCore = core.lowercased()
        let isRecasable = recaseAll || NameText.typedCase(of: core) == .lower || NameText.isCapitalised(core)
        guard isRecasable else { return String(word) }
        if let spelling = spellings[lowerCore] {
            return String(word[..<coreStart]) + spelling + String(word[coreEnd...])
        }
        if !isFirst, smallWords.contains(lowerCore) {
            return String(word[..<coreStart]) + lowerCore + String(word[coreEnd...])
        }
        return recasedRuns(word)
    }

    /// `word` with each run of letters and digits re-cased: acronyms upper case, runs after an
    /// apostrophe lower case (`Children's`), others capitalised (`vice-president` →
    /// `Vice-President`).
    private static func recasedRuns(_ word: Substring) -> String {
        var result = ""
        var afterApostrophe = false
        var index = word.startIndex
        while index < word.endIndex {
            let isWordCharacter: (Character) -> Bool = { $0.isLetter || $0.isNumber }
            if isWordCharacter(word[index]) {
                let end = word[index...].firstIndex(where: { !isWordCharacter($0) }) ?? word.endIndex
                result += recasedRun(word[index..<end], afterApostrophe: afterApostrophe)
                index = end
            } else {
                let end = word[index...].firstIndex(where: isWordCharacter) ?? word.endIndex
                let separator = word[index..<end]
                afterApostrophe = separator.count == 1 && separator.allSatisfy { NameTables.apostrophes.contains($0) }
                result += separator
                index = end
            }
        }
        return result
    }

    private static func recasedRun(_ run: Substring, afterApostrophe: Bool) -> String {
        let lower = run.lowercased()
        if let spelling = spellings[lower] { return spelling }
        if acronyms.contains(lower) { return run.uppercased() }
        if afterApostrophe { return NameText.lowercased(run) }
        return NameText.capitalised(run)
    }
}
