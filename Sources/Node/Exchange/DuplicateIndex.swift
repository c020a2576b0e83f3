import Foundation
import Model

/// The rule by which an import skips a customer: it would duplicate one already known.
///
/// Two customers are duplicates when their names are equal ignoring case and white space
/// around them (``SearchFolding/foldCase(_:)``), and they share a phone with the same digits
/// (``PhoneDigits/of(_:)``; the customer's phone or any contact's) or an e-mail address
/// (ignoring case; the customer's or any contact's). A name alone is not enough: two shops
/// may share a name.
struct DuplicateIndex {
    /// What the rule compares of one customer.
    struct Identity {
        var name: String
        var digits: Set<String>
        var emails: Set<String>
        /// How a report names it: `customer ID` or `the customer on line N`.
        var label: String
    }

    private var byName: [String: [Identity]] = [:]

    static func foldName(_ name: String) -> String {
        SearchFolding.foldCase(name.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func foldEmail(_ email: String) -> String {
        let bare = LabelledValue(parsing: email).value
        return ((try? EmailAddress(parsing: bare).value) ?? bare).lowercased()
    }

    static func identity(of customer: ExchangeCustomer, label: String) -> Identity {
        let phones = [customer.phone] + customer.contacts.flatMap { $0.phones.map(\.number) }
        let emails = [customer.email] + customer.contacts.flatMap { $0.emails.map(\.email) }
        return Identity(
            name: foldName(customer.name),
            digits: Set(phones.map(PhoneDigits.of).filter { !$0.isEmpty }),
            emails: Set(emails.filter { !$0.isEmpty }.map(foldEmail)),
            label: label
        )
    }

    mutating func insert(_ identity: Identity) {
        byName[identity.name, default: []].append(identity)
    }

    /// The first known customer that `candidate` duplicates, and what they share.
    func match(_ candidate: Identity) -> (known: Identity, shared: String)? {
        for known in byName[candidate.name] ?? [] {
            if let digits = known.digits.intersection(candidate.digits).sorted().first {
                return (known, "the same name and a phone with the digits \(digits)")
            }
            if let email = known.emails.intersection(candidate.emails).sorted().first {
                return (known, "the same name and the e-mail \(email)")
            }
        }
        return nil
    }
}
