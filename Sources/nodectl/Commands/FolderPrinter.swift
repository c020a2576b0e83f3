import Foundation
import Model
import Replication

/// The human form of `customer show`: one section per tab. Every stored text is printed
/// escaped (``Output``); notes are wrapped to the terminal.
struct FolderPrinter {
    let folder: Folder
    let country: CountryCode
    let blobs: BlobStore
    let financial: FinancialTab
    let credit: CreditTab
    let service: ServiceTab
    let marketing: MarketingTab

    func print() {
        let customer = folder.customer
        Output.line("\(customer.name)  [\(customer.id)]\(customer.archived ? "  (archived)" : "")")
        if !folder.merged.isEmpty {
            Output.line("Merged into it: \(folder.merged.map(\.description).joined(separator: ", "))")
        }
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
        if !customer.notes.isEmpty {
            Output.line("Notes:")
            Output.wrapped(customer.notes, indent: "  ")
        }
        Output.line("")
        printContacts()
        Output.line("")
        printJournal()
        Output.line("")
        FinancialViews.printTab(financial)
        Output.line("")
        CreditViews.printTab(credit)
        Output.line("")
        ServiceViews.printTab(service, country: country)
        Output.line("")
        MarketingViews.printTab(marketing, today: today())
        Output.line("")
        Output.line("Documents (\(folder.documents.count))")
        for document in folder.documents {
            let present = blobs.contains(document.digest) ? "" : "  (bytes not here yet)"
            Output.line(
                "  \(document.title)  \(document.fileName)  \(ByteSize.text(document.size))\(present)  [\(document.id)]"
            )
        }
        if !folder.conflictedFields.isEmpty {
            Output.line("")
            Output.line(
                "Open conflicts: \(folder.conflictedFields.joined(separator: ", ")) (see 'nodectl conflicts list')"
            )
        }
    }

    private func printContacts() {
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
            if !contact.notes.isEmpty { Output.wrapped(contact.notes, indent: "    ") }
        }
    }

    private func printJournal() {
        Output.line("Journal (\(folder.journal.count))")
        let correctedBy = JournalMarks.correctedBy(folder.journal)
        for entry in folder.journal {
            let parties = entry.parties.isEmpty ? "" : "  with \(entry.parties)"
            Output.line(
                "  \(Timestamp.format(entry.at))  \(entry.kind.rawValue)\(parties)  by \(entry.author)  [\(entry.id)]"
            )
            if let correction = correctedBy[entry.id] { Output.line("    corrected by \(correction)") }
            if let corrected = entry.corrects { Output.line("    corrects \(corrected)") }
            Output.wrapped(entry.notes, indent: "    ")
        }
    }
}

/// The marks the journal's human views show.
enum JournalMarks {
    /// For each corrected entry, the latest entry that corrects it.
    static func correctedBy(_ entries: [JournalEntry]) -> [EntityID: EntityID] {
        var marks: [EntityID: EntityID] = [:]
        for entry in entries { if let corrected = entry.corrects { marks[corrected] = entry.id } }
        return marks
    }
}
