/// A page of the hub's changes for one station.
public struct PullPage {
    /// Entities decoded, or why one could not be.
    public let entities: [Result<EntityState, JSONError>]
    /// For each entity, its bytes as sent when they are already canonical
    /// (the hub sends what it stores): stored as they came, not encoded again.
    public let canonicalBytes: [[UInt8]?]
    /// The cursor to ask from next time.
    public let next: Int64
    /// More pages are waiting.
    public let more: Bool

    public static func encode(encodedStates: [[UInt8]], next: Int64, more: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: encodedStates.reduce(64) { $0 + $1.count + 1 })
        writer.raw("{\"entities\":[")
        for (index, state) in encodedStates.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw(state)
        }
        writer.raw("],\"next\":\"")
        writer.int(next)
        writer.raw("\",\"more\":")
        writer.bool(more)
        writer.raw("}")
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> PullPage {
        try JSONReader.read(bytes) { reader in
            try reader.beginObject(tr("the pull response", zh: "下载应答"))
            var entities: [Result<EntityState, JSONError>] = []
            var canonical: [[UInt8]?] = []
            var next: Int64?
            var more = false
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "entities":
                    try reader.beginArray(key)
                    var firstItem = true
                    while try reader.nextElement(&firstItem) {
                        let start = reader.offset
                        do {
                            let (state, range) = try EntityState.decodeJSONNotingCanonical(from: &reader)
                            entities.append(.success(state))
                            canonical.append(range.map { [UInt8](UnsafeBufferPointer(rebasing: reader.buffer[$0])) })
                        } catch let error as JSONError where error.isSchemaError {
                            reader.rewind(to: start)
                            try reader.skipValue(depth: 1)
                            entities.append(.failure(error))
                            canonical.append(nil)
                        }
                    }
                case "next":
                    let text = try reader.readString(key)
                    guard let value = Int64(text), value >= 0 else {
                        throw reader.schemaError(tr("'next' is not a cursor", zh: "'next' 不是有效的下载位置"))
                    }
                    next = value
                case "more":
                    more = try reader.readBool(key)
                default:
                    try reader.skipValue(depth: 1)
                }
            }
            guard let next else {
                throw reader.schemaError(tr("the pull response is missing 'next'", zh: "下载应答缺少 'next'"))
            }
            return PullPage(entities: entities, canonicalBytes: canonical, next: next, more: more)
        }
    }
}
