import SyncModel

/// The keys USB bundles are checked and opened with: each node's signing
/// key (public) and the hub's own bundle key. Hex strings here; the
/// cryptography is SyncSupport's.
extension HubStore {
    /// A node's signing key as the hub learned it under `station`'s token.
    public func nodeKey(node: String, station: String) throws -> String? {
        try database.scalarText(
            "SELECT key FROM node_keys WHERE node = ? AND station = ?", [.text(node), .text(station)])
    }

    /// Keeps a node's signing key for `station`; the first one kept stays.
    public func setNodeKey(node: String, station: String, key: String, at time: Int64) throws {
        try database.run(
            """
            INSERT INTO node_keys (node, station, key, learned) VALUES (?, ?, ?, ?)
            ON CONFLICT (node, station) DO NOTHING
            """,
            [.text(node), .text(station), .text(key), .integer(time)])
    }

    /// The hub's private bundle key (hex), made by `make` the first time.
    public func bundleKey(orMake make: () -> String) throws -> String {
        try replica.writeTransaction {
            if let kept = try replica.meta(HubSettings.Key.bundleKey) { return kept }
            let made = make()
            try replica.setMeta(HubSettings.Key.bundleKey, made)
            return made
        }
    }
}
