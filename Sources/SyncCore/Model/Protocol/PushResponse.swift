/// The hub's answer to a push.
public struct PushResponse: Sendable, Equatable {
    /// Entities merged (stored or already known).
    public var accepted = 0
    /// Of those, how many changed the hub's store.
    public var stored = 0
    /// Entities whose merge produced a new conflict at the hub.
    public var conflicts = 0
    public var rejected: [PushRejection] = []

    public init() {}

    /// The response body; `status` gives each rejection's wire status.
    public func encoded(error: String? = nil, status: (PushRejection.Cause?) -> Int) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("{")
        if let error {
            writer.key("error")
            writer.string(error)
            writer.comma()
        }
        writer.key("accepted")
        writer.int(Int64(accepted))
        writer.raw(",\"stored\":")
        writer.int(Int64(stored))
        writer.raw(",\"conflicts\":")
        writer.int(Int64(conflicts))
        writer.raw(",\"rejected\":[")
        for (index, rejection) in rejected.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"index\":")
            writer.int(Int64(rejection.index))
            writer.raw(",\"kind\":")
            writer.string(rejection.kind)
            writer.raw(",\"id\":")
            writer.string(rejection.id)
            writer.raw(",\"status\":")
            writer.int(Int64(status(rejection.cause)))
            writer.raw(",\"reason\":")
            writer.string(rejection.reason)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> PushResponse {
        try JSONReader.read(bytes) { reader in
            var response = PushResponse()
            try reader.beginObject(tr("the push response", zh: "上传应答"))
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "accepted": response.accepted = Int(try reader.readUInt64(key))
                case "stored": response.stored = Int(try reader.readUInt64(key))
                case "conflicts": response.conflicts = Int(try reader.readUInt64(key))
                case "rejected":
                    try reader.beginArray(key)
                    var firstItem = true
                    while try reader.nextElement(&firstItem) {
                        try reader.beginObject(tr("a rejection", zh: "拒收项"))
                        var index = 0
                        var kind: String?, id: String?, reason = ""
                        var firstKey = true
                        while let field = try reader.nextKey(&firstKey) {
                            switch field {
                            case "index": index = Int(try reader.readUInt64(field))
                            case "status": _ = try reader.readUInt64(field)
                            case "kind": kind = try reader.readStringOrNull(field)
                            case "id": id = try reader.readStringOrNull(field)
                            case "reason": reason = try reader.readString(field)
                            default: try reader.skipValue(depth: 3)
                            }
                        }
                        response.rejected.append(
                            PushRejection(index: index, kind: kind, id: id, cause: nil, reason: reason))
                    }
                default: try reader.skipValue(depth: 1)
                }
            }
            return response
        }
    }
}
