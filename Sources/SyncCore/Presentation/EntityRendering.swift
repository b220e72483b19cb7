import Foundation

/// How records, tallies and conflicts print, as text and as JSON. The JSON
/// shapes are documented in docs/cli.md and kept stable for scripts.
public enum EntityRendering {
    /// `{"id":…,"station":…,"name":…,…,"tags":[…],"deleted":false,"conflicts":{field:[candidate…]}}`
    public static func recordJSON(_ state: EntityState, into writer: inout JSONWriter) {
        writer.raw("{\"id\":")
        writer.string(state.id)
        writer.raw(",\"station\":")
        writer.string(state.station)
        for field in RecordField.allCases {
            writer.comma()
            writer.key(field.rawValue)
            if field == .tags {
                writer.raw("[")
                for (index, tag) in state.members(field.rawValue).enumerated() {
                    if index > 0 { writer.comma() }
                    writer.string(tag)
                }
                writer.raw("]")
            } else {
                writer.string(state.value(field.rawValue))
            }
        }
        writer.raw(",\"deleted\":")
        writer.bool(state.isDeleted)
        writer.raw(",\"conflicts\":")
        conflictsJSON(state, into: &writer)
        writer.raw("}")
    }

    /// `{field: [{"n":1,"value":…,"node":…,"clerk":…,"time":…}, …]}` for fields in conflict.
    public static func conflictsJSON(_ state: EntityState, into writer: inout JSONWriter) {
        writer.raw("{")
        for (index, field) in state.conflictingFields.enumerated() {
            if index > 0 { writer.comma() }
            writer.key(field)
            writer.raw("[")
            for (number, candidate) in state.candidates(field).enumerated() {
                if number > 0 { writer.comma() }
                let stamp = state.stamps[candidate.dot]
                writer.raw("{\"n\":")
                writer.int(Int64(number + 1))
                writer.raw(",\"value\":")
                writer.string(candidate.value)
                writer.raw(",\"node\":")
                writer.string(candidate.dot.node)
                writer.raw(",\"clerk\":")
                writer.string(stamp?.clerk)
                writer.raw(",\"time\":")
                writer.string(stamp.map { isoTime($0.time) })
                writer.raw("}")
            }
            writer.raw("]")
        }
        writer.raw("}")
    }

    /// `{"id":…,"station":…,"element":…,"period":…,"value":12,"comment":…,"conflicts":{…}}`
    public static func tallyJSON(_ state: EntityState, into writer: inout JSONWriter) {
        let key = try? TallyKey(entityID: state.id)
        writer.raw("{\"id\":")
        writer.string(state.id)
        writer.raw(",\"station\":")
        writer.string(state.station)
        writer.raw(",\"element\":")
        writer.string(key?.element)
        writer.raw(",\"period\":")
        writer.string(key?.period.description)
        writer.raw(",\"value\":")
        if let value = state.value("value").flatMap(Int.init) { writer.int(Int64(value)) } else { writer.null() }
        writer.raw(",\"comment\":")
        writer.string(state.value("comment"))
        writer.raw(",\"deleted\":")
        writer.bool(state.isDeleted)
        writer.raw(",\"conflicts\":")
        conflictsJSON(state, into: &writer)
        writer.raw("}")
    }

    /// ISO 8601 UTC to the second, from milliseconds since 1970.
    public static func isoTime(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// A JSON array of records (each in the `recordJSON` shape).
    public static func recordsJSON(_ states: [EntityState]) -> [UInt8] {
        array(states, recordJSON)
    }

    /// A JSON array of tallies (each in the `tallyJSON` shape).
    public static func talliesJSON(_ states: [EntityState]) -> [UInt8] {
        array(states, tallyJSON)
    }

    private static func array(_ states: [EntityState], _ render: (EntityState, inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("[")
        for (index, state) in states.enumerated() {
            if index > 0 { writer.comma() }
            render(state, &writer)
        }
        writer.raw("]")
        return writer.bytes
    }

    /// A value as a clerk reads it.
    public static func display(_ field: String, _ value: String?) -> String {
        guard let value else { return "(empty)" }
        if field == "deleted" { return value == "true" ? "deleted" : "kept (not deleted)" }
        return value
    }

    /// The record as aligned "field  value" lines, conflicts marked.
    public static func recordText(_ state: EntityState) -> String {
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
            text += "\nconflicts: " + state.conflictingFields.joined(separator: ", ") + " — see `station conflicts show \(state.id)`"
        }
        return text
    }

    /// Candidates side by side: number, value, who, node, when.
    public static func conflictText(_ state: EntityState, program: String = "station") -> String {
        var lines = ["\(state.kind.rawValue) \(state.id)"]
        for field in state.conflictingFields {
            lines.append("")
            lines.append("\(field):")
            var table = TextTable(headers: ["N", "VALUE", "CLERK", "NODE", "WHEN"], alignRight: [0])
            for (number, candidate) in state.candidates(field).enumerated() {
                let stamp = state.stamps[candidate.dot]
                table.add([String(number + 1), display(field, candidate.value), stamp?.clerk ?? "", candidate.dot.node,
                           stamp.map { isoTime($0.time) } ?? ""])
            }
            lines.append(table.render(maxColumnWidth: 50).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        lines.append("")
        lines.append("settle with: \(program) conflicts resolve \(state.id) --take N\(state.conflictingFields.count > 1 ? " --field FIELD" : "")   (or --set FIELD=VALUE)")
        return lines.joined(separator: "\n")
    }
}
