import Reporting
import SyncModel

/// How records, tallies and conflicts print, as text and as JSON. The JSON
/// shapes are documented in docs/cli.md and kept stable for scripts.
public enum EntityRendering {
    /// `{"id":…,"station":…,"name":…,…,"tags":[…],"deleted":false,"conflicts":{field:[candidate…]}}`
    public static func recordJSON(_ state: EntityState) -> JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(state.id)), ("station", .string(state.station))]
        for field in RecordField.allCases {
            let value: JSONValue =
                field == .tags ? .strings(state.members(field.rawValue)) : .string(state.value(field.rawValue))
            members.append((field.rawValue, value))
        }
        members.append(("deleted", .bool(state.isDeleted)))
        members.append(("conflicts", conflictsJSON(state)))
        return .object(members)
    }

    /// `{field: [{"n":1,"value":…,"node":…,"clerk":…,"time":…}, …]}` for fields in conflict.
    public static func conflictsJSON(_ state: EntityState) -> JSONValue {
        .object(
            state.conflictingFields.map { field in
                (
                    field,
                    .array(
                        state.candidates(field).enumerated().map { number, candidate in
                            let stamp = state.stamps[candidate.dot]
                            return .object([
                                ("n", .int(number + 1)), ("value", .string(candidate.value)),
                                ("node", .string(candidate.dot.node)),
                                ("clerk", .string(stamp?.clerk)),
                                ("time", .string(stamp.map { Timestamp.text($0.time) })),
                            ])
                        })
                )
            })
    }

    /// `{"id":…,"station":…,"element":…,"period":…,"value":12,"comment":…,"deleted":false,"conflicts":{…}}`
    public static func tallyJSON(_ state: EntityState) -> JSONValue {
        let key = try? TallyKey(entityID: state.id)
        return .object([
            ("id", .string(state.id)), ("station", .string(state.station)), ("element", .string(key?.element)),
            ("period", .string(key?.period.description)), ("value", .int(state.value("value").flatMap { Int($0) })),
            ("comment", .string(state.value("comment"))), ("deleted", .bool(state.isDeleted)),
            ("conflicts", conflictsJSON(state)),
        ])
    }

    /// `{"id":…,"kind":…,"station":…,"fields":[…]}`: one line of a conflict listing.
    public static func conflictSummaryJSON(_ state: EntityState) -> JSONValue {
        .object([
            ("id", .string(state.id)), ("kind", .string(state.kind.rawValue)), ("station", .string(state.station)),
            ("fields", .strings(state.conflictingFields)),
        ])
    }

    /// An entity's kind as a person reads it: its raw value in English,
    /// its Chinese name (档案, 月报数) in Chinese. JSON keeps the raw value.
    public static func kindName(_ kind: EntityKind) -> String {
        switch kind {
        case .record: tr(kind.rawValue, zh: "档案")
        case .tally: tr(kind.rawValue, zh: "月报数")
        }
    }

    /// A record field's name as `record show` prints it: its code in
    /// English; in Chinese its Chinese name, then the code `--set` takes.
    static func fieldLabel(_ name: String) -> String {
        let chinese: [String: String] = [
            "id": "编号", "station": "卫生站", "name": "姓名", "sex": "性别", "birth": "出生日期", "village": "村",
            "phone": "电话", "id_number": "身份证号", "household": "户号", "tags": "标签",
            "contract_date": "签约日期", "note": "备注",
        ]
        return tr(name, zh: chinese[name].map { "\($0) \(name)" } ?? name)
    }

    /// A value as a clerk reads it.
    public static func display(_ field: String, _ value: String?) -> String {
        guard let value else { return tr("(empty)", zh: "（空）") }
        if field == "deleted" {
            return value == "true" ? tr("deleted", zh: "已删除") : tr("kept (not deleted)", zh: "保留（未删除）")
        }
        return value
    }

    /// The record as aligned "field  value" lines, conflicts marked;
    /// `program` names the command that shows them. Like every text this
    /// type makes, safe for a terminal: values are shown escaped (`TerminalText`).
    public static func recordText(_ state: EntityState, program: String) -> String {
        var table = TextTable(headers: [tr("FIELD", zh: "字段"), tr("VALUE", zh: "内容")])
        table.add([fieldLabel("id"), state.id])
        table.add([fieldLabel("station"), state.station])
        for field in RecordField.allCases {
            let name = field.rawValue
            let value = field == .tags ? state.members(name).joined(separator: ", ") : (state.value(name) ?? "")
            table.add([
                fieldLabel(name), state.isInConflict(name) ? value + tr("  ⚠ in conflict", zh: "  ⚠ 有冲突") : value,
            ])
        }
        var text = table.render(maxColumnWidth: 60)
        if state.isDeleted { text += tr("\n(deleted)", zh: "\n（已删除）") }
        if state.hasConflict {
            let fields = state.conflictingFields.joined(separator: ", ")
            text += tr(
                "\nconflicts: " + fields + " — see `\(program) conflicts show \(state.id)`",
                zh: "\n冲突：" + fields + " — 用 `\(program) conflicts show \(state.id)` 查看")
        }
        return TerminalText.escaped(text, keepingLineBreaks: true)
    }

    /// Candidates side by side: number, value, who, node, when.
    public static func conflictText(_ state: EntityState, program: String) -> String {
        var lines = ["\(kindName(state.kind)) \(state.id)"]
        for field in state.conflictingFields {
            lines.append("")
            lines.append(tr("\(field):", zh: "\(field)："))
            var table = TextTable(
                headers: [
                    tr("N", zh: "序号"), tr("VALUE", zh: "内容"), tr("CLERK", zh: "录入员"), tr("NODE", zh: "节点"),
                    tr("WHEN", zh: "时间"),
                ], alignRight: [0])
            for (number, candidate) in state.candidates(field).enumerated() {
                let stamp = state.stamps[candidate.dot]
                table.add([
                    String(number + 1), display(field, candidate.value), stamp?.clerk ?? "", candidate.dot.node,
                    stamp.map { Timestamp.text($0.time) } ?? "",
                ])
            }
            lines.append(
                table.render(maxColumnWidth: 50).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        lines.append("")
        let field = state.conflictingFields.count > 1 ? " --field FIELD" : ""
        lines.append(
            tr(
                "settle with: \(program) conflicts resolve \(state.id) --take N\(field)   (or --set FIELD=VALUE)",
                zh: "处理方法：`\(program) conflicts resolve \(state.id) --take N\(field)`（或 `--set FIELD=VALUE`）")
        )
        return TerminalText.escaped(lines.joined(separator: "\n"), keepingLineBreaks: true)
    }

    /// Records as a table; `showStation` adds the station column (the hub
    /// lists every station's), else the tags column (a station's own).
    public static func recordTable(_ records: [EntityState], showStation: Bool) -> String {
        var headers: [String] = [
            tr("ID", zh: "编号"), tr("NAME", zh: "姓名"), tr("SEX", zh: "性别"), tr("BIRTH", zh: "出生日期"),
            tr("VILLAGE", zh: "村"),
        ]
        headers.insert(contentsOf: showStation ? [tr("STATION", zh: "卫生站")] : [], at: 1)
        headers += showStation ? [tr("CONFLICT", zh: "冲突")] : [tr("TAGS", zh: "标签"), tr("CONFLICT", zh: "冲突")]
        var table = TextTable(headers: headers)
        for state in records {
            var row = [state.id]
            if showStation { row.append(state.station) }
            row += ["name", "sex", "birth", "village"].map { state.value($0) ?? "" }
            if !showStation { row.append(state.members("tags").joined(separator: ",")) }
            let conflict = state.conflictingFields.joined(separator: ",")
            row.append(showStation || conflict.isEmpty ? conflict : "⚠ " + conflict)
            table.add(row)
        }
        return table.render()
            + tr("\n\(records.count) record\(records.count == 1 ? "" : "s")", zh: "\n共 \(records.count) 份档案")
    }

    /// Tallies as a table; `showStation` adds the station column, else the
    /// element's Chinese name and the comment, with candidates of a count in conflict.
    public static func tallyTable(_ tallies: [EntityState], showStation: Bool, catalog: Catalog) -> String {
        var table =
            showStation
            ? TextTable(
                headers: [
                    tr("STATION", zh: "卫生站"), tr("PERIOD", zh: "月份"), tr("ELEMENT", zh: "数据项"),
                    tr("VALUE", zh: "数值"), tr("CONFLICT", zh: "冲突"),
                ], alignRight: [3])
            : TextTable(
                headers: [
                    tr("PERIOD", zh: "月份"), tr("ELEMENT", zh: "数据项"), "名称", tr("VALUE", zh: "数值"),
                    tr("COMMENT", zh: "备注"),
                ], alignRight: [3])
        for state in tallies {
            guard let key = try? TallyKey(entityID: state.id) else { continue }
            if showStation {
                table.add([
                    key.station, key.period.description, key.element, state.value("value") ?? "",
                    state.conflictingFields.joined(separator: ","),
                ])
            } else {
                let value =
                    state.isInConflict("value")
                    ? "⚠ " + state.candidates("value").compactMap(\.value).joined(separator: " / ")
                    : (state.value("value") ?? "")
                table.add([
                    key.period.description, key.element, catalog.element(key.element)?.nameZH ?? "", value,
                    state.value("comment") ?? "",
                ])
            }
        }
        return table.render()
    }
}
