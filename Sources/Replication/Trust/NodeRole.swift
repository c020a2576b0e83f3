/// What a node is to the fleet: an office (a branch or head office, always on, trusted to
/// speak for the fleet) or a laptop (a field technician's machine, offline for days, that
/// may be stolen).
///
/// A node's own role is set by `nodectl init --role`; the role a node trusts a peer as is set
/// by `nodectl peer add --role`. Each hello announces the sender's role and each side refuses
/// a peer whose announced role is not the one it trusts it as. Only an office may revoke a
/// node for the fleet or decide on held changes; a revocation counts on a node only when
/// an office it trusts (or the node itself, an office) signed it.
public enum NodeRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case office
    case laptop

    /// The role of a node whose hello announces none (builds before roles knew only offices).
    public static let unannounced = NodeRole.office

    public var description: String { rawValue }
}
