import ArgumentParser
import Reporting
import SyncModel
import SyncStore

/// `conflicts list|show|resolve`, the same at a station and at the hub;
/// `Options` says where the store is and who is at the keyboard.
public struct ConflictsCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "conflicts",
            abstract: "Review and settle conflicts: the same field changed differently on two nodes.",
            discussion: "A resolution travels to every node with the next syncs.",
            subcommands: [List.self, Show.self, Resolve.self]
        )
    }

    public init() {}

    public struct List: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "List records and tallies in conflict.",
                discussion:
                    "Examples:\n  \(Options.program) conflicts list\(Options.exampleOptions)\n  \(Options.program) conflicts list\(Options.exampleOptions) --json    # [{id, kind, station, fields}]"
            )
        }

        @OptionGroup public var options: Options
        @Flag(help: "Print a JSON array of {id, kind, station, fields}.") public var json = false

        public init() {}

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let conflicts = try store.conflicts()
                if json {
                    printJSON(.array(conflicts.map(EntityRendering.conflictSummaryJSON)))
                } else if conflicts.isEmpty {
                    print("no conflicts")
                } else {
                    var table = TextTable(headers: ["ID", "KIND", "WHAT", "FIELDS"])
                    for state in conflicts {
                        let what = state.kind == .record ? (state.value("name") ?? "") : state.id
                        table.add([
                            state.id, state.kind.rawValue, what, state.conflictingFields.joined(separator: ", "),
                        ])
                    }
                    print(
                        table.render(maxColumnWidth: 50)
                            + "\n\(conflicts.count) in conflict; see `\(Options.program) conflicts show ID`")
                }
            }
        }
    }

    public struct Show: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Show each conflicting field's candidates side by side: value, who, node, when.",
                discussion: "Example:\n  \(Options.program) conflicts show 3f2b8c1e-…\(Options.exampleOptions)"
            )
        }

        @OptionGroup public var options: Options
        @Argument(help: "The record or tally id from `conflicts list`.") public var id: String
        @Flag(help: "Print JSON: {id, kind, fields: {field: [{n, value, node, clerk, time}]}}.") public var json = false

        public init() {}

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                let kind = EntityKind(ofID: id)
                guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
                if json {
                    printJSON(
                        .object([
                            ("id", .string(state.id)), ("kind", .string(state.kind.rawValue)),
                            ("fields", EntityRendering.conflictsJSON(state)),
                        ]))
                } else if !state.hasConflict {
                    print("\(kind.rawValue) \(id) has no conflict")
                } else {
                    print(EntityRendering.conflictText(state, program: Options.program))
                }
            }
        }
    }

    public struct Resolve: ParsableCommand {
        public static var configuration: CommandConfiguration {
            let (program, more) = (Options.program, Options.exampleOptions)
            return CommandConfiguration(
                abstract:
                    "Settle a conflict: keep one candidate, or enter a new value. The choice travels to every node.",
                discussion: """
                    Several --set are settled together or not at all.

                    Examples:
                      \(program) conflicts resolve 3f2b8c1e-…\(more) --take 2
                      \(program) conflicts resolve 3f2b8c1e-…\(more) --take 1 --field village
                      \(program) conflicts resolve 3f2b8c1e-…\(more) --set village=松岭村
                      \(program) conflicts resolve S01/2026-10/LIVE_BIRTHS\(more) --set value=5
                    """
            )
        }

        @OptionGroup public var options: Options
        @Argument(help: "The record or tally id.") public var id: String
        @Option(help: "Keep candidate N (as numbered by `conflicts show`).") public var take: Int?
        @Option(help: "With --take, which field (when several are in conflict).") public var field: String?
        @Option(help: "FIELD=VALUE: enter a new value instead.") public var set: [String] = []

        public init() {}

        public func validate() throws {
            guard (take == nil) != set.isEmpty else {
                throw ArgumentParser.ValidationError("give either --take N or --set FIELD=VALUE")
            }
        }

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                let settled = try ConflictResolution(store: store, catalog: Catalog.builtIn)
                    .resolve(
                        id: id, take: take, field: field, set: set.map(Assignment.init),
                        actor: options.actorName(in: store))
                for line in settled.warnings { printError(line) }
                for name in settled.fields { print("resolved \(name) of \(id)") }
            }
        }
    }
}
