import ArgumentParser
import OperatorCommands
import Reporting
import SyncStore

extension Station {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this node: station, hub, changes waiting to be pushed, last sync, open conflicts.",
            discussion: "Examples:\n  station status\n  station status --json"
        )

        @OptionGroup var options: StoreOptions
        @Flag(
            help:
                "Print JSON: {node, station, name, hub, pending, last_sync_time, last_sync_result, conflicts, records, tallies}."
        )
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let pending = try store.pendingCount()
                let conflicts = try store.conflicts().count
                let (records, tallies) = try store.counts()
                let lastTime = config.settings.lastSyncTime.map(Timestamp.text)
                let lastResult = config.settings.lastSyncResult
                if json {
                    printJSON(
                        .object([
                            ("node", .string(store.nodeID)), ("station", .string(config.station)),
                            ("name", .string(config.name)),
                            ("hub", .string(config.hub)), ("pending", .int(pending)),
                            ("last_sync_time", .string(lastTime)),
                            ("last_sync_result", .string(lastResult)), ("conflicts", .int(conflicts)),
                            ("records", .int(records)),
                            ("tallies", .int(tallies)),
                        ]))
                    return
                }
                let rows: [(String, String)] = [
                    ("station", "\(config.station) \(config.name)"),
                    ("node", store.nodeID),
                    ("hub", config.hub ?? "(none: set with init or pass --hub to sync)"),
                    ("waiting to push", String(pending)),
                    ("last sync", lastTime.map { "\($0)  \(lastResult ?? "")" } ?? "never"),
                    ("open conflicts", String(conflicts)),
                    ("records", String(records)),
                    ("tallies", String(tallies)),
                ]
                for (label, value) in rows {
                    print(DisplayWidth.pad(label, to: 16) + value)
                }
            }
        }
    }
}
