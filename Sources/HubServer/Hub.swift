import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncStore

@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "The district hub: receives stations' records and tallies, merges them, and serves them back.",
        subcommands: [
            Serve.self, StationCommand.self, Records.self, TallyCommand.self, ConflictsCommand<HubReviewOptions>.self,
            Import.self, Report.self, Settings.self, Status.self,
        ]
    )

    /// Every file this program makes holds every station's health data and
    /// the token hashes: only this user may read them, whatever the umask.
    static func main() async {
        umask(0o077)
        await CommandLineRunner.main(Hub.self)
    }
}

/// The hub database every operator command takes.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The hub's database file (default: $HUB_DB).", valueName: "path"))
    var db: String?

    func validate() throws {
        guard path != nil else { throw ValidationError("give the hub's database with --db PATH, or set HUB_DB") }
    }

    /// --db, else $HUB_DB.
    var path: String? {
        db ?? ProcessInfo.processInfo.environment["HUB_DB"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens an existing hub with the catalog's element check; a missing
    /// file, or a file that is not a hub's, is refused, and nothing is made.
    func open() throws -> HubService {
        let db = path ?? ""
        switch StoreFile.inspect(path: db) {
        case .hub:
            return try HubService(path: db, schema: Catalog.builtIn.schema)
        case .missing:
            throw HubFailure.notFound(
                "\(db) does not exist: check the path, or make a hub with `hub station add ID --name NAME --db \(db)`")
        case .station:
            throw HubFailure.badRequest("\(db) is a station's database, not a hub's: check --db")
        case .other:
            throw HubFailure.badRequest("\(db) is not a hub's database: check --db")
        }
    }

    /// Opens the hub, making the file when there is none (`hub station add`).
    func openOrCreate() throws -> HubService {
        let db = path ?? ""
        if StoreFile.inspect(path: db) == .missing { return try HubService(path: db, schema: Catalog.builtIn.schema) }
        return try open()
    }
}

/// Who is at the keyboard, for the audit trail.
struct OperatorOption: ParsableArguments {
    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp("Your name, recorded with every change (default: $HUB_OPERATOR).", valueName: "name"))
    var name: String?

    var operatorName: String? {
        name ?? ProcessInfo.processInfo.environment["HUB_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The hub's side of the review commands shared with `station`.
struct HubReviewOptions: ReviewOptions {
    static let program = "hub"
    static let recordsCommand = "records"
    static let exampleOptions = " --db hub.sqlite"
    static let listsEveryStation = true

    @OptionGroup var database: DatabaseOption
    @OptionGroup var operatorOption: OperatorOption

    func openReplica() throws -> ReplicaStore { try database.open().replica }

    func ownStation(in store: ReplicaStore) throws -> String? { nil }

    func actorName(in store: ReplicaStore) throws -> String? { operatorOption.operatorName }
}

/// The hub's refusals are bad input to an operator command: nothing was written.
extension HubFailure: RefusalError {}

extension ParsableCommand {
    /// Runs an operator action, turning a refusal or bad input into a
    /// message and exit code 64 (nothing was written).
    func reporting<T>(_ body: () throws -> T) throws -> T {
        try reportingFailures(program: "hub", body)
    }
}
