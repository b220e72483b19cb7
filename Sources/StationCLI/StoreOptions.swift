import ArgumentParser
import Foundation
import SyncCore

/// The options every command takes: which store, and who is at the keyboard.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The station's database file (default: $STATION_DB, else ~/.local/share/health-sync/station.sqlite).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Your name, recorded with every change (default: $STATION_CLERK).", valueName: "name"))
    var clerk: String?

    var path: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let db = environment["STATION_DB"], !db.isEmpty { return db }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return base + "/health-sync/station.sqlite"
    }

    var clerkName: String? {
        clerk ?? ProcessInfo.processInfo.environment["STATION_CLERK"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens an initialised store; a missing or blank one is bad input.
    func open() throws -> (ReplicaStore, StationConfig) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError.badInput("\(path) does not exist: run `station init` first (or pass --db)")
        }
        let store = try ReplicaStore(path: path, schema: Catalog.builtIn.schema)
        guard let config = try StationConfig(store) else {
            throw CLIError.badInput(StoreError.notInitialised(path: path).description)
        }
        return (store, config)
    }
}

/// What `station init` recorded.
struct StationConfig {
    static let stationKey = "station_id"
    static let nameKey = "station_name"
    static let hubKey = "hub_url"
    static let tokenKey = "token"

    let station: String
    let name: String
    let hub: String?
    let token: String?

    init?(_ store: ReplicaStore) throws {
        guard let station = try store.meta(Self.stationKey) else { return nil }
        self.station = station
        name = try store.meta(Self.nameKey) ?? station
        hub = try store.meta(Self.hubKey)
        token = try store.meta(Self.tokenKey)
    }
}
