import Foundation
import Model
import Replication

/// The mailing list a direct-mail partner prints envelopes from: one CSV record per customer,
/// `customer_id, name, contact, address_line_1..5` — the contact with its salutation (`Mr. John
/// Smith`), the address formatted by its country's template (``Address``), one line per
/// address line, so the partner prints the lines as given and touches nothing.
public enum MailingList {
    /// Address lines a record holds; an address with more has the rest joined into the last.
    public static let addressLines = 5

    public static let header =
        ["customer_id", "name", "contact"] + (1...addressLines).map { "address_line_\($0)" }

    /// The record of one entry: the address in `defaultCountry` unless its last line names
    /// another.
    public static func record(_ entry: MailingEntry, defaultCountry: CountryCode) -> [String] {
        var contact = ""
        if let name = entry.contactName, !name.isEmpty {
            let salutation = SalutationFormatter.format(entry.contactSalutation ?? "").formatted
            let formatted = PersonNameFormatter.format(name).formatted
            contact = salutation.isEmpty ? formatted : salutation + " " + formatted
        }
        var lines = entry.address.map { Address(parsing: $0, defaultCountry: defaultCountry).formattedLines } ?? []
        if lines.count > addressLines {
            lines = Array(lines.prefix(addressLines - 1)) + [lines.dropFirst(addressLines - 1).joined(separator: ", ")]
        }
        lines += Array(repeating: "", count: addressLines - lines.count)
        return [entry.customerID.description, entry.name, contact] + lines
    }

    /// The whole list as CSV text (RFC 4180, CRLF), header first.
    public static func csv(_ entries: [MailingEntry], defaultCountry: CountryCode) -> String {
        ([header] + entries.map { record($0, defaultCountry: defaultCountry) }).map(CSVText.record).joined()
    }
}
