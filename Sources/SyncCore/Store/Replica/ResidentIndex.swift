import SyncModel

/// The residents a station already holds, by ID number and by name, birth
/// date and village: how an import tells a row already present from a new
/// person, and how a second record for one ID number is refused.
public struct ResidentIndex: Sendable {
    /// Positions in `held`, not ids: a table by the 36-character id, only
    /// to find a record again, cost a hash of the id for every row imported.
    private var byIDNumber: [TextKey: Int] = [:]
    private var byPerson: [TextKey: [Int]] = [:]
    private var held: [Entry] = []

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
        let states = try store.entities(.record)
        reserve(states.count)
        for state in states { add(Entry(state)) }
    }

    /// Makes room for `count` more records: an import knows about how many
    /// rows it brings, and tables grown step by step rehash every key again.
    public mutating func reserve(_ count: Int) {
        held.reserveCapacity(held.count + count)
        byIDNumber.reserveCapacity(byIDNumber.count + count)
        byPerson.reserveCapacity(byPerson.count + count)
    }

    /// Where a record is filed: by its ID number, and by name, birth date and village.
    fileprivate struct Keys: Sendable, Equatable {
        let idNumber: TextKey?
        let person: TextKey

        /// The keys of a record with these values, normalised (so composed already).
        init(normalised values: [RecordField: String]) {
            idNumber = values[.idNumber].map { TextKey(composed: $0) }
            person = TextKey(composed: values[.name], values[.birth], values[.village])
        }

        init(_ state: EntityState) {
            idNumber = state.value(RecordField.idNumber.rawValue).map { TextKey($0) }
            person = TextKey(state.value("name"), state.value("birth"), state.value("village"))
        }
    }

    /// What the index keeps of one record: its keys, its id, and the values
    /// a row is compared with. Not the whole state: an import of 100,000
    /// rows held 1.7 KB a row that way, and spent a tenth of a second
    /// freeing them as it ended. Made from a state on any thread (an import
    /// makes it as it builds the record).
    struct Entry: Sendable, Equatable {
        fileprivate let keys: Keys
        fileprivate let id: String
        /// What `state.value` gives for each of `fields`, in order.
        private let values: [String?]
        /// `allCases` once: it makes a new array at every call.
        private static let fields = RecordField.allCases
        private let tags: [String]

        init(_ state: EntityState) {
            keys = Keys(state)
            id = state.id
            values = Self.fields.map { state.value($0.rawValue) }
            tags = state.members(RecordField.tags.rawValue)
        }

        /// A new record's entry, from what built it: its values (normalised,
        /// without tags) and its tags, sorted, each once. Equal to the entry
        /// of its state, which is read field by field (debug builds check).
        init(newRecord state: EntityState, values fieldValues: [RecordField: String], sortedTags: [String]) {
            keys = Keys(normalised: fieldValues)
            id = state.id
            // A set field's value is its greatest entry: one write's, the last tag.
            // The dictionary walked once, not probed per field: each probe hashes.
            var values = [String?](repeating: nil, count: Self.fields.count)
            for (field, value) in fieldValues where field != .tags {
                values[Self.fields.firstIndex(of: field)!] = value
            }
            values[Self.fields.firstIndex(of: .tags)!] = sortedTags.last
            self.values = values
            tags = sortedTags
            assert(self == Entry(state), "a new record's entry differs from its state's")
        }

        fileprivate func value(_ field: RecordField) -> String? {
            values[Self.fields.firstIndex(of: field)!]
        }

        /// Whether a row with these values and tags adds nothing to this record.
        fileprivate func holds(_ normalised: [RecordField: String], tags rowTags: [KeyPopulation]) -> Bool {
            normalised.allSatisfy { value($0.key) == $0.value } && rowTags.allSatisfy { tags.contains($0.rawValue) }
        }
    }

    public mutating func add(_ state: EntityState) {
        add(Entry(state))
    }

    /// Adds a record just stored; its entry was made as it was built.
    public mutating func add(_ record: NewRecord) {
        add(record.indexEntry)
    }

    private mutating func add(_ entry: Entry) {
        // Each record is added once: the store's, then each one an import writes.
        let position = held.count
        held.append(entry)
        if let number = entry.keys.idNumber { byIDNumber[number] = position }
        byPerson[entry.keys.person, default: []].append(position)
    }

    /// How `values` (as they would be stored) relate to the records held.
    public func match(_ values: [RecordField: String], tags: [KeyPopulation] = []) -> Match {
        let normalised = EntryNormalisation.normalise(values)
        return match(normalised: normalised, keys: Keys(normalised: normalised), tags: tags)
    }

    /// How a built record relates to the records held (its values are normalised already).
    public func match(_ record: NewRecord) -> Match {
        match(normalised: record.values, keys: record.indexEntry.keys, tags: record.tags)
    }

    private func match(normalised: [RecordField: String], keys: Keys, tags: [KeyPopulation]) -> Match {
        if let number = keys.idNumber, let position = byIDNumber[number] {
            let entry = held[position]
            return entry.holds(normalised, tags: tags)
                ? .alreadyPresent(id: entry.id) : .idNumberTaken(id: entry.id, name: entry.value(.name) ?? "")
        }
        let people = byPerson[keys.person] ?? []
        for position in people where held[position].holds(normalised, tags: tags) {
            return .alreadyPresent(id: held[position].id)
        }
        if keys.idNumber == nil, let first = people.first { return .likelyDuplicate(id: held[first].id) }
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
        self.init(composed: EntryNormalisation.composed(text))
    }

    /// Text already in NFC (normalised entry text).
    init(composed text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// A person's name, birth date and village, joined by U+001F.
    init(_ name: String?, _ birth: String?, _ village: String?) {
        self.init(
            composed: EntryNormalisation.composed(name ?? ""), EntryNormalisation.composed(birth ?? ""),
            EntryNormalisation.composed(village ?? ""))
    }

    /// The same of text already in NFC.
    init(composed name: String?, _ birth: String?, _ village: String?) {
        let (name, birth, village) = (name ?? "", birth ?? "", village ?? "")
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
