import Replication

/// Which peers this node is in a session with, so that there is one session per peer at a
/// time (inbound or outbound).
actor SessionRegistry {
    private var active: Set<NodeID> = []

    /// Claims the peer; `false` when a session with it is already running.
    func claim(_ peer: NodeID) -> Bool {
        active.insert(peer).inserted
    }

    func release(_ peer: NodeID) {
        active.remove(peer)
    }
}
