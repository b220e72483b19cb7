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
        var dots = fields.allEntries.map(\.dot)
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
        // Fields and the clock's nodes are held in name order.
        writer.raw(",\"clock\":{")
        for (index, entry) in clock.nodeCounters.enumerated() {
            if index > 0 { writer.comma() }
            writer.key(entry.node)
            writer.uint(entry.counter)
        }
        writer.raw("},\"writes\":[")
        // Both lists are sorted by dot: walk them together.
        let sortedStamps = stamps.values
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
    private enum Key: Int, CaseIterable {
        case kind, id, station, clock, writes, fields
    }
    private static let keys = KnownNames(["kind", "id", "station", "clock", "writes", "fields"])
    private static let kinds = KnownNames(EntityKind.allCases.map(\.rawValue))

    /// The field names of both kinds, matched without making a `String`
    /// (an unknown name is read as text, and refused by the schema).
    private static let fieldNames = KnownNames(
        Array(Set(RecordField.allCases.map(\.rawValue) + TallyField.allCases.map(\.rawValue) + [deletedField]))
            .sorted())

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
        try reader.beginObject(tr("an entity", zh: "条目"))
        var keysRead = 0
        var kind: EntityKind?
        var id: String?
        var station: String?
        var clock: VersionVector?
        var writes: [WriteStamp]?
        var rawFields: RawFields?
        var first = true
        var hint = 0
        while let match = try reader.nextKey(&first, among: Self.keys, hint: &hint) {
            guard case .known(let index) = match, let key = Key(rawValue: index) else {
                let text: String
                if case .other(let other) = match { text = other } else { text = "" }
                throw reader.schemaError(
                    tr("unknown key '\(text.prefix(40))' in an entity", zh: "条目中有未知的键 '\(text.prefix(40))'"))
            }
            if key.rawValue != keysRead { inOrder = false }
            keysRead += 1
            switch key {
            case .kind:
                if let index = reader.readCanonicalString(among: Self.kinds) {
                    kind = EntityKind.allCases[index]
                    continue
                }
                let text = try reader.readString("kind")
                guard let value = EntityKind(rawValue: text) else {
                    throw reader.schemaError(
                        tr(
                            "unknown entity kind '\(text.prefix(40))': use record or tally",
                            zh: "未知的条目类型 '\(text.prefix(40))'：应为 record 或 tally"))
                }
                kind = value
            case .id:
                id = try reader.readString("id")
            case .station:
                station = try reader.readString("station")
            case .clock:
                clock = try decodeClock(&reader, inOrder: &inOrder)
            case .writes:
                writes = try decodeWrites(&reader, node: clock?.nodeCounters.first?.node)
            case .fields:
                rawFields = try decodeFields(&reader, inOrder: &inOrder)
            }
        }
        guard let kind else { throw reader.schemaError(tr("an entity is missing 'kind'", zh: "条目缺少 'kind'")) }
        guard let id else { throw reader.schemaError(tr("an entity is missing 'id'", zh: "条目缺少 'id'")) }
        guard let station else {
            throw reader.schemaError(tr("\(id.prefix(40)) is missing 'station'", zh: "\(id.prefix(40)) 缺少 'station'"))
        }
        guard let clock else {
            throw reader.schemaError(tr("\(id.prefix(40)) is missing 'clock'", zh: "\(id.prefix(40)) 缺少 'clock'"))
        }
        if keysRead != Key.allCases.count { inOrder = false }
        let writeList = writes ?? []
        let writesAscending = writeList.indices.dropFirst().allSatisfy { writeList[$0 - 1].dot < writeList[$0].dot }
        if !writesAscending { inOrder = false }
        for write in writeList {
            guard write.dot.counter >= 1, clock.contains(write.dot) else {
                throw reader.schemaError(
                    tr(
                        "\(id.prefix(40)): write \(write.dot) is not in the entity's clock",
                        zh: "\(id.prefix(40))：写入 \(write.dot) 不在条目的时钟中"))
            }
        }
        // Strictly ascending writes hold no duplicates: only others are sorted to look.
        if !writesAscending {
            let sorted = writeList.map(\.dot).sorted()
            for index in sorted.indices.dropFirst() where sorted[index] == sorted[index - 1] {
                throw reader.schemaError(
                    tr(
                        "\(id.prefix(40)): write \(sorted[index]) is listed twice",
                        zh: "\(id.prefix(40))：写入 \(sorted[index]) 列出了两次"))
            }
        }
        // Which writes some entry references: a bit each (an array only
        // for more than 64 writes, which no ordinary state has).
        var referencedBits: UInt64 = 0
        var referencedMany = writeList.count > 64 ? [Bool](repeating: false, count: writeList.count) : []
        var raw = rawFields ?? RawFields()
        rawFields = nil
        // Moved out, so that filling in the dots copies nothing.
        var entries = raw.entries
        raw.entries = []
        var start = 0
        var emptyField = false
        for slot in raw.slots {
            let name = slot.name
            let range = start..<slot.end
            start = slot.end
            guard !range.isEmpty else {
                emptyField = true
                inOrder = false  // an empty field is dropped, and not written back
                continue
            }
            var ascending = true
            for position in range {
                // Until now the entry's dot held only its write's index.
                let index = Int(clamping: entries[position].dot.counter)
                guard index < writeList.count else {
                    throw reader.schemaError(
                        tr(
                            "\(id.prefix(40)): field '\(name.prefix(40))' names write \(index), but only \(writeList.count) are listed",
                            zh: "\(id.prefix(40))：字段 '\(name.prefix(40))' 引用写入 \(index)，但只列出了 \(writeList.count) 个写入")
                    )
                }
                if index < 64 { referencedBits |= 1 << UInt64(index) } else { referencedMany[index] = true }
                entries[position] = FieldEntry(dot: writeList[index].dot, value: entries[position].value)
                if position > range.lowerBound, !(entries[position - 1] < entries[position]) { ascending = false }
            }
            guard range.count > 1 else { continue }
            if !ascending {
                inOrder = false
                entries[range].sort()
            }
            for position in range.dropFirst() where entries[position] == entries[position - 1] {
                throw reader.schemaError(
                    tr(
                        "\(id.prefix(40)): field '\(name.prefix(40))' lists one entry twice",
                        zh: "\(id.prefix(40))：字段 '\(name.prefix(40))' 把同一项列出了两次"))
            }
            if !kind.isSetField(name) {
                for position in range.dropFirst() where entries[position].dot == entries[position - 1].dot {
                    throw reader.schemaError(
                        tr(
                            "\(id.prefix(40)): field '\(name.prefix(40))' has two values from one write",
                            zh: "\(id.prefix(40))：字段 '\(name.prefix(40))' 有两个值来自同一次写入"))
                }
            }
        }
        let fields: FieldMap
        if raw.namesAscending && !emptyField {
            fields = FieldMap(sortedSlots: raw.slots, entries: entries)
        } else {
            var map = FieldMap()
            var start = 0
            for slot in raw.slots {
                if slot.end > start { map[slot.name] = entries[start..<slot.end] }
                start = slot.end
            }
            fields = map
        }
        // Who/when of the writes entries reference; unreferenced ones are
        // dropped, as a local write would, and not written back.
        func isReferenced(_ index: Int) -> Bool {
            index < 64 ? referencedBits & (1 << UInt64(index)) != 0 : referencedMany[index]
        }
        var stamps: [WriteStamp]
        if writeList.indices.allSatisfy(isReferenced) {
            stamps = writeList
        } else {
            inOrder = false
            stamps = writeList.indices.filter(isReferenced).map { writeList[$0] }
        }
        if !writesAscending { stamps.sort { $0.dot < $1.dot } }
        return EntityState(
            kind: kind, id: id, station: station, clock: clock, fields: fields, stamps: StampMap(sorted: stamps))
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
        var counters: [VersionVector.NodeCounter] = []
        var first = true
        var ascending = true
        while let node = try reader.nextKey(&first) {
            if let previous = counters.last?.node, !(previous < node) {
                inOrder = false
                ascending = false
            }
            guard Identifiers.isToken(node, maxLength: 64) else {
                throw reader.schemaError(
                    tr(
                        "clock names '\(node.prefix(70))', which is not a node id",
                        zh: "时钟中的 '\(node.prefix(70))' 不是有效的节点编号"))
            }
            let counter = try reader.readUInt64(tr("a clock counter", zh: "时钟计数"))
            guard counter >= 1, counter <= Limits.maxCounter else {
                throw reader.schemaError(
                    tr(
                        "clock counter \(counter) for node \(node) is out of range (1…\(Limits.maxCounter))",
                        zh: "节点 \(node) 的时钟计数 \(counter) 超出范围（1…\(Limits.maxCounter)）"))
            }
            // Nodes in order cannot repeat; others are checked as they come.
            guard ascending || !counters.contains(where: { $0.node == node }) else {
                throw reader.schemaError(tr("clock names node \(node) twice", zh: "时钟中节点 \(node) 出现了两次"))
            }
            counters.append(VersionVector.NodeCounter(node: node, counter: counter))
            guard counters.count <= Limits.maxNodes else {
                throw reader.schemaError(
                    tr("clock names more than \(Limits.maxNodes) nodes", zh: "时钟中的节点超过 \(Limits.maxNodes) 个"))
            }
        }
        if !ascending { counters.sort { $0.node < $1.node } }
        return VersionVector(sorted: counters)
    }

    /// `node`: the clock's first, when it came before, as in canonical bytes.
    private static func decodeWrites(_ reader: inout JSONReader, node known: String?) throws(JSONError)
        -> [WriteStamp]
    {
        try reader.beginArray("writes")
        var writes: [WriteStamp] = []
        var first = true
        while try reader.nextElement(&first) {
            guard writes.count < Limits.maxWrites else {
                throw reader.schemaError(
                    tr("more than \(Limits.maxWrites) writes in one entity", zh: "一个条目中的写入超过 \(Limits.maxWrites) 个"))
            }
            if let (node, counter, time, clerk) = reader.readCanonicalWrite(node: known) {
                // Read whole: the checks below, in the same order.
                guard Identifiers.isToken(node, maxLength: 64) else {
                    throw reader.schemaError(
                        tr("'\(node.prefix(70))' is not a node id", zh: "'\(node.prefix(70))' 不是有效的节点编号"))
                }
                if let clerk, clerk.utf8.count > TextLimit.clerk {
                    throw reader.schemaError(
                        tr("a clerk name is longer than \(TextLimit.clerk) bytes", zh: "录入员姓名超过 \(TextLimit.clerk) 字节"))
                }
                writes.append(WriteStamp(dot: Dot(node: node, counter: counter), time: time, clerk: clerk))
                continue
            }
            try reader.beginArray(tr("a write", zh: "写入项"))
            var inner = true
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError(
                    tr("a write is [node, counter, time, clerk]", zh: "写入项应为 [node, counter, time, clerk]"))
            }
            let node = try reader.readString(tr("a write's node", zh: "写入项的节点"))
            guard Identifiers.isToken(node, maxLength: 64) else {
                throw reader.schemaError(
                    tr("'\(node.prefix(70))' is not a node id", zh: "'\(node.prefix(70))' 不是有效的节点编号"))
            }
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError(
                    tr("a write is [node, counter, time, clerk]", zh: "写入项应为 [node, counter, time, clerk]"))
            }
            let counter = try reader.readUInt64(tr("a write's counter", zh: "写入项的计数"))
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError(
                    tr("a write is [node, counter, time, clerk]", zh: "写入项应为 [node, counter, time, clerk]"))
            }
            let time = try reader.readInt64(tr("a write's time", zh: "写入项的时间"))
            guard try reader.nextElement(&inner) else {
                throw reader.schemaError(
                    tr("a write is [node, counter, time, clerk]", zh: "写入项应为 [node, counter, time, clerk]"))
            }
            let clerk = try reader.readStringOrNull(tr("a write's clerk", zh: "写入项的录入员"))
            if let clerk, clerk.utf8.count > TextLimit.clerk {
                throw reader.schemaError(
                    tr("a clerk name is longer than \(TextLimit.clerk) bytes", zh: "录入员姓名超过 \(TextLimit.clerk) 字节"))
            }
            guard try !reader.nextElement(&inner) else {
                throw reader.schemaError(
                    tr("a write is [node, counter, time, clerk]", zh: "写入项应为 [node, counter, time, clerk]"))
            }
            writes.append(WriteStamp(dot: Dot(node: node, counter: counter), time: time, clerk: clerk))
        }
        return writes
    }

    /// A state's fields as read, before their writes are known: in the
    /// layout of a `FieldMap`, each entry's dot holding only the index of
    /// its write until the writes are known.
    private struct RawFields {
        var slots: [FieldMap.Slot] = []
        var entries: [FieldEntry] = []
        /// Each name sorts after the one before, as `encodeJSON` writes them.
        var namesAscending = true
    }

    private static func decodeFields(_ reader: inout JSONReader, inOrder: inout Bool) throws(JSONError) -> RawFields {
        try reader.beginObject("fields")
        var fields = RawFields()
        fields.slots.reserveCapacity(16)
        fields.entries.reserveCapacity(16)
        var first = true
        let known = Self.fieldNames
        var hint = 0
        while let match = try reader.nextKey(&first, among: known, hint: &hint) {
            let name: String
            switch match {
            case .known(let index): name = known.names[index]
            case .other(let text): name = text
            }
            if let previous = fields.slots.last?.name, !(previous < name) {
                fields.namesAscending = false
                inOrder = false
            }
            // Names all in order so far cannot repeat; once one was out of
            // order, every later name is checked, even one that sorts after
            // the name before it. At most 32 names: a scan is cheaper than
            // hashing.
            if !fields.namesAscending, fields.slots.contains(where: { $0.name == name }) {
                throw reader.schemaError(
                    tr("field '\(name.prefix(40))' appears twice", zh: "字段 '\(name.prefix(40))' 出现了两次"))
            }
            guard fields.slots.count < Limits.maxFields else {
                throw reader.schemaError(tr("more than \(Limits.maxFields) fields", zh: "字段超过 \(Limits.maxFields) 个"))
            }
            try reader.beginArray(tr("field '\(name.prefix(40))'", zh: "字段 '\(name.prefix(40))'"))
            var count = 0
            var inner = true
            while try reader.nextElement(&inner) {
                guard count < Limits.maxEntriesPerField else {
                    throw reader.schemaError(
                        tr(
                            "field '\(name.prefix(40))' has more than \(Limits.maxEntriesPerField) entries",
                            zh: "字段 '\(name.prefix(40))' 的值超过 \(Limits.maxEntriesPerField) 项"))
                }
                if let (index, value) = reader.readCanonicalEntry() {
                    fields.entries.append(FieldEntry(dot: Dot(node: "", counter: index), value: value))
                    count += 1
                    continue
                }
                try reader.beginArray(tr("an entry of '\(name.prefix(40))'", zh: "'\(name.prefix(40))' 的一项"))
                var pair = true
                guard try reader.nextElement(&pair) else {
                    throw reader.schemaError(tr("an entry is [write index, value]", zh: "每一项应为 [写入序号, 值]"))
                }
                let index = try reader.readUInt64(tr("a write index", zh: "写入序号"))
                guard try reader.nextElement(&pair) else {
                    throw reader.schemaError(tr("an entry is [write index, value]", zh: "每一项应为 [写入序号, 值]"))
                }
                let value = try reader.readStringOrNull(
                    tr("the value of '\(name.prefix(40))'", zh: "'\(name.prefix(40))' 的值"))
                guard try !reader.nextElement(&pair) else {
                    throw reader.schemaError(tr("an entry is [write index, value]", zh: "每一项应为 [写入序号, 值]"))
                }
                fields.entries.append(FieldEntry(dot: Dot(node: "", counter: index), value: value))
                count += 1
            }
            fields.slots.append(FieldMap.Slot(name: name, end: fields.entries.count))
        }
        return fields
    }
}
