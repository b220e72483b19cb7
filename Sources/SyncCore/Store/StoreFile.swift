import Foundation
import SyncModel

/// What a file given as a store is, found without changing it: commands
/// check this before they open (and so migrate) a file, so a mistyped path
/// makes no empty store and a station's file is never turned into a hub's.
public enum StoreFile: Equatable, Sendable {
    case missing
    case hub
    case station
    /// Not an SQLite file, or an SQLite file of something else.
    case other

    public static func inspect(path: String) -> StoreFile {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        guard let database = try? Database(path: path, durability: .normal, readOnly: true) else { return .other }
        defer { database.close() }
        return inspect(database)
    }

    /// What the database behind `database` holds. A PostgreSQL database
    /// with no tables at all is `.missing`: the operator made it for a new
    /// hub (an existing SQLite file with none is someone else's file).
    package static func inspect(_ database: any StoreConnection) -> StoreFile {
        let listing =
            switch database.dialect {
            case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table'"
            case .postgres: "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            }
        guard let tables = try? Set(database.rows(listing) { $0.text(0) ?? "" }) else { return .other }
        if tables.isEmpty, database.dialect == .postgres { return .missing }
        guard tables.contains("entities") else { return .other }
        // Only a hub's file has incarnations (since they exist) or registered
        // stations; station files made before the migrations were split hold
        // the hub's tables too, empty, and a station id of their own.
        let station = try? database.scalarText("SELECT value FROM meta WHERE key = 'station_id'")
        if station ?? nil != nil { return .station }
        if tables.contains("incarnations") { return .hub }
        if tables.contains("stations"), ((try? database.scalarInt("SELECT count(*) FROM stations")) ?? nil ?? 0) > 0 {
            return .hub
        }
        return .station
    }
}
