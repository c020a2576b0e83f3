extension ExchangeCustomer {
    /// The CSV rows of this customer, each in ``ExchangeColumn/allCases`` order: one per
    /// contact, or one with empty contact columns when it has none.
    public var rows: [[String]] {
        let customer = [
            id, name, ListField.join(categories), phone, email, address, website, notes, archived ? "true" : "",
            industry, source, size,
        ]
        guard !contacts.isEmpty else { return [customer + Array(repeating: "", count: 8)] }
        return contacts.map { contact in
            customer + [
                contact.id, contact.name, contact.salutation, contact.title,
                ListField.join(contact.phoneTexts), ListField.join(contact.emailTexts),
                contact.address, contact.notes,
            ]
        }
    }
}
