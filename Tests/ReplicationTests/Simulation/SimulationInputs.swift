import Model
import Replication

/// What a local write must do: store this, or be refused with this code.
enum InputOutcome<T> {
    case stored(T)
    case refused(ReplicationError.Code)
}

/// What the simulated users type: realistic, messy (padding, case, Unicode, line breaks,
/// display-form e-mail addresses), and sometimes wrong.
///
/// Also the folder's input rules, as the oracle states them independently of the engine: what
/// a replica must store for an input, or that it must refuse it.
enum SimulationInputs {
    static let customerNames = [
        "Acme Ltd", "ACME Ltd.", "Müller & Söhne GmbH", "O'Brien Bros.", "  padded name  ", "名前株式会社",
        "Zoë 🚀 Start-ups", "Smith, Jones & Co",
    ]
    static let contactNames = [
        "Anna Schmidt", "Dr. Jürgen Weiß", "María-José Carreño", "李小龙", "O'Neil, Pat", "anna schmidt",
    ]
    /// Refused for a required field (name).
    static let blanks: [String?] = [nil, "", "   ", "\t"]

    static let categories = [" VIP ", "VIP", "vip", "wholesale", "Großhandel", "prospect\n", "B2B / EU", "\tlapsed"]
    static let phones = [
        "work: +44 20 7946 0958", "Work:+44 20 7946 0958", "mobile: 0171 555 0199", "+1 (555) 010-0199",
        "  +1 (555) 010-0199  ", "fax: 030/12345-67", "Home : 555 0100", "ext: 12:34",
    ]
    static let emails = [
        "work: anna@acme.example", "Work: anna@ACME.example", "home:anna.private@mail.example",
        "Anna Schmidt <anna@acme.example>", "mailto:info@Acme.example", "billing: Rechnung@Bücher.example",
    ]
    /// Refused as a set element.
    static let badElements = ["   ", "\n", "work:", "work: not-an-address"]

    static let parties = ["Anna Schmidt; Bob", "Müller, Jürgen", "", "客户 / customer"]
    static let journalNotes = [
        "Discussed the Q3 order.\nFollow-up next week.", "", "Complaint: \"late delivery\"", "50 % Anzahlung — März",
    ]
    static let authors = ["anna", "jürgen", "bob@hq"]
    static let sampleNames = ["Muster A", "Probe 7 (blau)", "サンプル", "  spaced sample "]
    static let documentTitles = ["Angebot 2026 (final)", "Scan – Vertrag", "Invoice #42", ""]
    static let fileNames = ["angebot_2026_final.pdf", "scan 01.JPG", "vertrag-ü.docx", "invoice#42.pdf"]
    static let mediaTypes = [
        "application/pdf", "image/jpeg", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    /// The editable fields the simulation writes (a contact's `customer` is written separately).
    static func editableFields(_ kind: EntityKind) -> [String] {
        switch kind {
        case .customer: ["name", "notes", "phone", "email", "address", "website"]
        case .contact: ["name", "salutation", "title", "address", "notes"]
        default: []
        }
    }

    static func setFields(_ kind: EntityKind) -> [String] {
        switch kind {
        case .customer: ["categories"]
        case .contact: ["phones", "emails"]
        default: []
        }
    }

    /// SimulationInputs for an editable field; `nil` clears it. Mostly accepted, some refused.
    static func values(_ kind: EntityKind, _ field: String) -> [String?] {
        switch (kind, field) {
        case (.customer, "name"): customerNames
        case (.contact, "name"): contactNames
        case (_, "notes"):
            [
                "", "Call back Tuesday.", "Line one\nLine two", "Rabatt 15 % — nur bis März", "\"Quoted\" and 'single'",
                "  leading and trailing  ", "😀", nil,
            ]
        case (_, "phone"): ["+44 20 7946 0958", "(555) 010-0199 ext. 7", "030 / 1234567", "", nil]
        case (_, "email"):
            [
                "info@acme.example", "  Sales@ACME.Example ", "Anna Schmidt <anna@acme.example>",
                "mailto:orders@Acme.example", "", nil, "not-an-email", "john@",
            ]
        case (_, "address"): ["Hauptstraße 1\n10115 Berlin", "1 Infinite Loop, Cupertino", "", nil]
        case (_, "website"): ["https://acme.example", "www.müller.example/kontakt?x=1&y=2", nil]
        case (_, "salutation"): ["Dear Anna", "Sehr geehrte Frau Dr. Weiß", "Hi", "", nil]
        case (_, "title"): ["CEO", "Head of Purchasing", "Geschäftsführerin", "", nil]
        case (Releases.previewSample, "name"): sampleNames
        case (_, "serial"): ["SN-0042", "A/7 ü", "0001", "", nil]
        case (_, Releases.previewRating): ["★★★★☆", "4/5", "excellent", "", nil]
        case (_, "removed"): ["true", nil, "", "yes"]
        default: [nil]
        }
    }

    /// SimulationInputs for a set field, accepted ones.
    static func elements(_ field: String) -> [String] {
        switch field {
        case "categories": categories
        case "phones": phones
        default: emails
        }
    }

    /// What must be stored for `input` in an editable field: text exactly as typed, an e-mail
    /// address normalised, `nil` or `""` as given; refused when a required field is blank or
    /// an e-mail address is malformed.
    static func stored(_ kind: EntityKind, _ field: String, _ input: String?) -> InputOutcome<String?> {
        let required = field == "name" || field == "customer"
        if required, (input ?? "").trimmingCharacters(in: .whitespaces).isEmpty { return .refused(.invalidValue) }
        if field == "removed" {
            guard let input, !input.isEmpty else { return .stored(nil) }
            return input == "true" ? .stored(input) : .refused(.invalidValue)
        }
        guard let input, !input.isEmpty else { return .stored(input) }
        guard kind == .customer, field == "email" else { return .stored(input) }
        guard let address = try? EmailAddress(parsing: input) else { return .refused(.invalidValue) }
        return .stored(address.value)
    }

    /// What must be stored for a set element: trimmed; a phone or e-mail split into label and
    /// value, the label in lower case, an e-mail address normalised; refused when empty.
    static func element(_ field: String, _ input: String) -> InputOutcome<String> {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .refused(.invalidValue) }
        guard field != "categories" else { return .stored(trimmed) }
        var labelled = LabelledValue(parsing: trimmed)
        guard !labelled.value.trimmingCharacters(in: .whitespaces).isEmpty else { return .refused(.invalidValue) }
        if field == "emails" {
            guard let address = try? EmailAddress(parsing: labelled.value) else { return .refused(.invalidValue) }
            labelled.value = address.value
        }
        return .stored(labelled.text)
    }
}
