extension EntityState {
    private static let falseValue = ["false"]

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
        // The fields in name order: the values as given, with the deleted
        // register (a first write stamps it, so a concurrent delete shows as
        // a conflict) and the set field merged in where their names fall.
        let deleted = (name: deletedField, values: Self.falseValue)
        let set = (name: setField, values: members)
        let extras = deletedField < setField ? [deleted, set] : [set, deleted]
        var slots: [FieldMap.Slot] = []
        slots.reserveCapacity(values.count + 2)
        var entries: [FieldEntry] = []
        entries.reserveCapacity(values.count + 1 + members.count)
        var next = 0
        func addExtras(before name: String?) {
            while next < extras.count, name.map({ extras[next].name < $0 }) ?? true {
                if !extras[next].values.isEmpty {
                    for value in extras[next].values { entries.append(FieldEntry(dot: dot, value: value)) }
                    slots.append(FieldMap.Slot(name: extras[next].name, end: entries.count))
                }
                next += 1
            }
        }
        for (name, value) in values {
            assert(name != deletedField && name != setField, "\(name) is set apart")
            addExtras(before: name)
            entries.append(FieldEntry(dot: dot, value: value))
            slots.append(FieldMap.Slot(name: name, end: entries.count))
        }
        addExtras(before: nil)
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
