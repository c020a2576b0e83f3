/// A country's address layout (`%N%n%O%n%A%n%C, %S %Z`), ready to lay out analysed parts.
///
/// Guarantees: a field that is empty takes its separator with it (no dangling `, `); a line
/// left empty is not printed; the street lines stand where `%A` stands.
struct AddressTemplate: Sendable {
    /// One field of a line with the literal text written before it (`, ` before `%S`).
    struct Slot: Sendable {
        let field: Character
        let leading: String
    }

    private let lines: [[Slot]]

    init(_ format: String) {
        var lines: [[Slot]] = []
        var current: [Slot] = []
        var literal = ""
        var characters = format.makeIterator()
        while let character = characters.next() {
            guard character == "%", let code = characters.next() else {
                literal.append(character)
                continue
            }
            if code == "n" {
                lines.append(current)
                current = []
            } else {
                current.append(Slot(field: code, leading: literal))
            }
            literal = ""
        }
        lines.append(current)
        self.lines = lines.filter { !$0.isEmpty }
    }

    /// Whether `%Z` comes before `%C` on the page.
    var isPostalCodeBeforeLocality: Bool {
        let fields = lines.flatMap { $0.map(\.field) }
        guard let postal = fields.firstIndex(of: "Z"), let town = fields.firstIndex(of: "C") else { return false }
        return postal < town
    }

    /// Whether the layout has a place for `field`.
    func has(_ field: Character) -> Bool { lines.contains { $0.contains { $0.field == field } } }

    /// The lines of an address: `street` where `%A` stands, then the other fields from
    /// `values` (missing fields and their separators left out). A literal before the first field
    /// of a line that equals `droppedPrefix` (the `CH-` of domestic mail) is left out. A region
    /// the layout has no place for (a British county) gets its own line after the town.
    func render(street: [String], values: [Character: String], droppedPrefix: String?) -> [String] {
        var output: [String] = []
        for line in lines {
            if line.contains(where: { $0.field == "A" }) {
                output += street
                continue
            }
            var text = ""
            for (index, slot) in line.enumerated() {
                guard let value = values[slot.field], !value.isEmpty else { continue }
                if text.isEmpty {
                    if index == 0 && slot.leading != droppedPrefix { text = slot.leading }
                } else {
                    text += slot.leading.isEmpty ? " " : slot.leading
                }
                text += value
            }
            if !text.isEmpty { output.append(text) }
            if line.contains(where: { $0.field == "C" }), !has("S"), let region = values["S"], !region.isEmpty {
                output.append(region)
            }
        }
        return output
    }
}
