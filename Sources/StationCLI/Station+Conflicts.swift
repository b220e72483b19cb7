import ArgumentParser
import Foundation
import SyncCore

extension Station {
    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Review and settle conflicts: the same field changed differently on two nodes.",
            subcommands: [List.self, Show.self, Resolve.self]
        )
    }
}

/// The kind of entity an id names: tally ids are STATION/YYYY-MM/ELEMENT.
func entityKind(ofID id: String) -> EntityKind { id.contains("/") ? .tally : .record }

extension Station.Conflicts {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List records and tallies in conflict.",
            discussion: "Examples:\n  station conflicts list\n  station conflicts list --json    # [{id, kind, fields}]"
        )

        @OptionGroup var options: StoreOptions
        @Flag(help: "Print a JSON array of {id, kind, fields}.") var json = false

        func run() throws {
            try reporting {
                let (store, _) = try options.open()
                defer { store.close() }
                let conflicts = try store.conflicts()
                if json {
                    print(ConflictListing.json(conflicts))
                    return
                }
                print(ConflictListing.table(conflicts))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each conflicting field's candidates side by side: value, who, node, when.",
            discussion: "Example:\n  station conflicts show 3f2b8c1e-…"
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The record or tally id from `conflicts list`.") var id: String
        @Flag(help: "Print JSON: {id, kind, fields: {field: [{n, value, node, clerk, time}]}}.") var json = false

        func run() throws {
            try reporting {
                let (store, _) = try options.open()
                defer { store.close() }
                print(try ConflictListing.show(store, id: id, json: json))
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a conflict: keep one candidate, or enter a new value. The choice travels to every node.",
            discussion: """
                Examples:
                  station conflicts resolve 3f2b8c1e-… --take 2
                  station conflicts resolve 3f2b8c1e-… --take 1 --field village
                  station conflicts resolve 3f2b8c1e-… --set village=松岭村
                  station conflicts resolve S01/2026-10/LIVE_BIRTHS --set value=5
                """
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The record or tally id.") var id: String
        @Option(help: "Keep candidate N (as numbered by `conflicts show`).") var take: Int?
        @Option(help: "With --take, which field (when several are in conflict).") var field: String?
        @Option(help: "FIELD=VALUE: enter a new value instead.") var set: [String] = []

        func validate() throws {
            guard (take == nil) != set.isEmpty else {
                throw ValidationError("give either --take N or --set FIELD=VALUE")
            }
        }

        func run() throws {
            try reporting {
                let (store, _) = try options.open()
                defer { store.close() }
                try ConflictListing.resolve(store, id: id, take: take, field: field, set: set, clerk: options.clerkName)
            }
        }
    }
}

/// Listing, showing and resolving conflicts; the hub's operator commands use the same shapes.
enum ConflictListing {
    static func json(_ conflicts: [EntityState]) -> String {
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

    static func table(_ conflicts: [EntityState]) -> String {
        guard !conflicts.isEmpty else { return "no conflicts" }
        var table = TextTable(headers: ["ID", "KIND", "WHAT", "FIELDS"])
        for state in conflicts {
            let what = state.kind == .record ? (state.value("name") ?? "") : state.id
            table.add([state.id, state.kind.rawValue, what, state.conflictingFields.joined(separator: ", ")])
        }
        return table.render(maxColumnWidth: 50) + "\n\(conflicts.count) in conflict; see `conflicts show ID`"
    }

    static func show(_ store: ReplicaStore, id: String, json: Bool) throws -> String {
        let kind = entityKind(ofID: id)
        guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        guard state.hasConflict else { return json ? "{\"id\":\"\(id)\",\"kind\":\"\(kind.rawValue)\",\"fields\":{}}" : "\(kind.rawValue) \(id) has no conflict" }
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
        return EntityRendering.conflictText(state)
    }

    static func resolve(_ store: ReplicaStore, id: String, take: Int?, field: String?, set: [String], clerk: String?) throws {
        let kind = entityKind(ofID: id)
        guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        guard state.hasConflict else { throw CLIError.badInput("\(kind.rawValue) \(id) has no conflict") }
        if let take {
            let fields = state.conflictingFields
            let chosen: String
            if let field {
                chosen = field.replacingOccurrences(of: "-", with: "_")
            } else if fields.count == 1 {
                chosen = fields[0]
            } else {
                throw CLIError.badInput("\(fields.count) fields are in conflict (\(fields.joined(separator: ", "))): add --field FIELD")
            }
            try store.resolve(kind, id, field: chosen, .take(take), clerk: clerk)
            print("resolved \(chosen) of \(id)")
            return
        }
        for assignment in set {
            var (name, value) = try parseAssignment(assignment)
            name = name.replacingOccurrences(of: "-", with: "_")
            if kind == .record { name = try recordField(name).rawValue }
            if name == "sex" { value = normaliseSex(value) }
            try store.resolve(kind, id, field: name, .value(value), clerk: clerk)
            print("resolved \(name) of \(id)")
        }
    }
}
