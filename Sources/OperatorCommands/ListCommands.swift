import ArgumentParser
import Reporting
import SyncModel
import SyncStore

/// `record list` (station) and `records list` (hub).
public struct RecordListCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        let command = "\(Options.program) \(Options.recordsCommand) list"
        let more = Options.exampleOptions
        return CommandConfiguration(
            commandName: "list",
            abstract: tr(
                "List records, optionally by village, tag or conflict\(Options.listsEveryStation ? ", of one station" : "").",
                zh: "列出档案，可按村、标签或冲突筛选\(Options.listsEveryStation ? "，也可只看一个卫生站" : "")。"),
            discussion: tr("Examples:", zh: "示例：")
                + "\n  \(command)\(more) --village 青禾村"
                + "\n  \(command)\(more) --tag pregnant --json"
                + "\n  \(command)\(more) --in-conflict"
        )
    }

    @OptionGroup public var options: Options
    @Option(
        help: ArgumentHelp(
            tr("Only this station's records.", zh: "只看这个卫生站的档案。"),
            visibility: Options.listsEveryStation ? .default : .hidden))
    public var station: String?
    @Option(help: tr("Only records of this village.", zh: "只看这个村的档案。")) public var village: String?
    @Option(help: tr("Only records with this tag.", zh: "只看带这个标签的档案。")) public var tag: String?
    @Flag(help: tr("Only records with a field in conflict.", zh: "只看有字段冲突的档案。")) public var inConflict = false
    @Flag(help: tr("Print a JSON array of records (the `show --json` shape).", zh: "输出档案的 JSON 数组（格式同 `show --json`）。"))
    public var json = false

    public init() {}

    public func run() throws {
        try reportingFailures(program: Options.program) {
            let wanted = try tag.map { tag -> String in
                guard let parsed = KeyPopulation(named: tag) else {
                    let names = KeyPopulation.allCases.map(\.rawValue).joined(separator: ", ")
                    throw CommandFailure.badInput(
                        tr("unknown tag '\(tag)': use one of \(names)", zh: "没有“\(tag)”这个标签：请用以下之一：\(names)"))
                }
                return parsed.rawValue
            }
            let store = try options.openReplica()
            defer { store.close() }
            let records = try store.entities(.record, station: station, inConflict: inConflict).filter { state in
                (village == nil || state.value("village") == village)
                    && (wanted.map { state.members("tags").contains($0) } ?? true)
            }
            print(
                json
                    ? JSONValue.array(records.map(EntityRendering.recordJSON)).text
                    : EntityRendering.recordTable(records, showStation: Options.listsEveryStation))
        }
    }
}

/// `tally list`, at a station (its own) and at the hub (every station's).
public struct TallyListCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        let command = "\(Options.program) tally list"
        let more = Options.exampleOptions
        return CommandConfiguration(
            commandName: "list",
            abstract: tr(
                "List tallies, optionally for one month\(Options.listsEveryStation ? " or one station" : "").",
                zh: "列出月报数据，可只看一个月份\(Options.listsEveryStation ? "或一个卫生站" : "")。"),
            discussion: tr("Examples:", zh: "示例：")
                + "\n  \(command)\(more) --period 2026-10\n  \(command)\(more) --json"
        )
    }

    @OptionGroup public var options: Options
    @Option(help: tr("Only this month, YYYY-MM.", zh: "只看这个月份，格式 YYYY-MM。")) public var period: String?
    @Option(
        help: ArgumentHelp(
            tr("Only this station.", zh: "只看这个卫生站。"), visibility: Options.listsEveryStation ? .default : .hidden))
    public var station: String?
    @Flag(
        help: tr(
            "Print a JSON array of {id, station, element, period, value, comment, deleted, conflicts}.",
            zh: "输出 JSON 数组：每项含 id、station、element、period、value 等。"))
    public var json = false

    public init() {}

    public func run() throws {
        try reportingFailures(program: Options.program) {
            let month = try period.map { try Period.validated($0) }
            let store = try options.openReplica()
            defer { store.close() }
            let scope = try station ?? options.ownStation(in: store)
            let tallies = try store.entities(.tally, station: scope, period: month?.description)
            print(
                json
                    ? JSONValue.array(tallies.map(EntityRendering.tallyJSON)).text
                    : EntityRendering.tallyTable(
                        tallies, showStation: Options.listsEveryStation, catalog: Catalog.builtIn))
        }
    }
}

/// `record find` (station) and `records find` (hub): a resident by name,
/// part of a name, ID number or phone number.
public struct RecordFindCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        let command = "\(Options.program) \(Options.recordsCommand) find"
        let more = Options.exampleOptions
        return CommandConfiguration(
            commandName: "find",
            abstract: tr(
                "Find residents by name, part of a name, ID number or phone number.",
                zh: "按姓名、姓名的一部分、身份证号或电话查找居民。"),
            discussion: tr("Examples:", zh: "示例：")
                + "\n  \(command)\(more) 张秀"
                + "\n  \(command)\(more) 110105194912310021"
                + "\n  \(command)\(more) 13800001111 --json"
        )
    }

    @OptionGroup public var options: Options
    @Argument(help: tr("What to look for.", zh: "要查找的内容。")) public var text: String
    @Flag(help: tr("Print a JSON array of records (the `show --json` shape).", zh: "输出档案的 JSON 数组（格式同 `show --json`）。"))
    public var json = false

    public init() {}

    public func run() throws {
        try reportingFailures(program: Options.program) {
            let store = try options.openReplica()
            defer { store.close() }
            let found = try store.findRecords(text)
            print(
                json
                    ? JSONValue.array(found.map(EntityRendering.recordJSON)).text
                    : EntityRendering.recordTable(found, showStation: Options.listsEveryStation))
        }
    }
}
