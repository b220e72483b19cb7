/// A push written to a file, for a station whose only link is a USB stick.
///
///     {"format":"health-sync-bundle/1","station":"S01","signature":"<hex>","push":<push body>}
///
/// The signature is HMAC-SHA256 over the push body's exact bytes, keyed with
/// the SHA-256 of the station's token: the station proves it holds the token,
/// and the hub, which keeps only that hash, can check it (SyncSupport's
/// `BundleSignature` computes it: this target has no crypto).
public enum StationBundle {
    public static let format = "health-sync-bundle/1"

    public static func make(station: String, signature: String, pushBody: [UInt8]) -> [UInt8] {
        var writer = JSONWriter(capacity: pushBody.count + 256)
        writer.raw("{\"format\":")
        writer.string(format)
        writer.raw(",\"station\":")
        writer.string(station)
        writer.raw(",\"signature\":")
        writer.string(signature)
        writer.raw(",\"push\":")
        writer.raw(pushBody)
        writer.raw("}")
        return writer.bytes
    }

    /// What a bundle claims: its station, signature, and the push body's bytes.
    public struct Contents: Sendable {
        public let station: String
        public let signature: String
        public let pushBody: [UInt8]
    }

    public static func read(_ bytes: [UInt8]) throws -> Contents {
        try JSONReader.read(bytes) { reader in
            try reader.beginObject(tr("a bundle", zh: "数据包"))
            var station: String?, signature: String?, body: [UInt8]?, formatSeen: String?
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "format": formatSeen = try reader.readString(key)
                case "station": station = try reader.readString(key)
                case "signature": signature = try reader.readString(key)
                case "push":
                    _ = try reader.peek()
                    let start = reader.offset
                    try reader.skipValue(depth: 1)
                    body = Array(bytes[start..<reader.offset])
                default:
                    throw reader.schemaError(
                        tr("unknown key '\(key.prefix(40))' in a bundle", zh: "数据包中有未知的键 '\(key.prefix(40))'"))
                }
            }
            try reader.expectEnd()
            guard formatSeen == format else {
                throw reader.schemaError(tr("not a \(format) file", zh: "不是 \(format) 文件"))
            }
            guard let station, let signature, let body else {
                throw reader.schemaError(
                    tr("a bundle needs station, signature and push", zh: "数据包需要 station、signature 和 push"))
            }
            return Contents(station: station, signature: signature, pushBody: body)
        }
    }
}
