/// A push as the hub reads it: who sent it, and each entity decoded or refused.
public struct PushRequest {
    public let node: String
    public let entities: [Result<EntityState, PushRejection>]
    /// For each entity, its bytes as sent when they are already canonical
    /// (what the hub would store), else nil.
    public let canonicalBytes: [[UInt8]?]

    /// Builds a push body from states already encoded (the store keeps them encoded).
    public static func encode(node: String, encodedStates: [[UInt8]]) -> [UInt8] {
        var writer = JSONWriter(capacity: encodedStates.reduce(64) { $0 + $1.count + 1 })
        writer.raw("{\"node\":")
        writer.string(node)
        writer.raw(",\"entities\":[")
        for (index, state) in encodedStates.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw(state)
        }
        writer.raw("]}")
        return writer.bytes
    }

    /// Reads a push body. A body that is not JSON, or not a push, throws; an
    /// entity that is JSON but not a valid state is refused on its own, so
    /// one bad entity never blocks the others.
    public static func decode(_ bytes: [UInt8]) throws(JSONError) -> PushRequest {
        do {
            return try JSONReader.read(bytes) { reader in
                try reader.beginObject(tr("the push body", zh: "上传内容"))
                var node: String?
                var entities: [Result<EntityState, PushRejection>]?
                var canonical: [[UInt8]?] = []
                var first = true
                while let key = try reader.nextKey(&first) {
                    switch key {
                    case "node":
                        node = try reader.readString("node")
                    case "entities":
                        (entities, canonical) = try decodeEntities(&reader)
                    default:
                        throw reader.schemaError(
                            tr(
                                "unknown key '\(key.prefix(40))' in the push body: expected node and entities",
                                zh: "上传内容中有未知的键 '\(key.prefix(40))'：应为 node 和 entities"))
                    }
                }
                try reader.expectEnd()
                guard let node else {
                    throw reader.schemaError(tr("the push body is missing 'node'", zh: "上传内容缺少 'node'"))
                }
                guard Identifiers.isToken(node, maxLength: 64) else {
                    throw reader.schemaError(
                        tr("'\(node.prefix(70))' is not a node id", zh: "'\(node.prefix(70))' 不是有效的节点编号"))
                }
                guard let entities else {
                    throw reader.schemaError(tr("the push body is missing 'entities'", zh: "上传内容缺少 'entities'"))
                }
                return PushRequest(node: node, entities: entities, canonicalBytes: canonical)
            }
        } catch let error as JSONError {
            throw error
        } catch {
            fatalError("unreachable: the push decoder throws JSONError only")
        }
    }

    private static func decodeEntities(_ reader: inout JSONReader) throws(JSONError)
        -> ([Result<EntityState, PushRejection>], [[UInt8]?])
    {
        try reader.beginArray("entities")
        var result: [Result<EntityState, PushRejection>] = []
        var canonical: [[UInt8]?] = []
        var first = true
        while try reader.nextElement(&first) {
            guard result.count < SyncProtocol.maxPushEntities else {
                throw JSONError(
                    .limit(
                        tr(
                            "more than \(SyncProtocol.maxPushEntities) entities in one push: send smaller batches",
                            zh: "一次上传超过 \(SyncProtocol.maxPushEntities) 个条目：请分批上传")),
                    at: reader.offset)
            }
            let start = reader.offset
            do {
                let (state, range) = try EntityState.decodeJSONNotingCanonical(from: &reader)
                result.append(.success(state))
                canonical.append(range.map { [UInt8](UnsafeBufferPointer(rebasing: reader.buffer[$0])) })
            } catch  where error.isSchemaError {
                // A shape error inside one entity: skip that entity (checking
                // its syntax) and go on with the rest.
                reader.rewind(to: start)
                let identity = peekIdentity(&reader)
                reader.rewind(to: start)
                try reader.skipValue(depth: 1)
                result.append(
                    .failure(
                        PushRejection(
                            index: result.count, kind: identity.kind, id: identity.id,
                            cause: .invalid, reason: error.description)))
                canonical.append(nil)
            }
        }
        return (result, canonical)
    }

    /// The kind and id of a malformed entity, when they can be read, for the report.
    private static func peekIdentity(_ reader: inout JSONReader) -> (kind: String?, id: String?) {
        var kind: String?
        var id: String?
        do {
            try reader.beginObject(tr("an entity", zh: "条目"))
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "kind": kind = try reader.readString("kind")
                case "id": id = try reader.readString("id")
                default: try reader.skipValue(depth: 2)
                }
            }
        } catch {}
        return (kind.map { String($0.prefix(40)) }, id.map { String($0.prefix(80)) })
    }
}
