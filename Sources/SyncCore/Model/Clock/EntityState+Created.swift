extension EntityState {
    /// The state an entity has after its first write, by `node`: `values`
    /// set (register fields, sorted by name, each once) and `members` added
    /// to the set field `setField` (sorted, each once), built in one go.
    ///
    /// Equal to a new state given that write with `write(_:node:time:clerk:)`,
    /// which makes and sorts arrays field by field: the cost of every record
    /// an import adds. Debug builds check the two agree.
    package static func created(
        kind: EntityKind, id: String, station: String, node: String, time: Int64, clerk: String?,
        values: [(name: String, value: String)], setField: String, members: [String]
    ) -> EntityState {
        let dot = Dot(node: node, counter: 1)
        var named: [(name: String, values: [String])] = values.map { ($0.name, [$0.value]) }
        named.reserveCapacity(values.count + 2)
        // A first write stamps the deleted register: a concurrent delete shows as a conflict.
        named.append((deletedField, ["false"]))
        if !members.isEmpty { named.append((setField, members)) }
        named.sort { $0.name < $1.name }
        var slots: [FieldMap.Slot] = []
        slots.reserveCapacity(named.count)
        var entries: [FieldEntry] = []
        entries.reserveCapacity(values.count + 1 + members.count)
        for (name, fieldValues) in named {
            for value in fieldValues { entries.append(FieldEntry(dot: dot, value: value)) }
            slots.append(FieldMap.Slot(name: name, end: entries.count))
        }
        let state = EntityState(
            kind: kind, id: id, station: station,
            clock: VersionVector(sorted: [VersionVector.NodeCounter(node: node, counter: 1)]),
            fields: FieldMap(sortedSlots: slots, entries: entries),
            stamps: StampMap(sorted: [WriteStamp(dot: dot, time: time, clerk: clerk)]))
        assert(
            {
                var written = EntityState(kind: kind, id: id, station: station)
                let changes =
                    values.map { Change.set($0.name, $0.value) } + members.map { Change.addMember(setField, $0) }
                written.write(changes, node: node, time: time, clerk: clerk)
                return written == state
            }(), "a created state differs from the same write made field by field")
        return state
    }
}
