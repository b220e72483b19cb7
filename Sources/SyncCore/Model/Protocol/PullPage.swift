/// A page of the hub's changes for one station.
public struct PullPage {
    /// Entities decoded, or why one could not be.
    public let entities: [Result<EntityState, JSONError>]
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
            try reader.beginObject("the pull response")
            var entities: [Result<EntityState, JSONError>] = []
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
                            entities.append(.success(try EntityState.decodeJSON(from: &reader)))
                        } catch let error as JSONError where error.isSchemaError {
                            reader.rewind(to: start)
                            try reader.skipValue(depth: 1)
                            entities.append(.failure(error))
                        }
                    }
                case "next":
                    let text = try reader.readString(key)
                    guard let value = Int64(text), value >= 0 else {
                        throw reader.schemaError("'next' is not a cursor")
                    }
                    next = value
                case "more":
                    more = try reader.readBool(key)
                default:
                    try reader.skipValue(depth: 1)
                }
            }
            guard let next else { throw reader.schemaError("the pull response is missing 'next'") }
            return PullPage(entities: entities, next: next, more: more)
        }
    }
}
