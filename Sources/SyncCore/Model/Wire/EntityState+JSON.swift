/// The JSON form of an entity state: the same bytes on the wire and in the
/// store. Documented in docs/protocol.md.
///
///     {"kind":"record","id":"…","station":"S01","clock":{"4f…":2},
///      "writes":[["4f…",1,1732300000000,"wang"],["4f…",2,1732300100000,null]],
///      "fields":{"name":[[0,"张三"]],"tags":[[0,"pregnant"],[1,"diabetes"]]}}
///
/// `writes` lists the writes (node, counter, time in ms, clerk) that entries
/// reference; each field entry is `[index into writes, value]`. The encoding
/// is canonical (sorted), so equal states have equal bytes.
extension EntityState {
    /// Limits that keep one state small and cheap to merge, whoever sent it.
    public enum Limits {
        public static let maxNodes = 256
        public static let maxWrites = 4096
        public static let maxEntriesPerField = 256
        public static let maxFields = 32
        /// No node makes 2^40 writes to one entity: a bigger counter is forged or corrupt.
        public static let maxCounter: UInt64 = 1 << 40
    }

    public func encodeJSON(into writer: inout JSONWriter) {
        // The referenced writes, sorted and unique; entries find their index
        // by binary search (no hashing: this runs for every stored state).
        var dots: [Dot] = []
        dots.reserveCapacity(stamps.count + 2)
        for entries in fields.values { for entry in entries { dots.append(entry.dot) } }
        dots.sort()
        var unique = 0
        for dot in dots where unique == 0 || dots[unique - 1] != dot {
            dots[unique] = dot
            unique += 1
        }
        dots.removeSubrange(unique...)
        func position(of dot: Dot) -> Int {
            var low = 0, high = dots.count - 1
            while low < high {
                let middle = (low + high) / 2
                if dots[middle] < dot { low = middle + 1 } else { high = middle }
            }
            return low
        }

        writer.raw("{\"kind\":")
        writer.string(kind.rawValue)
        writer.raw(",\"id\":")
        writer.string(id)
        writer.raw(",\"station\":")
        writer.string(station)
        // Fields are held in name order; the clock's pairs are sorted once
        // rather than each counter looked up again by key.
        writer.raw(",\"clock\":{")
        for (index, (node, counter)) in clock.counters.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { writer.comma() }
            writer.key(node)
            writer.uint(counter)
        }
        writer.raw("},\"writes\":[")
        // Both lists are sorted by dot: walk them together.
        let sortedStamps = stamps.values.sorted { $0.dot < $1.dot }
        var stampIndex = 0
        for (index, dot) in dots.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw(UInt8(ascii: "["))
            writer.string(dot.node)
            writer.comma()
            writer.uint(dot.counter)
            writer.comma()
            while stampIndex < sortedStamps.count, sortedStamps[stampIndex].dot < dot { stampIndex += 1 }
            let stamp =
                stampIndex < sortedStamps.count && sortedStamps[stampIndex].dot == dot ? sortedStamps[stampIndex] : nil
            writer.int(stamp?.time ?? 0)
            writer.comma()
            writer.string(stamp?.clerk)
            writer.raw(UInt8(ascii: "]"))
        }
        writer.raw("],\"fields\":{")
        for (index, (name, entries)) in fields.enumerated() {
            if index > 0 { writer.comma() }
            writer.key(name)
            writer.raw(UInt8(ascii: "["))
            for (entryIndex, entry) in entries.enumerated() {
                if entryIndex > 0 { writer.comma() }
                writer.raw(UInt8(ascii: "["))
                writer.uint(UInt64(position(of: entry.dot)))
                writer.comma()
                writer.string(entry.value)
                writer.raw(UInt8(ascii: "]"))
            }
            writer.raw(UInt8(ascii: "]"))
        }
        writer.raw("}}")
    }

    /// The canonical bytes of this state.
    public func encodedJSON() -> [UInt8] {
        var writer = JSONWriter(capacity: 600)
        encodeJSON(into: &writer)
        return writer.bytes
    }

    /// An entity's keys, in the order `encodeJSON` writes them.
    private static let canonicalKeys = ["kind", "id", "station", "clock", "writes", "fields"]

    /// Decodes one state, checking its shape: required keys present, no
    /// unknown keys, every entry's write listed, every write in the clock,
    /// and the limits above. Field names and values are checked by
    /// `EntitySchema`, not here.
    public static func decodeJSON(from reader: inout JSONReader) throws(JSONError) -> EntityState {
        var inOrder = true
        return try decodeJSON(from: &reader, inOrder: &inOrder)
    }

    /// Decodes one state and says where its bytes are, when they are exactly
    /// what `encodeJSON` would write for it: the receiver can store them as
    /// they came instead of encoding the state again.
    public static func decodeJSONNotingCanonical(from reader: inout JSONReader) throws(JSONError)
        -> (state: EntityState, canonical: Range<Int>?)
    {
        _ = try reader.peek()
        let start = reader.offset
        reader.irregular = false
        var inOrder = true
        let state = try decodeJSON(from: &reader, inOrder: &inOrder)
        return (state, inOrder && !reader.irregular ? start..<reader.offset : nil)
    }

    /// The decoder. `inOrder` is cleared when anything was not as
    /// `encodeJSON` writes it: keys, clock nodes, writes (each referenced),
    /// field names and a field's entries in order, no empty field.
    private static func decodeJSON(from reader: inout JSONReader, inOrder: inout Bool) throws(JSONError) -> EntityState
    {
        try reader.beginObject("an entity")
        let canonicalKeys = Self.canonicalKeys
        var keysRead = 0
        var kind: EntityKind?
        var id: String?
        var station: String?
        var clock: VersionVector?
        var writes: [WriteStamp]?
        var rawFields: RawFields?
        var first = true
        while let key = try reader.nextKey(&first) {
            if keysRead >= canonicalKeys.count || key != canonicalKeys[keysRead] { inOrder = false }
            keysRead += 1
            switch key {
            case "kind":
                let text = try reader.readString("kind")
                guard let value = EntityKind(rawValue: text) else {
                    throw reader.schemaError("unknown entity kind '\(text.prefix(40))': use record or tally")
                }
                kind = value
            case "id":
                id = try reader.readString("id")
            case "station":
                station = try reader.readString("station")
            case "clock":
                clock = try decodeClock(&reader, inOrder: &inOrder)
            case "writes":
                writes = try decodeWrites(&reader)
            case "fields":
                rawFields = try decodeFields(&reader, inOrder: &inOrder)
            default:
                throw reader.schemaError("unknown key '\(key.prefix(40))' in an entity")
            }
        }
        guard let kind else { throw reader.schemaError("an entity is missing 'kind'") }
        guard let id else { throw reader.schemaError("an entity is missing 'id'") }
        guard let station else { throw reader.schemaError("\(id.prefix(40)) is missing 'station'") }
        guard let clock else { throw reader.schemaError("\(id.prefix(40)) is missing 'clock'") }
        if keysRead != canonicalKeys.count { inOrder = false }
        let writeList = writes ?? []
        let writesAscending = writeList.indices.dropFirst().allSatisfy { writeList[$0 - 1].dot < writeList[$0].dot }
        if !writesAscending { inOrder = false }
        for write in writeList {
            guard write.dot.counter >= 1, clock.contains(write.dot) else {
                throw reader.schemaError("\(id.prefix(40)): write \(write.dot) is not in the entity's clock")
            }
        }
        // Strictly ascending writes hold no duplicates: only others are sorted to look.
        if !writesAscending {
            let sorted = writeList.map(\.dot).sorted()
            for index in sorted.indices.dropFirst() where sorted[index] == sorted[index - 1] {
                throw reader.schemaError("\(id.prefix(40)): write \(sorted[index]) is listed twice")
            }
        }
        var referenced = [Bool](repeating: false, count: writeList.count)
        var fields = FieldMap()
        let raw = rawFields ?? RawFields()
        fields.reserveCapacity(raw.names.count)
        var next = 0
        for (fieldIndex, name) in raw.names.enumerated() {
            // A field's entries are contiguous, in the order read.
            let start = next
            while next < raw.entries.count, raw.entries[next].field == fieldIndex { next += 1 }
            guard next > start else {
                inOrder = false  // an empty field is dropped, and not written back
                continue
            }
            var entries: [FieldEntry] = []
            entries.reserveCapacity(next - start)
            for (_, index, value) in raw.entries[start..<next] {
                guard index < writeList.count else {
                    throw reader.schemaError(
                        "\(id.prefix(40)): field '\(name.prefix(40))' names write \(index), but only \(writeList.count) are listed"
                    )
                }
                referenced[index] = true
                let entry = FieldEntry(dot: writeList[index].dot, value: value)
                if let last = entries.last, !(last < entry) { inOrder = false }
                entries.append(entry)
            }
            if entries.count > 1 {
                entries.sort()
                for index in entries.indices.dropFirst() where entries[index] == entries[index - 1] {
                    throw reader.schemaError("\(id.prefix(40)): field '\(name.prefix(40))' lists one entry twice")
                }
                if !kind.isSetField(name) {
                    for index in entries.indices.dropFirst() where entries[index].dot == entries[index - 1].dot {
                        throw reader.schemaError(
                            "\(id.prefix(40)): field '\(name.prefix(40))' has two values from one write")
                    }
                }
            }
            fields[name] = entries
        }
        // Who/when of the writes entries reference; unreferenced ones are dropped,
        // as a local write would.
        var stamps: [Dot: WriteStamp] = [:]
        stamps.reserveCapacity(writeList.count)
        for (index, write) in writeList.enumerated() {
            // An unreferenced write is dropped, and not written back.
            if referenced[index] { stamps[write.dot] = write } else { inOrder = false }
        }
        return EntityState(kind: kind, id: id, station: station, clock: clock, fields: fields, stamps: stamps)
    }

    /// Decodes a whole buffer holding one state.
    public static func decodeJSON(_ bytes: [UInt8]) throws(JSONError) -> EntityState {
        do {
            return try JSONReader.read(bytes) { reader in
                let state = try decodeJSON(from: &reader)
                try reader.expectEnd()
                return state
            }
        } catch let error as JSONError {
            throw error
        } catch {
            fatalError("unreachable: JSONReader throws JSONError only")
        }
    }

    private static func decodeClock(_ reader: inout JSONReader, inOrder: inout Bool) throws(JSONError) -> VersionVector
    {
        try reader.beginObject("clock")
        var counters: [String: UInt64] = [:]
        var first = true
        var previous: String?
        while let node = try reader.nextKey(&first) {
            if let previous, !(previous < node) { inOrder = false }
            previous = node
            guard Identifiers.isToken(node, maxLength: 64) else {
                throw reader.schemaError("clock names '\(node.prefix(70))', which is not a node id")
            }
            let counter = try reader.readUInt64("a clock counter")
            guard counter >= 1, counter <= Limits.maxCounter else {
                throw reader.schemaError(
                    "clock counter \(counter) for node \(node) is out of range (1…\(Limits.maxCounter))")
            }
            guard counters.updateValue(counter, forKey: node) == nil else {
                throw reader.schemaError("clock names node \(node) twice")
            }
            guard counters.count <= Limits.maxNodes else {
                throw reader.schemaError("clock names more than \(Limits.maxNodes) nodes")
            }
        }
        return VersionVector(counters)
    }

    private static func decodeWrites(_ reader: inout JSONReader) throws(JSONError) -> [WriteStamp] {
        try reader.beginArray("writes")
        var writes: [WriteStamp] = []
        var first = true
        while try reader.nextElement(&first) {
            guard writes.count < Limits.maxWrites else {
                throw reader.schemaError("more than \(Limits.maxWrites) writes in one entity")
            }
            try reader.beginArray("a write")
            var inner = true
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError("a write is [node, counter, time, clerk]")
            }
            let node = try reader.readString("a write's node")
            guard Identifiers.isToken(node, maxLength: 64) else {
                throw reader.schemaError("'\(node.prefix(70))' is not a node id")
            }
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError("a write is [node, counter, time, clerk]")
            }
            let counter = try reader.readUInt64("a write's counter")
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError("a write is [node, counter, time, clerk]")
            }
            let time = try reader.readInt64("a write's time")
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError("a write is [node, counter, time, clerk]")
            }
            let clerk = try reader.readStringOrNull("a write's clerk")
            if let clerk, clerk.utf8.count > TextLimit.clerk {
                throw reader.schemaError("a clerk name is longer than \(TextLimit.clerk) bytes")
            }
            guard try !reader.nextElement(&inner) else {
                throw reader.schemaError("a write is [node, counter, time, clerk]")
            }
            writes.append(WriteStamp(dot: Dot(node: node, counter: counter), time: time, clerk: clerk))
        }
        return writes
    }

    /// A state's fields as read, before their writes are known: two flat
    /// arrays rather than an array per field (one allocation each, not one
    /// per field).
    private struct RawFields {
        var names: [String] = []
        /// Each entry's field (an index into `names`), write index and value.
        var entries: [(field: Int, write: Int, value: String?)] = []
    }

    private static func decodeFields(_ reader: inout JSONReader, inOrder: inout Bool) throws(JSONError) -> RawFields {
        try reader.beginObject("fields")
        var fields = RawFields()
        fields.names.reserveCapacity(16)
        fields.entries.reserveCapacity(16)
        var first = true
        while let name = try reader.nextKey(&first) {
            // At most 32 names: a scan is cheaper than hashing.
            guard !fields.names.contains(name) else {
                throw reader.schemaError("field '\(name.prefix(40))' appears twice")
            }
            guard fields.names.count < Limits.maxFields else {
                throw reader.schemaError("more than \(Limits.maxFields) fields")
            }
            if let previous = fields.names.last, !(previous < name) { inOrder = false }
            let fieldIndex = fields.names.count
            fields.names.append(name)
            try reader.beginArray("field '\(name.prefix(40))'")
            var count = 0
            var inner = true
            while try reader.nextElement(&inner) {
                guard count < Limits.maxEntriesPerField else {
                    throw reader.schemaError(
                        "field '\(name.prefix(40))' has more than \(Limits.maxEntriesPerField) entries")
                }
                try reader.beginArray("an entry of '\(name.prefix(40))'")
                var pair = true
                guard try reader.nextElement(&pair) else {
                    throw reader.schemaError("an entry is [write index, value]")
                }
                let index = try reader.readUInt64("a write index")
                guard try reader.nextElement(&pair) else {
                    throw reader.schemaError("an entry is [write index, value]")
                }
                let value = try reader.readStringOrNull("the value of '\(name.prefix(40))'")
                guard try !reader.nextElement(&pair) else {
                    throw reader.schemaError("an entry is [write index, value]")
                }
                fields.entries.append((fieldIndex, Int(clamping: index), value))
                count += 1
            }
        }
        return fields
    }
}
