/// The shape of the folder as one release understands it: every kind it declares.
///
/// A replica is opened with one schema; it applies the changes whose kind, field and operation
/// the schema declares and holds the others (see ``Replica/heldChanges()``), so a node of an
/// older release stores, forwards and lists what a newer one wrote, and applies it once it is
/// upgraded to a schema that declares it.
///
/// ```swift
/// let schema = FolderSchema.standard
/// schema.declaration(of: .customer)?.register("name")?.required   // true
/// ```
public struct FolderSchema: Sendable {
    /// The release that declares this schema, e.g. "0.2.0".
    public let release: String
    /// The declarations, by kind code.
    public let declarations: [KindDeclaration]
    private let byCode: [UInt8: Int]

    /// A schema of these declarations; traps on two declarations of one code, name or table
    /// (a programming error in a release, caught by every test that opens a replica).
    public init(release: String, declarations: [KindDeclaration]) {
        self.release = release
        self.declarations = declarations.sorted { $0.kind < $1.kind }
        var byCode: [UInt8: Int] = [:]
        for (index, declaration) in self.declarations.enumerated() {
            precondition(byCode[declaration.kind.code] == nil, "kind code \(declaration.kind.code) declared twice")
            byCode[declaration.kind.code] = index
        }
        precondition(Set(self.declarations.map(\.name)).count == self.declarations.count, "a kind name declared twice")
        precondition(Set(self.declarations.map(\.table)).count == self.declarations.count, "a table declared twice")
        self.byCode = byCode
    }

    /// The declaration of a kind, `nil` when this schema does not know it.
    public func declaration(of kind: EntityKind) -> KindDeclaration? {
        byCode[kind.code].map { declarations[$0] }
    }

    /// The kind as this schema names it (its declared name, else `kind-N`).
    public func kind(code: UInt8) -> EntityKind {
        declaration(of: EntityKind(code: code))?.kind ?? EntityKind(code: code)
    }

    /// The kind stored under this name in `changes.entity`: a declared name or `kind-N`.
    public func kind(named name: String) -> EntityKind? {
        if let declaration = declarations.first(where: { $0.name == name }) { return declaration.kind }
        guard name.hasPrefix("kind-"), let code = UInt8(name.dropFirst(5)) else { return nil }
        return kind(code: code)
    }

    /// The same schema with these declarations added or, for a kind already declared,
    /// replaced: what a later release does.
    public func with(release: String, declarations added: [KindDeclaration]) -> FolderSchema {
        let replaced = Set(added.map(\.kind))
        return FolderSchema(release: release, declarations: declarations.filter { !replaced.contains($0.kind) } + added)
    }
}
