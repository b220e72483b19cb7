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
        // Who made each write is shown to operators: the same rule as for a local write's clerk.
        for stamp in state.stamps.values { try TextLimit.validateClerk(stamp.clerk) }
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
                        tr(
                            "is not a record field: use one of \(RecordField.allCases.map(\.rawValue).joined(separator: ", "))",
                            zh: "不是档案字段，可用的字段：\(RecordField.allCases.map(\.rawValue).joined(separator: ", "))")
                    )
                }
                let field = known[cursor].field
                for entry in entries {
                    if field == .tags, entry.value == nil {
                        throw ValidationError(field: "tags", tr("a tag cannot be null", zh: "标签不能为 null"))
                    }
                    try field.validate(entry.value, today: today)
                }
            }
            for field in RecordField.required where state.fields[field.rawValue] == nil {
                throw ValidationError(
                    field: field.rawValue,
                    tr("is required: every record has a name, sex and birth date", zh: "必须填写：每份档案都要有姓名、性别和出生日期"))
            }
        case .tally:
            let key = try TallyKey(entityID: state.id)
            guard key.station == state.station else {
                throw ValidationError(
                    field: "id",
                    tr(
                        "tally \(state.id) names station \(key.station) but belongs to \(state.station)",
                        zh: "月报数 \(state.id) 写的是卫生站 \(key.station)，但属于卫生站 \(state.station)"))
            }
            if let isKnownElement, !isKnownElement(key.element) {
                throw ValidationError(
                    field: "element",
                    tr(
                        "unknown data element '\(key.element)': see the catalog for the codes",
                        zh: "未知数据项 '\(key.element)'：数据项代码见目录"))
            }
            for (name, entries) in state.fields where name != deletedField {
                guard let field = TallyField(rawValue: name) else {
                    throw ValidationError(
                        field: String(name.prefix(40)),
                        tr("is not a tally field: use value or comment", zh: "不是月报数字段：请用 value 或 comment"))
                }
                for entry in entries { try field.validate(entry.value) }
            }
            guard state.fields[TallyField.value.rawValue] != nil else {
                throw ValidationError(field: "value", tr("is required for a tally", zh: "月报数必须填写此项"))
            }
        }
    }

    private func validateDeleted(_ state: EntityState) throws(ValidationError) {
        guard let entries = state.fields[deletedField] else {
            throw ValidationError(
                field: deletedField,
                tr("is missing: every write marks the entity alive or deleted", zh: "缺失：每次写入都要标明条目是否已删除"))
        }
        for entry in entries where entry.value != "true" && entry.value != "false" {
            throw ValidationError(
                field: deletedField, tr("must be \"true\" or \"false\"", zh: "应为 \"true\" 或 \"false\""))
        }
    }
}
