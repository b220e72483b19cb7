import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncModel
import SyncClient
import SyncStore
import SyncSupport

/// The options every command takes: which store, and who is at the keyboard.
struct StoreOptions: ReviewOptions {
    static let program = "station"
    static let recordsCommand = "record"
    static let exampleOptions = ""
    static let listsEveryStation = false

    @Option(
        help: ArgumentHelp(
            tr(
                "The station's database file (default: $STATION_DB, else ~/.local/share/health-sync/station.sqlite).",
                zh: "卫生站的数据库文件（默认 $STATION_DB，否则为 ~/.local/share/health-sync/station.sqlite）。"),
            valueName: "path"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            tr(
                "Your name, recorded with every change (default: $STATION_CLERK, else the one `init` or `config` saved).",
                zh: "录入员姓名，记入修改记录（默认 $STATION_CLERK，\n否则为 `init` 或 `config` 保存的姓名）。"),
            valueName: "name"))
    var clerk: String?

    var path: String {
        if let db { return db }
        let environment = ProcessInfo.processInfo.environment
        if let db = environment["STATION_DB"], !db.isEmpty { return db }
        let base =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return base + "/health-sync/station.sqlite"
    }

    /// The clerk named by --clerk or $STATION_CLERK, if any.
    var typedClerk: String? {
        clerk ?? ProcessInfo.processInfo.environment["STATION_CLERK"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Who is recorded with a change: --clerk, $STATION_CLERK, else the saved clerk.
    func clerkName(_ config: StationConfig) -> String? {
        typedClerk ?? config.settings.clerk
    }

    func actorName(in store: ReplicaStore) throws -> String? {
        try typedClerk ?? store.stationSettings().clerk
    }

    /// Opens an initialised store, unlocked with its passphrase when it is
    /// encrypted; a missing or blank one, or a wrong passphrase, is bad
    /// input. Every command opens its store here.
    func open() throws -> (ReplicaStore, StationConfig) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure.badInput(
                tr(
                    "\(path) does not exist: run `station init` first (or pass --db)",
                    zh: "\(path) 不存在：请先运行 `station init`（或加 --db）"))
        }
        let store = try ReplicaStore(path: path, schema: Catalog.builtIn.schema)
        if store.isEncrypted {
            do {
                try store.unlock(passphrase: PassphraseInput.existing(for: path))
            } catch {
                store.close()
                throw Self.unlockFailure(error, path: path)
            }
        }
        guard let config = try StationConfig(store) else {
            store.close()
            throw CommandFailure.badInput(
                tr(
                    "\(path) is not a station store: run `station init` first",
                    zh: "\(path) 不是卫生站数据库：请先运行 `station init`"))
        }
        return (store, config)
    }

    /// A passphrase that did not open the store, in words.
    static func unlockFailure(_ error: any Error, path: String) -> any Error {
        switch error as? PassphraseError {
        case .wrong:
            let variable = PassphraseInput.variable
            return CommandFailure.badInput(
                tr("wrong passphrase for \(path): nothing was read or written", zh: "\(path) 的口令不对：未读取或写入任何数据")
                    + (PassphraseInput.fromEnvironment
                        ? tr(" (it came from $\(variable))", zh: "（口令取自 $\(variable)）") : ""))
        case .damaged:
            return CommandFailure.badInput(PassphraseError.damaged.description)
        case nil:
            return error
        }
    }

    func openReplica() throws -> ReplicaStore {
        try open().0
    }

    func ownStation(in store: ReplicaStore) throws -> String? {
        try store.stationSettings().station
    }
}

/// What `station init` recorded; nil for a file never initialised.
struct StationConfig {
    let station: String
    let name: String
    let hub: String?
    let token: String?
    let settings: StationSettings

    init?(_ store: ReplicaStore) throws {
        settings = try store.stationSettings()
        guard let station = settings.station else { return nil }
        self.station = station
        name = settings.name ?? station
        hub = settings.hubURL
        token = settings.token
    }
}
