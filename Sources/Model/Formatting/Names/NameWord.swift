/// Re-casing of one word of a person's name that was typed all upper or all lower case.
///
/// A word is cut into runs of letters and the marks between them. Each run is capitalised
/// (`smith-jones` → `Smith-Jones`, `j.r.r.` → `J.R.R.`), with these exceptions:
/// - after an apostrophe, the run is capitalised only behind a single letter or an Italian
///   elision (`O'Brien`, `D'Angelo`, `Dell'Acqua`), otherwise lower case (`Ma'ayan`);
/// - `Mc` and `Mac` take a capital after them (`McDonald`, `MacDonald`), except for names that
///   only start like them (`Mack`, `Mackie`, `Macy`, `Machado`).
///
/// Guarantees: only letter case changes.
enum NameWord {
    /// `word` re-cased by the rules above.
    static func recased(_ word: Substring) -> String {
        var result = ""
        var previousRun: Substring?
        var separator: Substring = word[word.startIndex..<word.startIndex]
        var index = word.startIndex
        while index < word.endIndex {
            if word[index].isLetter {
                let end = word[index...].firstIndex(where: { !$0.isLetter }) ?? word.endIndex
                let run = word[index..<end]
                result += recasedRun(run, after: previousRun, separator: separator)
                previousRun = run
                index = end
            } else {
                let end = word[index...].firstIndex(where: { $0.isLetter }) ?? word.endIndex
                separator = word[index..<end]
                result += separator
                index = end
            }
        }
        return result
    }

    private static func recasedRun(_ run: Substring, after previous: Substring?, separator: Substring) -> String {
        if let previous, separator.count == 1, let mark = separator.first, NameTables.apostrophes.contains(mark),
            previous.count > 1, !NameTables.capitalisingElisions.contains(previous.lowercased())
        {
            return NameText.lowercased(run)
        }
        let lower = run.lowercased()
        if lower.hasPrefix("mc"), run.count >= 4 {
            return NameText.capitalised(run.prefix(2)) + NameText.capitalised(run.dropFirst(2))
        }
        if lower.hasPrefix("mac"), run.count >= 6,
            NameTables.macNames.contains(lower) || !NameTables.macExceptions.contains(where: { lower.hasPrefix($0) })
        {
            return NameText.capitalised(run.prefix(3)) + NameText.capitalised(run.dropFirst(3))
        }
        return NameText.capitalised(run)
    }
}
