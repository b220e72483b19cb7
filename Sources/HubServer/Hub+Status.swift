import ArgumentParser
import HubCore
import OperatorCommands
import SyncModel

extension Hub {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show the hub: stations, conflicts, server starts, and any trip back in time (a restored backup).",
            discussion: """
                When the hub's file was restored from a backup, the first laptop of each station to sync finds it,
                sends everything it holds again and is listed here. Changes that existed only at the hub (for
                example an operator's resolution no laptop had pulled yet) cannot come back.

                Examples:
                  hub status --db hub.sqlite
                  hub status --db hub.sqlite --json
                """
        )

        @OptionGroup var database: DatabaseOption
        @Flag(
            help:
                "Print JSON: {stations, conflicts, starts, rollbacks: [{detected, node, station, feed_end, node_cursor}]}."
        )
        var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let stations = try hub.stations().filter { $0.revoked == nil }.count
                let conflicts = try hub.replica.conflicts().count
                let starts = try hub.store.incarnations()
                let rollbacks = try hub.store.rollbacks()
                if json {
                    printJSON(
                        .object([
                            ("stations", .int(stations)), ("conflicts", .int(conflicts)),
                            ("starts", .int(starts.count)),
                            (
                                "rollbacks",
                                .array(
                                    rollbacks.map { found in
                                        .object([
                                            ("detected", .string(Timestamp.text(found.detected))),
                                            ("node", .string(found.node)), ("station", .string(found.station)),
                                            ("feed_end", found.feedEnd.map { .int($0) } ?? .null),
                                            ("node_cursor", .int(found.nodeCursor)),
                                        ])
                                    })
                            ),
                        ]))
                    return
                }
                print("stations \(stations), open conflicts \(conflicts), server starts \(starts.count)")
                if rollbacks.isEmpty {
                    print("no trip back in time found")
                    return
                }
                print(
                    "the hub went back in time (restored from a backup); laptops that found it sent again what they held:"
                )
                for found in rollbacks {
                    let lost =
                        found.feedEnd.map { "up to \(found.nodeCursor - $0) changes it had read were gone" }
                        ?? "the hub did not know the server start it had last synced with"
                    print("  \(Timestamp.text(found.detected))  station \(found.station), node \(found.node): \(lost)")
                }
                print("changes that existed only here (not yet pulled by any laptop) cannot come back")
            }
        }
    }
}
