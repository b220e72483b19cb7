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

    /// A value as a clerk reads it.
    public static func display(_ field: String, _ value: String?) -> String {
        guard let value else { return "(empty)" }
        if field == "deleted" { return value == "true" ? "deleted" : "kept (not deleted)" }
        return value
    }

    /// The record as aligned "field  value" lines, conflicts marked;
    /// `program` names the command that shows them.
    public static func recordText(_ state: EntityState, program: String) -> String {
        var table = TextTable(headers: ["FIELD", "VALUE"])
        table.add(["id", state.id])
        table.add(["station", state.station])
        for field in RecordField.allCases {
            let name = field.rawValue
            let value = field == .tags ? state.members(name).joined(separator: ", ") : (state.value(name) ?? "")
            table.add([name, state.isInConflict(name) ? "\(value)  ⚠ in conflict" : value])
        }
        var text = table.render(maxColumnWidth: 60)
        if state.isDeleted { text += "\n(deleted)" }
        if state.hasConflict {
            text +=
                "\nconflicts: " + state.conflictingFields.joined(separator: ", ")
                + " — see `\(program) conflicts show \(state.id)`"
        }
        return text
    }

    /// Candidates side by side: number, value, who, node, when.
    public static func conflictText(_ state: EntityState, program: String) -> String {
        var lines = ["\(state.kind.rawValue) \(state.id)"]
        for field in state.conflictingFields {
            lines.append("")
            lines.append("\(field):")
            var table = TextTable(headers: ["N", "VALUE", "CLERK", "NODE", "WHEN"], alignRight: [0])
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
        lines.append(
            "settle with: \(program) conflicts resolve \(state.id) --take N\(state.conflictingFields.count > 1 ? " --field FIELD" : "")   (or --set FIELD=VALUE)"
        )
        return lines.joined(separator: "\n")
    }

    /// Records as a table; `showStation` adds the station column (the hub
    /// lists every station's), else the tags column (a station's own).
    public static func recordTable(_ records: [EntityState], showStation: Bool) -> String {
        var headers = ["ID", "NAME", "SEX", "BIRTH", "VILLAGE"]
        headers.insert(contentsOf: showStation ? ["STATION"] : [], at: 1)
        headers += showStation ? ["CONFLICT"] : ["TAGS", "CONFLICT"]
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
        return table.render() + "\n\(records.count) record\(records.count == 1 ? "" : "s")"
    }

    /// Tallies as a table; `showStation` adds the station column, else the
    /// element's Chinese name and the comment, with candidates of a count in conflict.
    public static func tallyTable(_ tallies: [EntityState], showStation: Bool, catalog: Catalog) -> String {
        var table =
            showStation
            ? TextTable(headers: ["STATION", "PERIOD", "ELEMENT", "VALUE", "CONFLICT"], alignRight: [3])
            : TextTable(headers: ["PERIOD", "ELEMENT", "名称", "VALUE", "COMMENT"], alignRight: [3])
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
