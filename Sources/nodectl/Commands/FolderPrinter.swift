import Foundation
import Model
import Replication

/// The human form of `customer show`: one section per tab.
struct FolderPrinter {
    let folder: Folder
    let country: CountryCode
    let blobs: BlobStore

    func print() {
        let customer = folder.customer
        Output.line("\(customer.name)  [\(customer.id)]")
        if !customer.categories.isEmpty { Output.line("Categories: \(customer.categories.joined(separator: ", "))") }
        if !customer.phone.isEmpty {
            Output.line(
                "Phone: "
                    + PhoneNumber(parsing: customer.phone, defaultCountry: country).formatted(homeCountry: country)
            )
        }
        if !customer.email.isEmpty { Output.line("E-mail: \(customer.email)") }
        if !customer.website.isEmpty { Output.line("Web: \(customer.website)") }
        if !customer.address.isEmpty {
            Output.line("Address:")
            for line in Address(parsing: customer.address, defaultCountry: country).formattedLines {
                Output.line("  \(line)")
            }
        }
        if !customer.notes.isEmpty { Output.line("Notes: \(customer.notes)") }
        Output.line("")
        Output.line("Contacts (\(folder.contacts.count))")
        for contact in folder.contacts {
            let salutation = SalutationFormatter.format(contact.salutation).formatted
            let name = PersonNameFormatter.format(contact.name).formatted
            let title = JobTitleFormatter.format(contact.title).formatted
            Output.line(
                "  \([salutation, name].filter { !$0.isEmpty }.joined(separator: " "))\(title.isEmpty ? "" : ", \(title)")  [\(contact.id)]"
            )
            for phone in contact.phones {
                let number = PhoneNumber(parsing: phone.value, defaultCountry: country).formatted(homeCountry: country)
                Output.line("    \(phone.label.isEmpty ? "phone" : phone.label): \(number)")
            }
            for email in contact.emails {
                Output.line("    \(email.label.isEmpty ? "e-mail" : email.label): \(email.value)")
            }
        }
        Output.line("")
        Output.line("Journal (\(folder.journal.count))")
        for entry in folder.journal {
            Output.line("  \(Timestamp.format(entry.at))  \(entry.kind.rawValue)  \(entry.parties)  \(entry.notes)")
        }
        Output.line("")
        Output.line("Documents (\(folder.documents.count))")
        for document in folder.documents {
            let present = blobs.contains(document.digest) ? "" : "  (bytes not here yet)"
            Output.line("  \(document.title)  \(document.fileName)  \(document.size) bytes\(present)  [\(document.id)]")
        }
        if !folder.conflictedFields.isEmpty {
            Output.line("")
            Output.line(
                "Open conflicts: \(folder.conflictedFields.joined(separator: ", ")) (see 'nodectl conflicts list')"
            )
        }
    }
}
