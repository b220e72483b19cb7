/// Limits and shapes of the sync protocol (docs/protocol.md).
public enum SyncProtocol {
    /// Largest request body the hub reads, as sent (compressed or not).
    public static let maxBodyBytes = 8 << 20
    /// Largest body after un-gzipping.
    public static let maxInflatedBytes = 32 << 20
    /// Most entities in one push.
    public static let maxPushEntities = 5_000
    public static let defaultPullLimit = 1_000
    public static let maxPullLimit = 5_000
}
