import SyncModel

/// The residents a station already holds, by ID number and by name, birth
/// date and village: how an import tells a row already present from a new
/// person, and how a second record for one ID number is refused.
public struct ResidentIndex: Sendable {
    /// Positions in `states`, not ids: a table by the 36-character id, only
    /// to find a state again, cost a hash of the id for every row imported.
    private var byIDNumber: [TextKey: Int] = [:]
    private var byPerson: [TextKey: [Int]] = [:]
    private var states: [EntityState] = []

    /// What a new record would be to the records held.
    public enum Match: Equatable, Sendable {
        case new
        /// The same person, with every field given equal: nothing to add.
        case alreadyPresent(id: String)
        /// Another record holds this ID number.
        case idNumberTaken(id: String, name: String)
        /// No ID number to tell, but a record with the same name, birth date and village.
        case likelyDuplicate(id: String)
    }

    public init(_ store: ReplicaStore) throws {
        let held = try store.entities(.record)
        states.reserveCapacity(held.count)
        byIDNumber.reserveCapacity(held.count)
        byPerson.reserveCapacity(held.count)
        for state in held { add(state) }
    }

    /// Makes room for `count` more records: an import knows about how many
    /// rows it brings, and tables grown step by step rehash every key again.
    public mutating func reserve(_ count: Int) {
        states.reserveCapacity(states.count + count)
        byIDNumber.reserveCapacity(byIDNumber.count + count)
        byPerson.reserveCapacity(byPerson.count + count)
    }

    /// Where a record is filed: by its ID number, and by name, birth date and village.
    public struct Keys: Sendable {
        fileprivate let idNumber: TextKey?
        fileprivate let person: TextKey

        /// The keys of a record with these values, normalised.
        init(normalised values: [RecordField: String]) {
            idNumber = values[.idNumber].map(TextKey.init)
            person = TextKey(values[.name], values[.birth], values[.village])
        }

        init(_ state: EntityState) {
            idNumber = state.value(RecordField.idNumber.rawValue).map(TextKey.init)
            person = TextKey(state.value("name"), state.value("birth"), state.value("village"))
        }
    }

    public mutating func add(_ state: EntityState) {
        add(state, keys: Keys(state))
    }

    /// Adds a record just stored; its keys were computed as it was built.
    public mutating func add(_ record: NewRecord) {
        add(record.state, keys: record.indexKeys)
    }

    private mutating func add(_ state: EntityState, keys: Keys) {
        // Each record is added once: the store's, then each one an import writes.
        let position = states.count
        states.append(state)
        if let number = keys.idNumber { byIDNumber[number] = position }
        byPerson[keys.person, default: []].append(position)
    }

    /// How `values` (as they would be stored) relate to the records held.
    public func match(_ values: [RecordField: String], tags: [KeyPopulation] = []) -> Match {
        let normalised = EntryNormalisation.normalise(values)
        return match(normalised: normalised, keys: Keys(normalised: normalised), tags: tags)
    }

    /// How a built record relates to the records held (its values are normalised already).
    public func match(_ record: NewRecord) -> Match {
        match(normalised: record.values, keys: record.indexKeys, tags: record.tags)
    }

    private func match(normalised: [RecordField: String], keys: Keys, tags: [KeyPopulation]) -> Match {
        func same(_ position: Int) -> Bool {
            let state = states[position]
            return normalised.allSatisfy { state.value($0.key.rawValue) == $0.value }
                && Set(tags.map(\.rawValue)).isSubset(of: Set(state.members(RecordField.tags.rawValue)))
        }
        if let number = keys.idNumber, let position = byIDNumber[number] {
            let state = states[position]
            return same(position)
                ? .alreadyPresent(id: state.id) : .idNumberTaken(id: state.id, name: state.value("name") ?? "")
        }
        let people = byPerson[keys.person] ?? []
        for position in people where same(position) { return .alreadyPresent(id: states[position].id) }
        if keys.idNumber == nil, let first = people.first { return .likelyDuplicate(id: states[first].id) }
        return .new
    }
}

/// Text as the index compares it: the UTF-8 of its NFC form, byte for byte.
/// String's own `==` and hash follow canonical equivalence, which for
/// Chinese text meant a Unicode table lookup per scalar at every probe of the
/// tables; on NFC text the bytes decide exactly as canonical equivalence does.
///
/// Each key hashes its bytes once, as it is made: an import makes its keys
/// on the thread that builds records, and the thread that stores them only
/// probes the tables.
private struct TextKey: Hashable, Sendable {
    let bytes: [UInt8]
    private let hash: Int

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        hash = hasher.finalize()
    }

    static func == (lhs: TextKey, rhs: TextKey) -> Bool { lhs.hash == rhs.hash && lhs.bytes == rhs.bytes }

    init(_ text: String) {
        self.init(bytes: Array(EntryNormalisation.composed(text).utf8))
    }

    /// A person's name, birth date and village, joined by U+001F.
    init(_ name: String?, _ birth: String?, _ village: String?) {
        let (name, birth, village) = (
            EntryNormalisation.composed(name ?? ""), EntryNormalisation.composed(birth ?? ""),
            EntryNormalisation.composed(village ?? "")
        )
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + birth.utf8.count + village.utf8.count + 2)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x1F)
        bytes.append(contentsOf: birth.utf8)
        bytes.append(0x1F)
        bytes.append(contentsOf: village.utf8)
        self.init(bytes: bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}
