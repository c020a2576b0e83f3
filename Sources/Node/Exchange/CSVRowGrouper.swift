import Foundation
import Model

/// Turns the CSV rows of an import into customers: the header's columns, rows that share a
/// `customer_id`, and the bad rows (with their lines).
struct CSVRowGrouper {
    let columns: [ExchangeColumn]
    private(set) var source = ImportSource()
    private var byID: [String: Int] = [:]

    /// Refuses a header that names a column the export does not have (all of them, in one
    /// line), names one twice, or lacks `name`. Names are compared ignoring case and white
    /// space around them.
    init(header: [String]) throws {
        var columns: [ExchangeColumn] = []
        var unknown: [String] = []
        for name in header {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if let column = ExchangeColumn(rawValue: trimmed.lowercased()) {
                guard !columns.contains(column) else {
                    throw ExchangeError(.unknownColumns, "the header names the column \(column.rawValue) twice")
                }
                columns.append(column)
            } else {
                unknown.append(trimmed.isEmpty ? "(empty)" : trimmed)
            }
        }
        guard unknown.isEmpty else {
            throw ExchangeError(
                .unknownColumns,
                "unknown column\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) (known: \(ExchangeColumn.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard columns.contains(.name) else {
            throw ExchangeError(.unknownColumns, "the header has no name column")
        }
        self.columns = columns
    }

    mutating func add(_ fields: [String], line: Int) {
        if fields.allSatisfy({ $0.isEmpty }) { return }
        guard fields.count <= columns.count else {
            problem(line, "the row has \(fields.count) fields; the header names \(columns.count)")
            return
        }
        var values: [ExchangeColumn: String] = [:]
        for (column, value) in zip(columns, fields) { values[column] = value }
        let customer: ExchangeCustomer
        do {
            customer = try Self.customer(values)
        } catch {
            problem(line, error.reason)
            return
        }
        let contact = Self.contact(values)
        if contact != nil, (values[.contactName] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problem(line, "the row has a contact without a contact_name")
            return
        }
        let id = (values[.customerID] ?? "").trimmingCharacters(in: .whitespaces)
        if !id.isEmpty, let index = byID[id] {
            let first = source.items[index]
            if !Self.isBlank(customer), let differing = Self.differingColumn(first.customer, customer) {
                problem(line, "customer \(id) has another \(differing.rawValue) than on line \(first.line)")
                return
            }
            source.items[index].lines.append(line)
            if let contact {
                source.items[index].customer.contacts.append(contact)
                source.items[index].contactLines.append(line)
            }
            return
        }
        var item = ImportItem(customer: customer, lines: [line], contactLines: [])
        if let contact {
            item.customer.contacts.append(contact)
            item.contactLines.append(line)
        }
        if !id.isEmpty { byID[id] = source.items.count }
        source.items.append(item)
    }

    private mutating func problem(_ line: Int, _ reason: String) {
        source.problems.append(ImportReport.Line(line: line, reason: reason))
    }

    struct Refusal: Error { let reason: String }

    static func customer(_ values: [ExchangeColumn: String]) throws(Refusal) -> ExchangeCustomer {
        let archived: Bool
        switch (values[.archived] ?? "").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "false": archived = false
        case "true": archived = true
        case let other: throw Refusal(reason: "archived is 'true' or empty, not '\(other)'")
        }
        return ExchangeCustomer(
            id: values[.customerID] ?? "",
            name: values[.name] ?? "",
            categories: ListField.split(values[.categories] ?? ""),
            phone: values[.phone] ?? "",
            email: values[.email] ?? "",
            address: values[.address] ?? "",
            website: values[.website] ?? "",
            notes: values[.notes] ?? "",
            archived: archived,
            industry: values[.industry] ?? "",
            source: values[.source] ?? "",
            size: values[.size] ?? ""
        )
    }

    /// The row's contact, or `nil` when every contact column is empty.
    static func contact(_ values: [ExchangeColumn: String]) -> ExchangeContact? {
        guard ExchangeColumn.contactColumns.contains(where: { !(values[$0] ?? "").isEmpty }) else { return nil }
        return ExchangeContact(
            id: values[.contactID] ?? "",
            name: values[.contactName] ?? "",
            salutation: values[.salutation] ?? "",
            title: values[.title] ?? "",
            phones: ListField.split(values[.contactPhones] ?? "").map {
                let labelled = LabelledValue(parsing: $0)
                return ExchangeContact.Phone(label: labelled.label, number: labelled.value)
            },
            emails: ListField.split(values[.contactEmails] ?? "").map {
                let labelled = LabelledValue(parsing: $0)
                return ExchangeContact.Email(label: labelled.label, email: labelled.value)
            },
            address: values[.contactAddress] ?? "",
            notes: values[.contactNotes] ?? ""
        )
    }

    /// Whether a row leaves every customer column empty (a further contact of a customer
    /// named by `customer_id` on an earlier row).
    static func isBlank(_ c: ExchangeCustomer) -> Bool {
        c.name.isEmpty && c.categories.isEmpty && c.phone.isEmpty && c.email.isEmpty && c.address.isEmpty
            && c.website.isEmpty && c.notes.isEmpty && !c.archived && c.industry.isEmpty && c.source.isEmpty
            && c.size.isEmpty
    }

    /// The first customer column whose value differs between two rows of one customer.
    static func differingColumn(_ a: ExchangeCustomer, _ b: ExchangeCustomer) -> ExchangeColumn? {
        let pairs: [(ExchangeColumn, Bool)] = [
            (.name, a.name == b.name), (.categories, a.categories == b.categories), (.phone, a.phone == b.phone),
            (.email, a.email == b.email), (.address, a.address == b.address), (.website, a.website == b.website),
            (.notes, a.notes == b.notes), (.archived, a.archived == b.archived), (.industry, a.industry == b.industry),
            (.source, a.source == b.source), (.size, a.size == b.size),
        ]
        return pairs.first { !$0.1 }?.0
    }
}
