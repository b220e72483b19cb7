/// The handshake that opens every sync (`POST /v1/session`, docs/protocol.md):
/// the node proves it is the copy the hub last spoke with, and says how far
/// it has read the hub's feed, so that either side's trip back in time —
/// a laptop restored or copied, a hub restored from a backup — is found
/// before anything is pushed.
public struct SessionRequest: Sendable, Equatable {
    public var node: String
    /// The session token the hub handed this node last time; nil at first contact.
    public var current: String?
    /// The tokens the node held before `current`, newest first (at most
    /// `SessionRequest.maxHistory`): a hub restored from a backup knows one
    /// of them, and the first copy that shows it is the one the hub goes on with.
    public var history: [String]
    /// The token to hold from now on, made by the node and kept durably
    /// before it is sent, so a retry after a lost answer sends it again.
    public var next: String
    /// The hub incarnation the node's cursor belongs to; nil before the first handshake.
    public var epoch: String?
    /// The node's pull cursor in that incarnation's feed.
    public var cursor: Int64
    /// The public half of the node's bundle-signing key (Ed25519, 64 hex
    /// digits): the hub keeps the first it is shown for a node, and checks
    /// USB bundles from that node against it.
    public var signingKey: String?

    /// How many earlier tokens a node keeps and sends.
    public static let maxHistory = 32

    public init(
        node: String, current: String?, history: [String] = [], next: String, epoch: String?, cursor: Int64,
        signingKey: String? = nil
    ) {
        self.signingKey = signingKey
        self.node = node
        self.current = current
        self.history = history
        self.next = next
        self.epoch = epoch
        self.cursor = cursor
    }

    public func encoded() -> [UInt8] {
        JSONValue.object([
            ("node", .string(node)), ("current", .string(current)), ("history", .strings(history)),
            ("next", .string(next)),
            ("epoch", .string(epoch)), ("cursor", .string(String(cursor))), ("signing_key", .string(signingKey)),
        ]).encoded()
    }

    public static func decode(_ bytes: [UInt8]) throws(JSONError) -> SessionRequest {
        do {
            return try JSONReader.read(bytes) { reader in
                try reader.beginObject(tr("the session body", zh: "会话请求"))
                var node: String?, current: String?, next: String?, epoch: String?, cursor: Int64 = 0
                var signingKey: String?
                var history: [String] = []
                var first = true
                while let key = try reader.nextKey(&first) {
                    switch key {
                    case "node": node = try reader.readString(key)
                    case "current": current = try reader.readStringOrNull(key)
                    case "next": next = try reader.readString(key)
                    case "history":
                        try reader.beginArray(key)
                        var firstToken = true
                        while try reader.nextElement(&firstToken) {
                            guard history.count < SessionRequest.maxHistory else {
                                throw reader.schemaError(
                                    tr(
                                        "history holds at most \(SessionRequest.maxHistory) tokens",
                                        zh: "history 最多包含 \(SessionRequest.maxHistory) 个令牌"))
                            }
                            history.append(try reader.readString(tr("a history token", zh: "history 中的令牌")))
                        }
                    case "epoch": epoch = try reader.readStringOrNull(key)
                    case "signing_key":
                        signingKey = try reader.readStringOrNull(key)
                        if let signingKey, !SessionRequest.isPublicKey(signingKey) {
                            throw reader.schemaError(
                                tr(
                                    "signing_key must be a public key of 64 hex digits",
                                    zh: "signing_key 应为 64 位十六进制的公钥"))
                        }
                    case "cursor":
                        guard let value = Int64(try reader.readString(key)), value >= 0 else {
                            throw reader.schemaError(
                                tr(
                                    "cursor must be a feed position from an earlier pull",
                                    zh: "cursor 应为之前下载得到的位置"))
                        }
                        cursor = value
                    default:
                        throw reader.schemaError(
                            tr(
                                "unknown key '\(key.prefix(40))' in the session body",
                                zh: "会话请求中有未知的键 '\(key.prefix(40))'"))
                    }
                }
                try reader.expectEnd()
                guard let node, Identifiers.isToken(node, maxLength: 64) else {
                    throw reader.schemaError(
                        tr("the session body needs 'node', a node id", zh: "会话请求需要 'node'，即节点编号"))
                }
                guard let next, Identifiers.isToken(next, maxLength: 64) else {
                    throw reader.schemaError(
                        tr(
                            "the session body needs 'next', a token of 1–64 letters, digits, '-' or '_'",
                            zh: "会话请求需要 'next'，即由 1–64 个字母、数字、'-' 或 '_' 组成的令牌"))
                }
                for token in [current, epoch].compactMap({ $0 }) + history
                where !Identifiers.isToken(token, maxLength: 64) {
                    throw reader.schemaError(
                        tr(
                            "'\(token.prefix(70))' is not a session token or epoch",
                            zh: "'\(token.prefix(70))' 不是有效的会话令牌或 epoch"))
                }
                return SessionRequest(
                    node: node, current: current, history: history, next: next, epoch: epoch, cursor: cursor,
                    signingKey: signingKey)
            }
        } catch let error as JSONError {
            throw error
        } catch {
            fatalError("unreachable: the session decoder throws JSONError only")
        }
    }
}

extension SessionRequest {
    /// A 32-byte public key in hex, as keys travel in the protocol.
    public static func isPublicKey(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// The hub's answer to the handshake.
public struct SessionResponse: Sendable, Equatable {
    /// False when the node is not the copy the hub last spoke with (restored
    /// or copied): it must take a new node id before it pushes.
    public var nodeCurrent: Bool
    /// The hub's incarnation now; the node keeps it with its cursor.
    public var epoch: String
    /// True when the hub's feed went back in time since the node's cursor
    /// (the hub was restored): the node sends everything it holds again and
    /// reads the feed from the start.
    public var rebase: Bool
    /// The public half of the hub's bundle key (X25519, 64 hex digits):
    /// the station seals USB bundles to it.
    public var bundleKey: String?
    /// The station's months approved at the hub, and so locked: the station
    /// refuses ordinary edits to them (a late correction is still taken).
    public var locked: [String]

    public init(nodeCurrent: Bool, epoch: String, rebase: Bool, bundleKey: String? = nil, locked: [String] = []) {
        self.bundleKey = bundleKey
        self.locked = locked
        self.nodeCurrent = nodeCurrent
        self.epoch = epoch
        self.rebase = rebase
    }

    public func encoded() -> [UInt8] {
        JSONValue.object([
            ("node", .string(nodeCurrent ? "current" : "forked")), ("epoch", .string(epoch)), ("rebase", .bool(rebase)),
            ("bundle_key", .string(bundleKey)), ("locked", .strings(locked)),
        ]).encoded()
    }

    public static func decode(_ bytes: [UInt8]) throws -> SessionResponse {
        try JSONReader.read(bytes) { reader in
            try reader.beginObject(tr("the session response", zh: "会话应答"))
            var node: String?, epoch: String?, rebase = false, bundleKey: String?
            var locked: [String] = []
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "node": node = try reader.readString(key)
                case "epoch": epoch = try reader.readString(key)
                case "rebase": rebase = try reader.readBool(key)
                case "bundle_key": bundleKey = try reader.readStringOrNull(key)
                case "locked":
                    try reader.beginArray(key)
                    var firstPeriod = true
                    while try reader.nextElement(&firstPeriod) {
                        let text = try reader.readString(tr("a locked month", zh: "锁定的月份"))
                        guard Period(text) != nil else {
                            throw reader.schemaError(
                                tr("'\(text.prefix(20))' is not a month", zh: "'\(text.prefix(20))' 不是月份"))
                        }
                        locked.append(text)
                    }
                default: try reader.skipValue(depth: 1)
                }
            }
            guard let node, node == "current" || node == "forked", let epoch else {
                throw reader.schemaError(
                    tr(
                        "the session response needs node (current or forked) and epoch",
                        zh: "会话应答需要 node（current 或 forked）和 epoch"))
            }
            if let bundleKey, !SessionRequest.isPublicKey(bundleKey) {
                throw reader.schemaError(
                    tr("bundle_key must be a public key of 64 hex digits", zh: "bundle_key 应为 64 位十六进制的公钥"))
            }
            return SessionResponse(
                nodeCurrent: node == "current", epoch: epoch, rebase: rebase, bundleKey: bundleKey, locked: locked)
        }
    }
}
