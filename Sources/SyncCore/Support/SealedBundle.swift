import Crypto
import Foundation
import SyncModel

/// A push sealed for a USB stick: readable only by the hub, and signed by
/// the laptop that wrote it.
///
///     {"format":"health-sync-bundle/3","station":"S01","node":"<node id>",
///      "key":"<base64 HPKE encapsulated key>","sealed":"<base64 ciphertext>",
///      "signature":"<base64 Ed25519 signature>"}
///
/// - Sealed with HPKE (RFC 9180, base mode, X25519 + HKDF-SHA256 +
///   ChaCha20-Poly1305) to the hub's bundle key: a lost stick shows a
///   station id and a node id, nothing of any resident.
/// - Signed with the writing node's Ed25519 key, whose public half the hub
///   learned from that node's authenticated handshake: nothing the hub
///   stores (token hashes, its own keys) suffices to make a bundle it accepts.
///   The signature covers the format, station, node, key and ciphertext; the
///   station and node are also the ciphertext's associated data, so neither
///   can be swapped on its own.
public enum SealedBundle {
    /// Format 3 seals `BundleContents` (the push and the months submitted
    /// offline); format 2 sealed the push alone and is still read.
    public static let format = "health-sync-bundle/3"
    static let formatWithPushOnly = "health-sync-bundle/2"
    static let ciphersuite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly
    static let info = Data("health-sync bundle v2".utf8)

    /// What the outside of a bundle claims, readable without any key.
    public struct Envelope: Sendable {
        public let format: String
        public let station: String
        public let node: String
        let encapsulatedKey: Data
        let sealed: Data
        let signature: Data

        /// The bytes the signature covers.
        var signedBytes: Data {
            var bytes = Data("\(format)\n\(station)\n\(node)\n".utf8)
            bytes.append(encapsulatedKey)
            bytes.append(sealed)
            return bytes
        }
    }

    /// Seals `contents` for the hub whose bundle key is `hubKey`, signed by
    /// the node's `signingKey`.
    public static func seal(
        contents: BundleContents, station: String, node: String, signingKey: NodeSigningKey,
        hubKey: HubBundleKey.Public
    ) throws -> [UInt8] {
        try seal(
            body: contents.encoded(), format: format, station: station, node: node, signingKey: signingKey,
            hubKey: hubKey)
    }

    /// Seals `body` under `format` (tests write format 2 to check it is still read).
    static func seal(
        body: [UInt8], format: String, station: String, node: String, signingKey: NodeSigningKey,
        hubKey: HubBundleKey.Public
    ) throws -> [UInt8] {
        var sender = try HPKE.Sender(recipientKey: hubKey.key, ciphersuite: ciphersuite, info: info)
        let sealed = try sender.seal(body, authenticating: associatedData(station: station, node: node))
        var envelope = Envelope(
            format: format, station: station, node: node, encapsulatedKey: sender.encapsulatedKey, sealed: sealed,
            signature: Data())
        let signature = try signingKey.key.signature(for: envelope.signedBytes)
        envelope = Envelope(
            format: format, station: station, node: node, encapsulatedKey: envelope.encapsulatedKey, sealed: sealed,
            signature: signature)
        return JSONValue.object([
            ("format", .string(format)), ("station", .string(station)), ("node", .string(node)),
            ("key", .string(envelope.encapsulatedKey.base64EncodedString())),
            ("sealed", .string(sealed.base64EncodedString())),
            ("signature", .string(signature.base64EncodedString())),
        ]).encoded()
    }

    /// Reads the outside of a bundle; nothing is checked but its shape.
    public static func envelope(_ bytes: [UInt8]) throws(BundleError) -> Envelope {
        let fields: [String: String]
        do {
            fields = try JSONReader.read(bytes) { reader in
                try reader.beginObject(tr("a bundle", zh: "数据包"))
                var fields: [String: String] = [:]
                var first = true
                while let key = try reader.nextKey(&first) {
                    guard ["format", "station", "node", "key", "sealed", "signature", "push"].contains(key) else {
                        throw reader.schemaError(
                            tr("unknown key '\(key.prefix(40))' in a bundle", zh: "数据包中有未知的键 '\(key.prefix(40))'"))
                    }
                    if key == "push" {
                        try reader.skipValue(depth: 1)
                        fields[key] = ""
                    } else {
                        fields[key] = try reader.readString(key)
                    }
                }
                try reader.expectEnd()
                return fields
            }
        } catch {
            throw .unreadable("\(error)")
        }
        if fields["format"] == "health-sync-bundle/1" { throw .oldFormat }
        guard let found = fields["format"], found == format || found == formatWithPushOnly else {
            throw .unreadable(tr("not a \(format) file", zh: "不是 \(format) 文件"))
        }
        guard let station = fields["station"], let node = fields["node"],
            let key = fields["key"].flatMap({ Data(base64Encoded: $0) }),
            let sealed = fields["sealed"].flatMap({ Data(base64Encoded: $0) }),
            let signature = fields["signature"].flatMap({ Data(base64Encoded: $0) })
        else {
            throw .unreadable(
                tr(
                    "a bundle needs station, node, key, sealed and signature, the last three in base64",
                    zh: "数据包需要 station、node、key、sealed 和 signature，后三项为 base64"))
        }
        return Envelope(
            format: found, station: station, node: node, encapsulatedKey: key, sealed: sealed, signature: signature)
    }

    /// Checks the envelope's signature with the node's public key, then
    /// opens it with the hub's private key: what it seals (a format 2
    /// bundle's push alone comes back with no submissions).
    public static func open(_ envelope: Envelope, signedBy nodeKey: NodeSigningKey.Public, hubKey: HubBundleKey)
        throws(BundleError) -> BundleContents
    {
        let body = try openBody(envelope, signedBy: nodeKey, hubKey: hubKey)
        guard envelope.format == format else { return BundleContents(push: body, submissions: []) }
        do {
            return try BundleContents.decode(body)
        } catch {
            throw .unreadable("\(error)")
        }
    }

    static func openBody(_ envelope: Envelope, signedBy nodeKey: NodeSigningKey.Public, hubKey: HubBundleKey)
        throws(BundleError) -> [UInt8]
    {
        guard nodeKey.key.isValidSignature(envelope.signature, for: envelope.signedBytes) else {
            throw .badSignature(station: envelope.station, node: envelope.node)
        }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: hubKey.key, ciphersuite: ciphersuite, info: info, encapsulatedKey: envelope.encapsulatedKey)
            let body = try recipient.open(
                envelope.sealed, authenticating: associatedData(station: envelope.station, node: envelope.node))
            return Array(body)
        } catch {
            throw .notForThisHub
        }
    }

    static func associatedData(station: String, node: String) -> Data {
        Data("\(station)\n\(node)".utf8)
    }
}

/// Why a bundle was refused.
public enum BundleError: Error, Sendable, CustomStringConvertible {
    case unreadable(String)
    case oldFormat
    case badSignature(station: String, node: String)
    case notForThisHub

    public var description: String {
        switch self {
        case .unreadable(let why):
            return tr("not a readable bundle: \(why)", zh: "无法读取的数据包：\(why)")
        case .oldFormat:
            return tr(
                "this bundle was written by an older version (format 1), whose signature anyone with a copy of the hub's database could forge: export it again with the current station program",
                zh: "该数据包由旧版本写出（格式 1），其签名可被持有区平台数据库副本的人伪造：请用当前版本的 station 重新导出")
        case .badSignature(let station, let node):
            return tr(
                "the bundle's signature does not match the key of station \(station)'s node \(node): it was altered or made by someone else",
                zh: "数据包的签名与卫生站 \(station) 节点 \(node) 的密钥不符：它被改动过，或由他人制作")
        case .notForThisHub:
            return tr(
                "the bundle cannot be opened with this hub's key: it was sealed for another hub, or damaged",
                zh: "无法用本区平台的密钥打开数据包：它是为其他区平台加密的，或已损坏")
        }
    }
}

/// A node's Ed25519 signing key: made with the node, kept in its store,
/// never sent; its public half goes to the hub in the handshake.
public struct NodeSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public init() { key = Curve25519.Signing.PrivateKey() }

    /// From the stored hex form; nil if it is not one.
    public init?(hex: String) {
        guard let bytes = TokenHash.bytes(hex: hex),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else { return nil }
        self.key = key
    }

    public var hex: String { TokenHash.hex(Array(key.rawRepresentation)) }
    public var publicKey: Public { Public(key: key.publicKey) }

    /// The public half, as the hub keeps it: 64 hex digits.
    public struct Public: Sendable, Equatable {
        let key: Curve25519.Signing.PublicKey

        public init?(hex: String) {
            guard let bytes = TokenHash.bytes(hex: hex), bytes.count == 32,
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
            else { return nil }
            self.key = key
        }

        init(key: Curve25519.Signing.PublicKey) { self.key = key }

        public var hex: String { TokenHash.hex(Array(key.rawRepresentation)) }

        public static func == (a: Public, b: Public) -> Bool { a.key.rawRepresentation == b.key.rawRepresentation }
    }
}

/// The hub's X25519 key that bundles are sealed to. The private half stays
/// in the hub's store (a leaked hub file can read bundles, but still not
/// forge one); stations learn the public half in the handshake.
public struct HubBundleKey: Sendable {
    let key: Curve25519.KeyAgreement.PrivateKey

    public init() { key = Curve25519.KeyAgreement.PrivateKey() }

    public init?(hex: String) {
        guard let bytes = TokenHash.bytes(hex: hex),
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
        else { return nil }
        self.key = key
    }

    public var hex: String { TokenHash.hex(Array(key.rawRepresentation)) }
    public var publicKey: Public { Public(key: key.publicKey) }

    public struct Public: Sendable {
        let key: Curve25519.KeyAgreement.PublicKey

        public init?(hex: String) {
            guard let bytes = TokenHash.bytes(hex: hex), bytes.count == 32,
                let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes)
            else { return nil }
            self.key = key
        }

        init(key: Curve25519.KeyAgreement.PublicKey) { self.key = key }

        public var hex: String { TokenHash.hex(Array(key.rawRepresentation)) }
    }
}
