import ArgumentParser
import Foundation
import SyncCore

extension Station {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this node: station, hub, changes waiting to be pushed, last sync, open conflicts.",
            discussion: "Examples:\n  station status\n  station status --json"
        )

        @OptionGroup var options: StoreOptions
        @Flag(help: "Print JSON: {node, station, name, hub, pending, last_sync_time, last_sync_result, conflicts, records, tallies}.")
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let pending = try SyncSession.pendingCount(store)
                let conflicts = try store.conflicts().count
                let records = try store.database.scalarInt("SELECT count(*) FROM entities WHERE kind = 'record' AND deleted = 0") ?? 0
                let tallies = try store.database.scalarInt("SELECT count(*) FROM entities WHERE kind = 'tally'") ?? 0
                let lastTime = try store.meta("last_sync_time").flatMap(Int64.init).map(isoTime)
                let lastResult = try store.meta("last_sync_result")
                if json {
                    var writer = JSONWriter()
                    writer.raw("{\"node\":"); writer.string(store.nodeID)
                    writer.raw(",\"station\":"); writer.string(config.station)
                    writer.raw(",\"name\":"); writer.string(config.name)
                    writer.raw(",\"hub\":"); writer.string(config.hub)
                    writer.raw(",\"pending\":"); writer.int(Int64(pending))
                    writer.raw(",\"last_sync_time\":"); writer.string(lastTime)
                    writer.raw(",\"last_sync_result\":"); writer.string(lastResult)
                    writer.raw(",\"conflicts\":"); writer.int(Int64(conflicts))
                    writer.raw(",\"records\":"); writer.int(records)
                    writer.raw(",\"tallies\":"); writer.int(tallies)
                    writer.raw("}")
                    printJSON(writer)
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
