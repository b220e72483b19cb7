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
            abstract:
                "List records, optionally by village, tag or conflict\(Options.listsEveryStation ? ", of one station" : "").",
            discussion: """
                Examples:
                  \(command)\(more) --village 青禾村
                  \(command)\(more) --tag pregnant --json
                  \(command)\(more) --in-conflict
                """
        )
    }

    @OptionGroup public var options: Options
    @Option(
        help: ArgumentHelp("Only this station's records.", visibility: Options.listsEveryStation ? .default : .hidden))
    public var station: String?
    @Option(help: "Only records of this village.") public var village: String?
    @Option(help: "Only records with this tag.") public var tag: String?
    @Flag(help: "Only records with a field in conflict.") public var inConflict = false
    @Flag(help: "Print a JSON array of records (the `show --json` shape).") public var json = false

    public init() {}

    public func run() throws {
        try reportingFailures(program: Options.program) {
            let wanted = try tag.map { tag -> String in
                guard let parsed = KeyPopulation(named: tag) else {
                    throw CommandFailure.badInput(
                        "unknown tag '\(tag)': use one of \(KeyPopulation.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
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
            abstract: "List tallies, optionally for one month\(Options.listsEveryStation ? " or one station" : "").",
            discussion: "Examples:\n  \(command)\(more) --period 2026-10\n  \(command)\(more) --json"
        )
    }

    @OptionGroup public var options: Options
    @Option(help: "Only this month, YYYY-MM.") public var period: String?
    @Option(help: ArgumentHelp("Only this station.", visibility: Options.listsEveryStation ? .default : .hidden))
    public var station: String?
    @Flag(help: "Print a JSON array of {id, station, element, period, value, comment, deleted, conflicts}.")
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
            abstract: "Find residents by name, part of a name, ID number or phone number.",
            discussion: """
                Examples:
                  \(command)\(more) 张秀
                  \(command)\(more) 110105194912310021
                  \(command)\(more) 13800001111 --json
                """
        )
    }

    @OptionGroup public var options: Options
    @Argument(help: "What to look for.") public var text: String
    @Flag(help: "Print a JSON array of records (the `show --json` shape).") public var json = false

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
