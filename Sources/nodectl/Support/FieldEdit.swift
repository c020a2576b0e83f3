import Foundation
import Model
import Replication

/// One `FIELD=VALUE`, `FIELD+=ELEMENT` or `FIELD-=ELEMENT` argument.
///
/// `FIELD=-` reads the value from standard input and `FIELD-file=FILE` from a file
/// (``LongTextInput``); a `name` is stored trimmed of surrounding white space.
struct FieldEdit {
    enum Kind { case set, add, remove }
    let field: String
    let kind: Kind
    let value: String

    /// Parses every edit of a command, reading standard input or files where they say so.
    static func parse(_ texts: [String]) throws -> [FieldEdit] {
        var input = LongTextInput()
        return try texts.map { try FieldEdit(parsing: $0, input: &input) }
    }

    private init(parsing text: String, input: inout LongTextInput) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw UsageError("'\(text)' is not FIELD=VALUE")
        }
        var field = String(text[..<equals])
        var value = String(text[text.index(after: equals)...])
        if field.hasSuffix("+") {
            kind = .add
            field.removeLast()
        } else if field.hasSuffix("-") {
            kind = .remove
            field.removeLast()
        } else {
            kind = .set
        }
        field = field.trimmingCharacters(in: .whitespaces)
        if kind == .set, field.hasSuffix("-file"), field.count > "-file".count {
            field.removeLast("-file".count)
            value = try input.editFile(value, field: field)
        } else if kind == .set {
            value = try input.editValue(value, field: field)
        }
        if field == "name" { value = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        self.field = field
        self.value = value
        guard !self.field.isEmpty else { throw UsageError("'\(text)' names no field") }
    }

    func apply(to kind: EntityKind, _ id: EntityID, _ writer: inout LocalWriter) throws {
        switch self.kind {
        case .set:
            if writer.schema.declaration(of: kind)?.set(field) != nil {
                throw UsageError("\(field) is a set: use \(field)+=VALUE or \(field)-=VALUE")
            }
            try writer.set(kind, id, field: field, to: value.isEmpty ? nil : value)
        case .add: try writer.add(kind, id, field: field, element: value)
        case .remove: try writer.remove(kind, id, field: field, element: value)
        }
    }
}
