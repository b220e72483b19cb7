import Foundation

/// The kind of entity an id names: tally ids are STATION/YYYY-MM/ELEMENT.
public func entityKind(ofID id: String) -> EntityKind { id.contains("/") ? .tally : .record }

/// Listing, showing and resolving conflicts; the hub's operator commands use the same shapes.
public enum ConflictListing {
    public static func json(_ conflicts: [EntityState]) -> String {
        var writer = JSONWriter()
        writer.raw("[")
        for (index, state) in conflicts.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"id\":")
            writer.string(state.id)
            writer.raw(",\"kind\":")
            writer.string(state.kind.rawValue)
            writer.raw(",\"station\":")
            writer.string(state.station)
            writer.raw(",\"fields\":[")
            for (fieldIndex, field) in state.conflictingFields.enumerated() {
                if fieldIndex > 0 { writer.comma() }
                writer.string(field)
            }
            writer.raw("]}")
        }
        writer.raw("]")
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public static func table(_ conflicts: [EntityState]) -> String {
        guard !conflicts.isEmpty else { return "no conflicts" }
        var table = TextTable(headers: ["ID", "KIND", "WHAT", "FIELDS"])
        for state in conflicts {
            let what = state.kind == .record ? (state.value("name") ?? "") : state.id
            table.add([state.id, state.kind.rawValue, what, state.conflictingFields.joined(separator: ", ")])
        }
        return table.render(maxColumnWidth: 50) + "\n\(conflicts.count) in conflict; see `conflicts show ID`"
    }

    public static func show(_ store: ReplicaStore, id: String, json: Bool, program: String = "station") throws -> String {
        let kind = entityKind(ofID: id)
        guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        if !json && !state.hasConflict { return "\(kind.rawValue) \(id) has no conflict" }
        if json {
            var writer = JSONWriter()
            writer.raw("{\"id\":")
            writer.string(state.id)
            writer.raw(",\"kind\":")
            writer.string(state.kind.rawValue)
            writer.raw(",\"fields\":")
            EntityRendering.conflictsJSON(state, into: &writer)
            writer.raw("}")
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        return EntityRendering.conflictText(state, program: program)
    }

    /// Settles a conflict by candidate number or new values; returns what it did, a line each.
    public static func resolve(
        _ store: ReplicaStore, id: String, take: Int?, field: String?, set: [String], clerk: String?
    ) throws -> [String] {
        let kind = entityKind(ofID: id)
        guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        guard state.hasConflict else {
            throw StoreError.invalid(ValidationError(field: "id", "\(kind.rawValue) \(id) has no conflict"))
        }
        if let take {
            let fields = state.conflictingFields
            let chosen: String
            if let field {
                chosen = field.replacingOccurrences(of: "-", with: "_")
            } else if fields.count == 1 {
                chosen = fields[0]
            } else {
                throw StoreError.invalid(ValidationError(
                    field: "--field", "\(fields.count) fields are in conflict (\(fields.joined(separator: ", "))): add --field FIELD"))
            }
            try store.resolve(kind, id, field: chosen, .take(take), clerk: clerk)
            return ["resolved \(chosen) of \(id)"]
        }
        var done: [String] = []
        for assignment in set {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw StoreError.invalid(ValidationError(field: "--set", "'\(assignment)' is not FIELD=VALUE"))
            }
            var name = String(assignment[..<equals]).trimmingWhitespace()
            var value = String(assignment[assignment.index(after: equals)...])
            name = name.replacingOccurrences(of: "-", with: "_")
            if kind == .record {
                guard let field = RecordField(named: name) else {
                    throw StoreError.invalid(ValidationError(field: name, "is not a record field"))
                }
                name = field.rawValue
            }
            if name == "sex" { value = RecordField.normaliseSex(value) }
            try store.resolve(kind, id, field: name, .value(value), clerk: clerk)
            done.append("resolved \(name) of \(id)")
        }
        return done
    }
}
