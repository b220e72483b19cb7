/// The replicated state of one entity: its causal history (a version vector),
/// and for each field the candidate values that no known write superseded.
///
/// States form a join-semilattice: `merged(with:)` is idempotent,
/// commutative and associative, so replicas that have exchanged the same
/// states hold the same state, whatever the order.
public struct EntityState: Equatable, Sendable {
    public let kind: EntityKind
    public let id: String
    /// The home station, which owns the entity.
    public let station: String
    /// Every write to this entity that this state has seen.
    public internal(set) var clock: VersionVector
    /// Field name → live entries, sorted. A register field with entries of
    /// two or more distinct values is in conflict; a set field's entries
    /// are its members.
    public internal(set) var fields: FieldMap
    /// Who and when, for every dot that some entry still references.
    public internal(set) var stamps: StampMap

    public init(kind: EntityKind, id: String, station: String) {
        self.kind = kind
        self.id = id
        self.station = station
        self.clock = VersionVector()
        self.fields = FieldMap()
        self.stamps = StampMap()
    }

    init(
        kind: EntityKind, id: String, station: String, clock: VersionVector,
        fields: FieldMap, stamps: StampMap
    ) {
        self.kind = kind
        self.id = id
        self.station = station
        self.clock = clock
        self.fields = fields
        self.stamps = stamps
    }

    // MARK: - Reading

    /// The distinct candidate values of a register field, most recent dot first.
    public func candidates(_ field: String) -> [FieldEntry] {
        var seen: Set<String?> = []
        return (fields[field] ?? []).sorted(by: >).filter { seen.insert($0.value).inserted }
    }

    /// Whether a register field holds two or more distinct values.
    public func isInConflict(_ field: String) -> Bool {
        isConflict(field, fields[field] ?? [])
    }

    /// Whether `entries` of `field` are two or more distinct values of a register.
    private func isConflict(_ field: String, _ entries: ArraySlice<FieldEntry>) -> Bool {
        guard entries.count > 1, !kind.isSetField(field) else { return false }
        let first = entries[entries.startIndex].value
        return entries.contains { $0.value != first }
    }

    /// Register fields in conflict, sorted.
    public var conflictingFields: [String] {
        fields.filter { isConflict($0.key, $0.value) }.map(\.key)
    }

    public var hasConflict: Bool { fields.contains { isConflict($0.key, $0.value) } }

    /// The value every node shows: the candidate with the greatest dot.
    public func value(_ field: String) -> String? {
        fields[field]?.max()?.value
    }

    /// A set field's members, sorted.
    public func members(_ field: String) -> [String] {
        Array(Set((fields[field] ?? []).compactMap(\.value))).sorted()
    }

    /// Whether some field still holds a value set by the write `dot`.
    public func holdsWrite(_ dot: Dot) -> Bool {
        fields.containsEntry { $0.dot == dot }
    }

    /// Deleted, and no concurrent edit disputes it.
    public var isDeleted: Bool { value(deletedField) == "true" }

    // MARK: - Local writes

    /// A change a local write makes.
    public enum Change: Sendable, Equatable {
        case set(String, String?)
        case addMember(String, String)
        case removeMember(String, String)

        /// The field it changes.
        public var field: String {
            switch self {
            case .set(let field, _), .addMember(let field, _), .removeMember(let field, _): field
            }
        }
    }

    /// Applies a local write by `node`: one new dot, which supersedes every
    /// entry this state holds for the fields it touches. Every write also
    /// stamps the deleted register, so a concurrent delete shows as a conflict.
    @discardableResult
    package mutating func write(_ changes: [Change], node: String, time: Int64, clerk: String?) -> Dot {
        let dot = clock.increment(node)
        var touchesDeleted = false
        for change in changes {
            switch change {
            case .set(let field, let value):
                fields[field] = [FieldEntry(dot: dot, value: value)]
                touchesDeleted = touchesDeleted || field == deletedField
            case .addMember(let field, let member):
                var entries = (fields[field] ?? []).filter { $0.value != member }
                entries.append(FieldEntry(dot: dot, value: member))
                fields[field] = ArraySlice(entries.sorted())
            case .removeMember(let field, let member):
                let entries = (fields[field] ?? []).filter { $0.value != member }
                fields[field] = entries.isEmpty ? nil : ArraySlice(entries)
            }
        }
        // A write keeps the entity as it is (alive, or deleted when a conflict
        // on a deleted record is settled). A delete register already in
        // conflict is left for its own resolution.
        if !touchesDeleted && !isInConflict(deletedField) {
            fields[deletedField] = [FieldEntry(dot: dot, value: value(deletedField) ?? "false")]
        }
        stamps[dot] = WriteStamp(dot: dot, time: time, clerk: clerk)
        pruneStamps()
        return dot
    }

    /// Drops who/when data of writes no entry references any more. This is
    /// audit metadata, not the clock: the clock is never pruned.
    mutating func pruneStamps() {
        var live = fields.allEntries.map(\.dot)
        live.sort()
        stamps.keepOnly(sortedDots: live)
    }

    // MARK: - Merging

    /// The join of two states of the same entity.
    ///
    /// An entry survives if the other side holds it too, or if the other side
    /// never saw its write; an entry the other side saw and no longer holds
    /// was superseded there. Throws when the two states are of different
    /// entities or disagree about what one write set (a forged or corrupt
    /// history), rather than drop either value.
    public func merged(with other: EntityState) throws(MergeError) -> EntityState {
        guard kind == other.kind, id == other.id else {
            throw .differentEntities(kind: kind, id: id, otherKind: other.kind, otherID: other.id)
        }
        guard station == other.station else {
            throw .differentStations(id: id, station: station, otherStation: other.station)
        }
        if self == other { return self }
        var result = EntityState(kind: kind, id: id, station: station)
        result.clock = clock.merged(other.clock)
        for name in FieldMap.unionOfNames(fields, other.fields) {
            let mine = fields[name] ?? []
            let theirs = other.fields[name] ?? []
            if !kind.isSetField(name) {
                try Self.checkSameValues(mine, theirs, field: name, id: id)
            }
            let joined = Self.joined(mine, theirs, mineSeen: clock, theirsSeen: other.clock)
            if !joined.isEmpty {
                // Names come in order: each field goes on the end.
                result.fields.append(name, joined)
            }
        }
        // One write has one author and time; two states that disagree about
        // them were altered, and picking either would make the merge depend on order.
        for stamp in other.stamps.values {
            if let mine = stamps[stamp.dot], mine != stamp {
                throw .inconsistentHistory(id: id, field: "writes", dot: stamp.dot)
            }
        }
        result.stamps = stamps.merging(other.stamps)
        result.pruneStamps()
        return result
    }

    /// One field's entries after a join, sorted: those both sides hold, and
    /// those one side holds that the other never saw.
    ///
    /// Both lists are sorted and hold each entry once, so one walk finds
    /// which are on both sides, without hashing; two entries of one dot
    /// whose values sort alike (nil and "") take the slower way.
    private static func joined(
        _ mine: ArraySlice<FieldEntry>, _ theirs: ArraySlice<FieldEntry>, mineSeen: VersionVector,
        theirsSeen: VersionVector
    ) -> [FieldEntry] {
        var joined: [FieldEntry] = []
        joined.reserveCapacity(Swift.max(mine.count, theirs.count))
        var (i, j) = (mine.startIndex, theirs.startIndex)
        while i < mine.endIndex || j < theirs.endIndex {
            if j == theirs.endIndex || i < mine.endIndex && mine[i] < theirs[j] {
                if !theirsSeen.contains(mine[i].dot) { joined.append(mine[i]) }
                i += 1
            } else if i == mine.endIndex || theirs[j] < mine[i] {
                if !mineSeen.contains(theirs[j].dot) { joined.append(theirs[j]) }
                j += 1
            } else if mine[i] == theirs[j] {
                joined.append(mine[i])
                i += 1
                j += 1
            } else {
                let theirSet = Set(theirs)
                let mineSet = Set(mine)
                var joined = mine.filter { theirSet.contains($0) || !theirsSeen.contains($0.dot) }
                joined += theirs.filter { !mineSet.contains($0) && !mineSeen.contains($0.dot) }
                return joined.sorted()
            }
        }
        return joined
    }

    /// One write sets one value per register field: two states that give the
    /// same dot different values cannot both be true.
    private static func checkSameValues(
        _ mine: ArraySlice<FieldEntry>, _ theirs: ArraySlice<FieldEntry>, field: String, id: String
    ) throws(MergeError) {
        guard !mine.isEmpty, !theirs.isEmpty else { return }
        for entry in theirs {
            if let twin = mine.first(where: { $0.dot == entry.dot }), twin.value != entry.value {
                throw .inconsistentHistory(id: id, field: field, dot: entry.dot)
            }
        }
    }
}

/// Why two states could not be merged.
public enum MergeError: Error, Equatable, Sendable, CustomStringConvertible {
    case differentEntities(kind: EntityKind, id: String, otherKind: EntityKind, otherID: String)
    case differentStations(id: String, station: String, otherStation: String)
    case inconsistentHistory(id: String, field: String, dot: Dot)

    public var description: String {
        switch self {
        case .differentEntities(let kind, let id, let otherKind, let otherID):
            return tr(
                "cannot merge \(kind.rawValue) \(id) with \(otherKind.rawValue) \(otherID): they are different entities",
                zh: "无法合并\(kind.chineseName) \(id) 与\(otherKind.chineseName) \(otherID)：两者不是同一条目")
        case .differentStations(let id, let station, let otherStation):
            return tr(
                "\(id) belongs to station \(station), not \(otherStation): a record never changes its home station",
                zh: "\(id) 属于卫生站 \(station)，不属于 \(otherStation)：档案的所属卫生站不会改变")
        case .inconsistentHistory(let id, let field, let dot):
            return tr(
                "\(id): write \(dot) has two different values for field '\(field)'; the history was altered",
                zh: "\(id)：写入 \(dot) 给字段 '\(field)' 的值有两个不同版本；修改记录被改动过")
        }
    }
}
