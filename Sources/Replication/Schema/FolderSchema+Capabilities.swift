extension FolderSchema {
    /// What a node running this schema announces in its hello: its release, the kinds it
    /// declares with their fields (a record kind lists its members' keys), and the operations
    /// it applies, and the features of this build (``Capabilities/personsFeature``).
    public var capabilities: Capabilities {
        Capabilities(
            release: release,
            kinds: declarations.map { declaration in
                Capabilities.Kind(
                    code: declaration.kind.code,
                    name: declaration.name,
                    fields: declaration.recordFields?.map(\.key) ?? declaration.fieldNames
                )
            },
            operations: Operation.known.map(\.code),
            features: [Capabilities.personsFeature, Capabilities.scopeFeature]
        )
    }
}
