import ArgumentParser
import SyncCore

extension Hub {
    struct ConflictsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "conflicts",
            abstract: "Review and settle conflicts; a resolution reaches the station on its next sync.",
            subcommands: [List.self, Show.self, Resolve.self]
        )
    }
}

extension Hub.ConflictsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List records and tallies in conflict, across stations.",
            discussion: "Example:\n  hub conflicts list --db hub.sqlite --json    # [{id, kind, station, fields}]"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print a JSON array of {id, kind, station, fields}.") var json = false

        func run() throws {
            try Hub.operatorCall {
                let store = try database.open()
                defer { store.close() }
                let conflicts = try store.replica.conflicts()
                print(json ? ConflictListing.json(conflicts) : ConflictListing.table(conflicts))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each conflicting field's candidates side by side.",
            discussion: "Example:\n  hub conflicts show 3f2b8c1e-… --db hub.sqlite"
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The record or tally id.") var id: String
        @Flag(help: "Print JSON: {id, kind, fields: {field: [{n, value, node, clerk, time}]}}.") var json = false

        func run() throws {
            try Hub.operatorCall {
                let store = try database.open()
                defer { store.close() }
                print(try ConflictListing.show(store.replica, id: id, json: json, program: "hub"))
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a conflict at the hub: keep a candidate or enter a new value.",
            discussion: """
                Examples:
                  hub conflicts resolve 3f2b8c1e-… --take 1 --db hub.sqlite --operator 陈主任
                  hub conflicts resolve S01/2026-10/LIVE_BIRTHS --set value=5 --db hub.sqlite
                """
        )

        @OptionGroup var database: DatabaseOption
        @OptionGroup var operatorOption: OperatorOption
        @Argument(help: "The record or tally id.") var id: String
        @Option(help: "Keep candidate N (as numbered by `conflicts show`).") var take: Int?
        @Option(help: "With --take, which field (when several are in conflict).") var field: String?
        @Option(help: "FIELD=VALUE: enter a new value instead.") var set: [String] = []

        func validate() throws {
            guard (take == nil) != set.isEmpty else { throw ValidationError("give either --take N or --set FIELD=VALUE") }
        }

        func run() throws {
            try Hub.operatorCall {
                let store = try database.open()
                defer { store.close() }
                for line in try ConflictListing.resolve(store.replica, id: id, take: take, field: field, set: set,
                                                        clerk: operatorOption.operatorName) {
                    print(line)
                }
            }
        }
    }
}
