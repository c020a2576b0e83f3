/// One replica's statement of what it holds: the version vector of the replica whose writes
/// carry `origin` (an incarnation of `node`), when it said so.
///
/// Acknowledgements travel from node to node (in the sync hello: ``Hello/acknowledgements``)
/// and are merged per origin by taking the componentwise maximum, since what one replica holds
/// only grows. They decide one thing: when the bookkeeping of a removal may be dropped because
/// every member of the fleet holds the removal (``Replica/reclaim()``, docs/ARCHITECTURE.md,
/// "Reclaiming what removals leave behind"). They are unsigned: a peer that lies can make a
/// node drop a removed element's row early, which matters only to a later revocation that takes
/// that remove back — never to what a folder shows.
public struct Acknowledgement: Sendable, Hashable {
    /// The acknowledging replica's origin (the origin its own writes carry).
    public var origin: NodeID
    /// The node that replica belongs to.
    public var node: NodeID
    /// What it held.
    public var vector: VersionVector

    public init(origin: NodeID, node: NodeID, vector: VersionVector) {
        self.origin = origin
        self.node = node
        self.vector = vector
    }
}
