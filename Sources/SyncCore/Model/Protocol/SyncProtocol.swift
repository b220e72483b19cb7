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

/// One entity of a push that the hub refused, and why.
public struct PushRejection: Error, Sendable, Equatable {
    /// Position in the pushed `entities` array.
    public let index: Int
    public let kind: String?
    public let id: String?
    /// Why, as the hub decided; nil in a rejection read back from the wire.
    public let cause: Cause?
    public let reason: String

    /// Why an entity was refused. On the wire each is carried as an HTTP
    /// status (docs/protocol.md), which the hub's server assigns.
    public enum Cause: Sendable, Equatable {
        /// The entity is another station's, or carries a stamp this station may not make.
        case forbidden
        /// The entity is not a valid state.
        case invalid
    }

    public init(index: Int, kind: String?, id: String?, cause: Cause?, reason: String) {
        self.index = index
        self.kind = kind
        self.id = id
        self.cause = cause
        self.reason = reason
    }
}

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
                try reader.beginObject("the push body")
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
                        throw reader.schemaError("unknown key '\(key.prefix(40))' in the push body: expected node and entities")
                    }
                }
                try reader.expectEnd()
                guard let node else { throw reader.schemaError("the push body is missing 'node'") }
                guard Identifiers.isToken(node, maxLength: 64) else {
                    throw reader.schemaError("'\(node.prefix(70))' is not a node id")
                }
                guard let entities else { throw reader.schemaError("the push body is missing 'entities'") }
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
                throw JSONError(.limit("more than \(SyncProtocol.maxPushEntities) entities in one push: send smaller batches"),
                                at: reader.offset)
            }
            let start = reader.offset
            do {
                let (state, range) = try EntityState.decodeJSONNotingCanonical(from: &reader)
                result.append(.success(state))
                canonical.append(range.map { [UInt8](UnsafeBufferPointer(rebasing: reader.buffer[$0])) })
            } catch where error.isSchemaError {
                // A shape error inside one entity: skip that entity (checking
                // its syntax) and go on with the rest.
                reader.rewind(to: start)
                let identity = peekIdentity(&reader)
                reader.rewind(to: start)
                try reader.skipValue(depth: 1)
                result.append(.failure(PushRejection(index: result.count, kind: identity.kind, id: identity.id,
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
            try reader.beginObject("an entity")
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
            try reader.beginObject("the push response")
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
                        try reader.beginObject("a rejection")
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
                        response.rejected.append(PushRejection(index: index, kind: kind, id: id, cause: nil, reason: reason))
                    }
                default: try reader.skipValue(depth: 1)
                }
            }
            return response
        }
    }
}

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
                    guard let value = Int64(text), value >= 0 else { throw reader.schemaError("'next' is not a cursor") }
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
