import ArgumentParser
import OperatorCommands
import Reporting
import SyncModel

extension Hub {
    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract: "List and show the resident records stations have sent.",
            subcommands: [List.self, RecordShowCommand<HubReviewOptions>.self]
        )
    }
}

extension Hub.Records {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List records, optionally of one station.",
            discussion: "Examples:\n  hub records list --db hub.sqlite --station S01\n  hub records list --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Option(help: "Only this station's records.") var station: String?
        @Flag(help: "Only records with a field in conflict.") var inConflict = false
        @Flag(help: "Print a JSON array of records (the `station record show --json` shape).") var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let records = try hub.replica.entities(.record, station: station, inConflict: inConflict)
                print(json ? JSONValue.array(records.map(EntityRendering.recordJSON)).text
                    : EntityRendering.recordTable(records, showStation: true))
            }
        }
    }
}

extension Hub {
    struct TallyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: "Look at the monthly tallies stations have sent.",
            subcommands: [List.self]
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List tallies, by month and station.",
                discussion: "Example:\n  hub tally list --db hub.sqlite --period 2026-10 --station S01"
            )

            @OptionGroup var database: DatabaseOption
            @Option(help: "Only this month, YYYY-MM.") var period: String?
            @Option(help: "Only this station.") var station: String?
            @Flag(help: "Print a JSON array (the `station tally list --json` shape).") var json = false

            func run() throws {
                try reporting {
                    let month = try period.map { try Period.validated($0) }
                    let hub = try database.open()
                    defer { hub.close() }
                    let tallies = try hub.replica.entities(.tally, station: station, period: month?.description)
                    print(json ? JSONValue.array(tallies.map(EntityRendering.tallyJSON)).text
                        : EntityRendering.tallyTable(tallies, showStation: true, catalog: Catalog.builtIn))
                }
            }
        }
    }
}
