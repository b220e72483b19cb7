import SyncModel

/// The residents a station already holds, by ID number and by name, birth
/// date and village: how an import tells a row already present from a new
/// person, and how a second record for one ID number is refused.
public struct ResidentIndex: Sendable {
    private var byIDNumber: [String: String] = [:]
    private var byPerson: [String: [String]] = [:]
    private var states: [String: EntityState] = [:]

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
        for state in try store.entities(.record) { add(state) }
    }

    public mutating func add(_ state: EntityState) {
        states[state.id] = state
        if let number = state.value(RecordField.idNumber.rawValue) { byIDNumber[number] = state.id }
        byPerson[Self.personKey(state.value("name"), state.value("birth"), state.value("village")), default: []]
            .append(state.id)
    }

    private static func personKey(_ name: String?, _ birth: String?, _ village: String?) -> String {
        [name ?? "", birth ?? "", village ?? ""].joined(separator: "\u{1F}")
    }

    /// How `values` (as they would be stored) relate to the records held.
    public func match(_ values: [RecordField: String], tags: [KeyPopulation] = []) -> Match {
        let values = values.reduce(into: [RecordField: String]()) {
            $0[$1.key] = EntryNormalisation.normalise($1.value, for: $1.key)
        }
        func same(_ id: String) -> Bool {
            guard let state = states[id] else { return false }
            return values.allSatisfy { state.value($0.key.rawValue) == $0.value }
                && Set(tags.map(\.rawValue)).isSubset(of: Set(state.members(RecordField.tags.rawValue)))
        }
        if let number = values[.idNumber], let id = byIDNumber[number] {
            return same(id) ? .alreadyPresent(id: id) : .idNumberTaken(id: id, name: states[id]?.value("name") ?? "")
        }
        let key = Self.personKey(values[.name], values[.birth], values[.village])
        for id in byPerson[key] ?? [] where same(id) { return .alreadyPresent(id: id) }
        if values[.idNumber] == nil, let id = byPerson[key]?.first { return .likelyDuplicate(id: id) }
        return .new
    }
}
