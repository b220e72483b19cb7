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

    public init(
        station: String? = nil, name: String? = nil, hubURL: String? = nil, token: String? = nil, clerk: String? = nil,
        lastSyncTime: Int64? = nil, lastSyncResult: String? = nil
    ) {
        self.station = station
        self.name = name
        self.hubURL = hubURL
        self.token = token
        self.clerk = clerk
        self.lastSyncTime = lastSyncTime
        self.lastSyncResult = lastSyncResult
    }

    /// The meta keys, named here and nowhere else.
    enum Key {
        static let station = "station_id"
        static let name = "station_name"
        static let hubURL = "hub_url"
        static let token = "token"
        static let clerk = "clerk"
        static let lastSyncTime = "last_sync_time"
        static let lastSyncResult = "last_sync_result"
        static let pullCursor = "pull_cursor"
    }
}

extension ReplicaStore {
    /// The station's settings as stored.
    public func stationSettings() throws -> StationSettings {
        typealias Key = StationSettings.Key
        return StationSettings(
            station: try meta(Key.station), name: try meta(Key.name), hubURL: try meta(Key.hubURL),
            token: try meta(Key.token), clerk: try meta(Key.clerk),
            lastSyncTime: try meta(Key.lastSyncTime).flatMap { Int64($0) },
            lastSyncResult: try meta(Key.lastSyncResult))
    }

    /// Stores every setting of `settings` (nil clears one), in one transaction.
    public func saveStationSettings(_ settings: StationSettings) throws {
        typealias Key = StationSettings.Key
        try writeTransaction {
            try setMeta(Key.station, settings.station)
            try setMeta(Key.name, settings.name)
            try setMeta(Key.hubURL, settings.hubURL)
            try setMeta(Key.token, settings.token)
            try setMeta(Key.clerk, settings.clerk)
            try setMeta(Key.lastSyncTime, settings.lastSyncTime.map { String($0) })
            try setMeta(Key.lastSyncResult, settings.lastSyncResult)
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
