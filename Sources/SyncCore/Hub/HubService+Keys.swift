import SyncModel
import SyncStore
import SyncSupport

/// The keys of USB bundles: the hub's own, made once, and each node's,
/// learned from its authenticated handshake.
extension HubService {
    /// The hub's bundle key, made the first time it is needed.
    public func bundleKey() throws -> HubBundleKey {
        let hex = try store.bundleKey(orMake: { HubBundleKey().hex })
        guard let key = HubBundleKey(hex: hex) else {
            throw HubFailure.invalid(
                tr(
                    "the hub's bundle key in its database is damaged: restore the database from a backup",
                    zh: "数据库中区平台的数据包密钥已损坏：请从备份恢复数据库"))
        }
        return key
    }

    /// Keeps a node's signing key, shown by its handshake with `station`'s
    /// token. The first key kept for a node stays: a token alone cannot
    /// replace it.
    func learnSigningKey(_ key: String, node: String, station: String) throws {
        guard NodeSigningKey.Public(hex: key) != nil else {
            throw HubFailure.badRequest(
                tr("signing_key is not an Ed25519 public key", zh: "signing_key 不是 Ed25519 公钥"))
        }
        try store.setNodeKey(node: node, station: station, key: key, at: now)
    }

    /// Registers the signing key of a node that has never synced online (a
    /// station that only sends USB bundles): the operator reads it from the
    /// laptop's `station status`. Refused if the node has a key already.
    public func registerNodeKey(station: String, node: String, key: String) throws {
        guard try store.stations().contains(where: { $0.id == station }) else {
            throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
        }
        guard Identifiers.isToken(node, maxLength: 64) else {
            throw HubFailure.badRequest(tr("'\(node.prefix(70))' is not a node id", zh: "'\(node.prefix(70))' 不是节点编号"))
        }
        guard SessionRequest.isPublicKey(key), NodeSigningKey.Public(hex: key) != nil else {
            throw HubFailure.badRequest(
                tr(
                    "the key must be the 64 hex digits `station status` shows as the signing key",
                    zh: "密钥应为 `station status` 显示的 64 位十六进制签名密钥"))
        }
        try store.replica.writeTransaction {
            _ = try checkBinding(node: node, station: station)
            if let kept = try store.nodeKey(node: node, station: station) {
                guard kept == key else {
                    throw HubFailure.alreadyExists(
                        tr(
                            "node \(node) already has another signing key",
                            zh: "节点 \(node) 已有另一把签名密钥"))
                }
                return
            }
            try store.setNodeKey(node: node, station: station, key: key, at: now)
        }
    }

    /// Merges a station's USB bundle: its signature is checked against the
    /// key the writing node showed in an authenticated handshake, then it is
    /// opened with the hub's bundle key and pushed with the station's
    /// authority. Nothing stored here suffices to make one.
    public func importBundle(_ bytes: [UInt8]) throws -> (station: String, response: PushResponse) {
        let imported = try importBundleWithSubmissions(bytes)
        return (imported.station, imported.response)
    }

    /// What importing a bundle did: the push's answer, and each month the
    /// bundle submitted, taken or refused with the reason (already approved,
    /// say), which leaves the push merged.
    public struct BundleImport: Sendable {
        public let station: String
        public let response: PushResponse
        public var submitted: [Period] = []
        public var refusedSubmissions: [(period: Period, reason: String)] = []
    }

    public func importBundleWithSubmissions(_ bytes: [UInt8]) throws -> BundleImport {
        let envelope: SealedBundle.Envelope
        do {
            envelope = try SealedBundle.envelope(bytes)
        } catch {
            throw HubFailure.badRequest(error.description)
        }
        guard try store.activeTokenHash(station: envelope.station) != nil else {
            throw HubFailure.unauthorized(
                tr(
                    "station \(envelope.station.prefix(40)) is not registered or was revoked",
                    zh: "卫生站 \(envelope.station.prefix(40)) 未注册或已吊销"))
        }
        guard let known = try store.nodeKey(node: envelope.node, station: envelope.station),
            let nodeKey = NodeSigningKey.Public(hex: known)
        else {
            throw HubFailure.unauthorized(
                tr(
                    "the hub does not know the signing key of node \(envelope.node.prefix(40)): the laptop must sync online once, or the operator registers its key with `hub station node-key \(envelope.station.prefix(40)) \(envelope.node.prefix(40)) KEY` (the laptop's `station status` shows it)",
                    zh:
                        "区平台不知道节点 \(envelope.node.prefix(40)) 的签名密钥：该电脑需在线同步一次，或由操作员用 `hub station node-key \(envelope.station.prefix(40)) \(envelope.node.prefix(40)) KEY` 登记（电脑上的 `station status` 会显示密钥）"
                ))
        }
        let hubKey = try bundleKey()
        let contents: BundleContents
        do {
            contents = try SealedBundle.open(envelope, signedBy: nodeKey, hubKey: hubKey)
        } catch BundleError.unreadable(let why) {
            throw HubFailure.badRequest(tr("not a readable bundle: \(why)", zh: "无法读取的数据包：\(why)"))
        } catch {
            throw HubFailure.unauthorized(error.description)
        }
        let body = contents.push
        let node: String
        do {
            node = try PushRequest.decode(body).node
        } catch {
            throw HubFailure.badRequest(tr("not a readable bundle: \(error)", zh: "无法读取的数据包：\(error)"))
        }
        guard node == envelope.node else {
            throw HubFailure.unauthorized(
                BundleError.badSignature(station: envelope.station, node: envelope.node).description)
        }
        var imported = BundleImport(
            station: envelope.station, response: try push(station: envelope.station, body: body))
        // After the push, as online: the figures reach the hub before the month is submitted.
        for submission in contents.submissions {
            do {
                try submit(station: envelope.station, period: submission.period, explanation: submission.explanation)
                imported.submitted.append(submission.period)
            } catch let failure as HubFailure {
                imported.refusedSubmissions.append((submission.period, failure.message))
            }
        }
        return imported
    }
}
