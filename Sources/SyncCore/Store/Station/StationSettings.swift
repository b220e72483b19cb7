import SyncModel

/// What `station init` and `station sync` remember in a station's file.
public struct StationSettings: Sendable, Equatable {
    public var station: String?
    public var name: String?
    public var hubURL: String?
    public var token: String?
    /// The clerk recorded with changes when a command names none.
    public var clerk: String?
    /// Milliseconds since 1970 of the last sync's end.
    public var lastSyncTime: Int64?
    /// The last sync's one-line outcome.
    public var lastSyncResult: String?
    /// A PEM file of CA certificates every sync trusts for the hub, instead
    /// of the system's (a hub whose certificate comes from a private CA).
    public var caFile: String?
    /// Plain http to a hub on another machine was asked for: records and
    /// the token then cross the network unencrypted.
    public var allowHTTP: Bool

    public init(
        station: String? = nil, name: String? = nil, hubURL: String? = nil, token: String? = nil, clerk: String? = nil,
        lastSyncTime: Int64? = nil, lastSyncResult: String? = nil, caFile: String? = nil, allowHTTP: Bool = false
    ) {
        self.station = station
        self.name = name
        self.hubURL = hubURL
        self.token = token
        self.clerk = clerk
        self.lastSyncTime = lastSyncTime
        self.lastSyncResult = lastSyncResult
        self.caFile = caFile
        self.allowHTTP = allowHTTP
    }

    /// The meta keys, named here and nowhere else. The token and the clerk
    /// are sealed in an encrypted store.
    enum Key {
        static let station = "station_id"
        static let name = "station_name"
        static let hubURL = "hub_url"
        static let token = "token"
        static let clerk = "clerk"
        static let lastSyncTime = "last_sync_time"
        static let lastSyncResult = "last_sync_result"
        static let caFile = "ca_file"
        static let allowHTTP = "allow_http"
        static let pullCursor = "pull_cursor"
    }
}

extension ReplicaStore {
    /// The station's settings as stored.
    public func stationSettings() throws -> StationSettings {
        typealias Key = StationSettings.Key
        return StationSettings(
            station: try meta(Key.station), name: try meta(Key.name), hubURL: try meta(Key.hubURL),
            token: try secretMeta(Key.token), clerk: try secretMeta(Key.clerk),
            lastSyncTime: try meta(Key.lastSyncTime).flatMap { Int64($0) },
            lastSyncResult: try meta(Key.lastSyncResult), caFile: try meta(Key.caFile),
            allowHTTP: try meta(Key.allowHTTP) == "1")
    }

    /// The station this file was set up for, if any: readable without the
    /// passphrase of an encrypted store.
    public func configuredStation() throws -> String? {
        try meta(StationSettings.Key.station)
    }

    /// Stores every setting of `settings` (nil clears one), in one transaction.
    public func saveStationSettings(_ settings: StationSettings) throws {
        typealias Key = StationSettings.Key
        try writeTransaction {
            try setMeta(Key.station, settings.station)
            try setMeta(Key.name, settings.name)
            try setMeta(Key.hubURL, settings.hubURL)
            try setSecretMeta(Key.token, settings.token)
            try setSecretMeta(Key.clerk, settings.clerk)
            try setMeta(Key.lastSyncTime, settings.lastSyncTime.map { String($0) })
            try setMeta(Key.lastSyncResult, settings.lastSyncResult)
            try setMeta(Key.caFile, settings.caFile)
            try setMeta(Key.allowHTTP, settings.allowHTTP ? "1" : nil)
        }
    }

    /// Records how the last sync ended, leaving every other setting as it is
    /// (another command may have changed one meanwhile).
    public func recordSyncOutcome(time: Int64, result: String) throws {
        try writeTransaction {
            try setMeta(StationSettings.Key.lastSyncTime, String(time))
            try setMeta(StationSettings.Key.lastSyncResult, result)
        }
    }

    /// Where the next pull starts: the hub's feed position after the last
    /// page merged. Moved in the same transaction as that page's merge.
    public func pullCursor() throws -> Int64 {
        Int64(try meta(StationSettings.Key.pullCursor) ?? "0") ?? 0
    }

    public func setPullCursor(_ cursor: Int64) throws {
        try setMeta(StationSettings.Key.pullCursor, String(cursor))
    }

    /// Live records and tallies held, for `station status`.
    public func counts() throws -> (records: Int, tallies: Int) {
        let records = try database.scalarInt("SELECT count(*) FROM entities WHERE kind = 'record' AND deleted = 0") ?? 0
        let tallies = try database.scalarInt("SELECT count(*) FROM entities WHERE kind = 'tally'") ?? 0
        return (Int(records), Int(tallies))
    }
}
