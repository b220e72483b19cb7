/// Checks that a state holds only fields its kind has, each candidate valid.
/// Applied to every state a node receives, whoever sent it.
public struct EntitySchema: Sendable {
    /// Says whether a data-element code is known (the catalog's job); nil
    /// accepts any well-formed code.
    public var isKnownElement: (@Sendable (String) -> Bool)?

    public init(isKnownElement: (@Sendable (String) -> Bool)? = nil) {
        self.isKnownElement = isKnownElement
    }

    public func validate(_ state: EntityState, today: CalendarDate? = nil) throws(ValidationError) {
        try Identifiers.validateStation(state.station)
        try validateDeleted(state)
        switch state.kind {
        case .record:
            try Identifiers.validateRecordID(state.id)
            // Both lists are in name order: walk them together.
            let known = RecordField.byNameInOrder
            var cursor = 0
            for (name, entries) in state.fields where name != deletedField {
                while cursor < known.count, known[cursor].name < name { cursor += 1 }
                guard cursor < known.count, known[cursor].name == name else {
                    throw ValidationError(
                        field: String(name.prefix(40)),
                        "is not a record field: use one of \(RecordField.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                let field = known[cursor].field
                for entry in entries {
                    if field == .tags, entry.value == nil {
                        throw ValidationError(field: "tags", "a tag cannot be null")
                    }
                    try field.validate(entry.value, today: today)
                }
            }
            for field in RecordField.required where state.fields[field.rawValue] == nil {
                throw ValidationError(field: field.rawValue, "is required: every record has a name, sex and birth date")
            }
        case .tally:
            let key = try TallyKey(entityID: state.id)
            guard key.station == state.station else {
                throw ValidationError(
                    field: "id", "tally \(state.id) names station \(key.station) but belongs to \(state.station)")
            }
            if let isKnownElement, !isKnownElement(key.element) {
                throw ValidationError(
                    field: "element", "unknown data element '\(key.element)': see the catalog for the codes")
            }
            for (name, entries) in state.fields where name != deletedField {
                guard let field = TallyField(rawValue: name) else {
                    throw ValidationError(field: String(name.prefix(40)), "is not a tally field: use value or comment")
                }
                for entry in entries { try field.validate(entry.value) }
            }
            guard state.fields[TallyField.value.rawValue] != nil else {
                throw ValidationError(field: "value", "is required for a tally")
            }
        }
    }

    private func validateDeleted(_ state: EntityState) throws(ValidationError) {
        guard let entries = state.fields[deletedField] else {
            throw ValidationError(field: deletedField, "is missing: every write marks the entity alive or deleted")
        }
        for entry in entries where entry.value != "true" && entry.value != "false" {
            throw ValidationError(field: deletedField, "must be \"true\" or \"false\"")
        }
    }
}
