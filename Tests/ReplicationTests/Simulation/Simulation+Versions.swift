import Model
import Replication

/// The two releases a seed may run, as the oracle states them (the next release is a stand-in:
/// it adds kind `preview-sample`, code 250, with registers customer, name and serial, and a
/// customer register `preview_rating`), not as it reads them from the schemas.
enum Releases {
    static let previewSample = EntityKind(code: 250, name: "preview-sample")
    static let previewRating = "preview_rating"

    /// Who applies a write: a standard node holds one of a kind its release does not declare
    /// (unknown-kind) or of a field its kind does not declare (unknown-field).
    static func uptake(of change: Change) -> Uptake {
        if change.entity == previewSample { return .previewOnly(.unknownKind) }
        if change.entity == .customer, change.field == previewRating { return .previewOnly(.unknownField) }
        return .everywhere
    }

    /// Whether a conflict is on a field both releases declare.
    static func isStandard(_ conflict: Conflict) -> Bool {
        conflict.entity != previewSample && conflict.field != previewRating
    }
}

/// A newer release among the nodes: its writes, and the upgrade of a standard node to it.
extension Simulation {
    /// A write only the preview release understands, mostly on a node that runs it: a preview
    /// sample created for a customer, one of its fields edited, a customer's rating set. On a
    /// standard node the same write must be refused (its release does not know the kind or
    /// field) and change nothing. Sometimes instead a standard node that holds preview writes
    /// is upgraded.
    func previewWrite(_ chosen: Int) throws {
        let holders = nodes.indices.filter { node in
            !nodes[node].preview
                && oracle.writesHeldSomewhere.contains { $0.uptake.isPreviewOnly && nodes[node].held.contains($0.id) }
        }
        if random.chance(0.3), let n = random.element(of: holders) { return try reopen(n, upgrading: true) }
        let previews = nodes.indices.filter { nodes[$0].preview }
        let n = random.chance(0.85) ? random.element(of: previews) ?? chosen : chosen
        guard let customer = random.element(of: held(n, .customer)) else { return try createCustomer(n) }
        guard nodes[n].preview else { return try refusedPreviewWrite(n, customer) }
        let roll = random.int(0...99)
        if roll < 35 {
            try createSample(n, for: customer)
        } else if roll < 55, let sample = random.element(of: held(n, Releases.previewSample)) {
            let field = random.element(of: ["name", "serial"]) ?? "serial"
            try editField(n, sample, field, random.element(of: SimulationInputs.values(sample.kind, field)) ?? nil)
        } else {
            let rating = random.element(of: SimulationInputs.values(.customer, Releases.previewRating)) ?? nil
            try editField(n, customer, Releases.previewRating, rating)
        }
    }

    private func createSample(_ n: Int, for customer: OracleEntity) throws {
        let kind = Releases.previewSample
        let name = random.chance(0.06) ? "  " : random.element(of: SimulationInputs.sampleNames) ?? "Sample"
        let serial = random.element(of: SimulationInputs.values(kind, "serial").compactMap { $0 }) ?? ""
        var refusal: ReplicationError.Code?
        if case .refused(let code) = SimulationInputs.stored(kind, "name", name) { refusal = code }
        let plan = [("customer", customer.id.description), ("name", name), ("serial", serial)].filter { !$0.1.isEmpty }
        let values = ["customer": customer.id.description, "name": name, "serial": serial]
        let id = try local(
            n,
            "create preview sample \(quoted(name)) serial \(quoted(serial)) for \(customer.id)",
            refusal: refusal,
            expecting: { id in plan.map { ExpectedChange(kind, id, $0.0, .assign, $0.1, []) } },
            { replica in try replica.write { try $0.create(kind, values: values) } }
        )
        if let id, let creation = creation(of: id) {
            oracle.record(OracleEntity(kind: kind, id: id, creation: creation, recordRow: nil))
        }
    }

    private func refusedPreviewWrite(_ n: Int, _ customer: OracleEntity) throws {
        if random.chance(0.5) {
            try expectRefusal(n, "set \(Releases.previewRating) on a standard node", .unknownField) {
                try $0.write { try $0.set(.customer, customer.id, field: Releases.previewRating, to: "5") }
            }
        } else {
            try expectRefusal(n, "create a preview sample on a standard node", .unknownField) {
                try $0.write {
                    try $0.create(Releases.previewSample, values: ["customer": customer.id.description, "name": "x"])
                }
            }
        }
    }

    /// After node `n` reopened on the preview release: it applied the preview writes it held,
    /// so its tables and conflicts are what a preview node shows for the same changes, and
    /// where the releases overlap nothing changed.
    func upgraded(_ n: Int, before shared: [PlainTable]) throws {
        let replica = try replica(n)
        stats.upgrades += 1
        stats.upgradeApplied +=
            oracle.writesHeldSomewhere.filter { $0.uptake.isPreviewOnly && nodes[n].held.contains($0.id) }.count
        compareTables(n, try PlainTables.read(replica, preview: true), holding: holding(n))
        checkConflicts(n, try replica.conflicts(), holding: holding(n))
        // Except the row of an entity whose earliest applied write, its creation held, is a
        // preview write: that row names it now (as a preview node's always did).
        let vector = nodes[n].held
        let renamed = oracle.entities.filter { entity in
            oracle.creator(of: entity, holding: oracle.holding(vector, preview: false))?.id
                != oracle.creator(of: entity, holding: oracle.holding(vector, preview: true))?.id
        }
        .map { "'\($0.id)'" }
        func overlap(_ tables: [PlainTable]) -> [PlainTable] {
            tables.map { table in
                PlainTable(name: table.name, rows: table.rows.filter { row in !renamed.contains { row.hasPrefix($0) } })
            }
        }
        check(
            overlap(try PlainTables.read(replica, preview: false)) == overlap(shared),
            "n\(n) changed where the releases overlap when it was upgraded"
        )
    }
}
