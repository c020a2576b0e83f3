import Foundation

/// A person at a customer. A customer has any number of contacts.
///
/// `phones` and `emails` are sets of labelled values (add-wins when replicas merge); the other
/// fields are editable registers holding the text as typed.
public struct Contact: Identifiable, Sendable, Codable, Equatable {
    public var id: EntityID
    public var customerID: EntityID
    public var name: String
    public var salutation: String
    public var title: String
    public var phones: [LabelledValue]
    public var emails: [LabelledValue]
    public var address: String
    public var notes: String

    public init(
        id: EntityID,
        customerID: EntityID,
        name: String,
        salutation: String = "",
        title: String = "",
        phones: [LabelledValue] = [],
        emails: [LabelledValue] = [],
        address: String = "",
        notes: String = ""
    ) {
        self.id = id
        self.customerID = customerID
        self.name = name
        self.salutation = salutation
        self.title = title
        self.phones = phones
        self.emails = emails
        self.address = address
        self.notes = notes
    }
}

/// A phone number or e-mail address with an optional label (`work`, `mobile`, `home`).
///
/// The text form is `label: value` or just `value`; ``init(parsing:)`` and ``text`` round-trip.
public struct LabelledValue: Hashable, Sendable, Codable, Comparable {
    public var label: String
    public var value: String

    public init(label: String = "", value: String) {
        self.label = label
        self.value = value
    }

    /// Splits `mobile: +44 20 7946 0958` into label and value. A prefix is a label only when it
    /// is one word of letters (so `+44 20...` or `http://...` stay whole).
    public init(parsing text: String) {
        if let colon = text.firstIndex(of: ":") {
            let head = text[..<colon].trimmingCharacters(in: .whitespaces)
            let tail = text[text.index(after: colon)...]
            if !head.isEmpty, head.count <= 20, head.allSatisfy({ $0.isLetter || $0 == "-" }),
                !tail.hasPrefix("//")
            {
                self.init(label: head.lowercased(), value: tail.trimmingCharacters(in: .whitespaces))
                return
            }
        }
        self.init(label: "", value: text.trimmingCharacters(in: .whitespaces))
    }

    /// `label: value`, or `value` when there is no label.
    public var text: String { label.isEmpty ? value : "\(label): \(value)" }

    public static func < (lhs: LabelledValue, rhs: LabelledValue) -> Bool {
        (lhs.label, lhs.value) < (rhs.label, rhs.value)
    }
}
