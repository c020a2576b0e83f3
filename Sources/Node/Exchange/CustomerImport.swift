import Foundation
import Model
import Replication

/// `customer import`: creates the customers and contacts read from a file, all or nothing.
///
/// Guarantees: one write transaction. Each customer passes the same rules as `customer add`
/// and `contact add` (the writer's). A customer that would duplicate one in the node or one
/// created earlier from the same file (``DuplicateIndex``) is skipped, each of its rows
/// reported. When any row is bad — found while reading the file or refused by a rule — every
/// bad row is reported by line (``ExchangeError/Code/badRows``) and nothing is written. With
/// `dryRun` the same writes are made and then rolled back: the report is what an import would
/// do, and nothing is written.
public enum CustomerImport {
    public static func run(
        _ source: ImportSource,
        into replica: Replica,
        dryRun: Bool,
        as person: String? = nil
    ) throws -> ImportReport {
        do {
            return try replica.write(as: person) { writer in
                var report = try apply(source, &writer)
                report.dryRun = dryRun
                if dryRun { throw DryRun(report: report) }
                return report
            }
        } catch let dry as DryRun {
            return dry.report
        }
    }

    private struct DryRun: Error {
        let report: ImportReport
    }

    /// Writes every item; throws ``ExchangeError/Code/badRows`` (rolling the transaction back)
    /// when any row is bad.
    static func apply(_ source: ImportSource, _ writer: inout LocalWriter) throws -> ImportReport {
        var index = try writer.read(DuplicateIndex.load)
        var problems = source.problems
        var report = ImportReport()
        for item in source.items {
            let identity = DuplicateIndex.identity(of: item.customer, label: "the customer on line \(item.line)")
            if let match = index.match(identity) {
                report.skipped += item.lines.map {
                    ImportReport.Line(line: $0, reason: "duplicates \(match.known.label) (\(match.shared))")
                }
                continue
            }
            let failures = try create(item, &writer)
            guard failures.isEmpty else {
                problems += failures
                continue
            }
            index.insert(identity)
            report.created += 1
            report.contacts += item.customer.contacts.count
        }
        guard problems.isEmpty else {
            let sorted = problems.sorted { $0.line < $1.line }
            throw ExchangeError(
                .badRows,
                "\(sorted.count) bad row\(sorted.count == 1 ? "" : "s"); nothing was imported",
                problems: sorted
            )
        }
        return report
    }

    /// Creates the customer and its contacts; returns the rows a rule refused.
    private static func create(_ item: ImportItem, _ writer: inout LocalWriter) throws -> [ImportReport.Line] {
        let customer = item.customer
        let id: EntityID
        do {
            var fields = [
                "phone": customer.phone, "email": customer.email, "address": customer.address,
                "website": customer.website, "notes": customer.notes, "industry": customer.industry,
                "source": customer.source, "size": customer.size,
            ]
            if customer.archived { fields["archived"] = "true" }
            id = try writer.createCustomer(name: customer.name, categories: customer.categories, fields: fields)
        } catch let error as ReplicationError {
            return [ImportReport.Line(line: item.line, reason: error.message)]
        }
        var failures: [ImportReport.Line] = []
        for (offset, contact) in customer.contacts.enumerated() {
            do {
                _ = try writer.createContact(
                    customer: id,
                    name: contact.name,
                    fields: [
                        "salutation": contact.salutation, "title": contact.title, "address": contact.address,
                        "notes": contact.notes,
                    ],
                    phones: contact.phoneTexts,
                    emails: contact.emailTexts
                )
            } catch let error as ReplicationError {
                let line = offset < item.contactLines.count ? item.contactLines[offset] : item.line
                failures.append(ImportReport.Line(line: line, reason: "contact: " + error.message))
            }
        }
        return failures
    }
}
