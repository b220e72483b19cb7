import SyncModel
import SyncStore
import SyncSupport

extension ReplicaStore {
    /// This node's bundle-signing key, made and kept the first time it is
    /// needed (stores made before bundles were signed this way have none).
    public func nodeSigningKey() throws -> NodeSigningKey {
        let hex = try signingKey(orMake: { NodeSigningKey().hex })
        guard let key = NodeSigningKey(hex: hex) else {
            throw SyncError.notConfigured(
                tr(
                    "this node's signing key is damaged in the database; restore the database from a backup",
                    zh: "数据库中本节点的签名密钥已损坏；请从备份恢复数据库"))
        }
        return key
    }
}
