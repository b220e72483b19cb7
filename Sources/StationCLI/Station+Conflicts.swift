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
                for line in try ConflictListing.resolve(store, id: id, take: take, field: field, set: set, clerk: options.clerkName) {
                    print(line)
                }
            }
        }
    }
}

