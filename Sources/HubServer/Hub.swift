import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel
import SyncStore
import SyncStorePostgres

@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: tr(
            "The district hub: receives stations' records and tallies, merges them, and serves them back.",
            zh: "区平台：接收各卫生站的档案和月报数据，合并后再发回各站。"),
        discussion: tr(
            """
            Every operator command takes --db (default $HUB_DB). Messages are in Chinese with a zh_* \
            locale (LANG, LC_MESSAGES, LC_ALL) or --lang zh, in English with --lang en.

            Example:
              hub station add S01 --name "青禾社区卫生服务站" --db hub.sqlite > S01.token
            """,
            zh: """
                每个操作命令都接受 --db（默认 $HUB_DB）。界面语言随系统区域设置
                （LANG 等为 zh_* 时用中文），也可用 --lang zh 或 --lang en 指定。

                示例：
                  hub station add S01 --name "青禾社区卫生服务站" --db hub.sqlite > S01.token
                """),
        subcommands: [
            Serve.self, StationCommand.self, UnitCommand.self, QuotaCommand.self, SubmissionsCommand.self,
            CorrectionsCommand.self,
            Records.self, TallyCommand.self,
            ConflictsCommand<HubReviewOptions>.self,
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
    @Option(
        name: .long,
        help: ArgumentHelp(
            tr(
                "The hub's database: a file, or postgres://USER@HOST:PORT/DATABASE with the password in $PGPASSWORD (default: $HUB_DB).",
                zh: "区平台的数据库：一个文件，或 postgres://用户@主机:端口/数据库（口令放在 $PGPASSWORD 中）（默认：$HUB_DB）。"),
            valueName: "path|url"))
    var db: String?

    func validate() throws {
        guard path != nil else {
            throw ArgumentParser.ValidationError(
                tr(
                    "give the hub's database with --db PATH, or set HUB_DB",
                    zh: "请用 --db PATH 指定区平台的数据库，或设置 HUB_DB"))
        }
    }

    /// --db, else $HUB_DB.
    var path: String? {
        db ?? ProcessInfo.processInfo.environment["HUB_DB"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where --db points: a file, or a PostgreSQL database.
    func location() throws -> HubLocation {
        try HubLocation(path ?? "")
    }

    /// Opens an existing hub with the catalog's element check; a missing
    /// file or database, or one that is not a hub's, is refused, and
    /// nothing is made.
    func open() throws -> HubService {
        let location = try location()
        let db = location.description
        switch try location.inspect() {
        case .hub:
            return try location.open(schema: Catalog.builtIn.schema)
        case .missing where location.isFile:
            throw HubFailure.notFound(
                tr(
                    "\(db) does not exist: check the path, or make a hub with `hub station add ID --name NAME --db \(db)`",
                    zh: "\(db) 不存在：请检查路径，或用 `hub station add ID --name NAME --db \(db)` 建立区平台"))
        case .missing:
            throw HubFailure.notFound(
                tr(
                    "the database \(db) holds no hub yet: make one with `hub station add ID --name NAME --db \(db)`",
                    zh: "数据库 \(db) 中还没有区平台：请用 `hub station add ID --name NAME --db \(db)` 建立"))
        case .station:
            throw HubFailure.badRequest(
                tr(
                    "\(db) is a station's database, not a hub's: check --db",
                    zh: "\(db) 是卫生站的数据库，不是区平台的：请检查 --db"))
        case .other:
            throw HubFailure.badRequest(
                tr("\(db) is not a hub's database: check --db", zh: "\(db) 不是区平台的数据库：请检查 --db"))
        }
    }

    /// Opens the hub, making it when there is none (`hub station add`).
    func openOrCreate() throws -> HubService {
        let location = try location()
        if try location.inspect() == .missing { return try location.open(schema: Catalog.builtIn.schema) }
        return try open()
    }
}

/// Who is at the keyboard, for the audit trail.
struct OperatorOption: ParsableArguments {
    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            tr(
                "Your name, recorded with every change (default: $HUB_OPERATOR).",
                zh: "您的姓名，随每次修改记录（默认：$HUB_OPERATOR）。"),
            valueName: "name"))
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
        do {
            return try reportingFailures(program: "hub", body)
        } catch let error as PostgresStoreError {
            // The database server could not be reached or refused the work:
            // nothing was written, as with an SQLite file that is locked.
            printError(tr("Error: ", zh: "错误：") + error.description)
            throw ExitCode(resourceUnusable)
        }
    }
}

/// A `postgres://` URL that cannot be used is bad input: exit 64.
extension PostgresLocationError: RefusalError {}
