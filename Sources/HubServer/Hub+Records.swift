import ArgumentParser
import SyncCore

extension Hub {
    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract: "List and show the resident records stations have sent.",
            subcommands: [List.self, Show.self]
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
            try Hub.operatorCall {
                let store = try database.open()
                defer { store.close() }
                let records = try store.replica.entities(.record, station: station, inConflict: inConflict)
                if json {
                    Hub.printJSON(EntityRendering.recordsJSON(records))
                    return
                }
                var table = TextTable(headers: ["ID", "STATION", "NAME", "SEX", "BIRTH", "VILLAGE", "CONFLICT"])
                for state in records {
                    table.add([state.id, state.station, state.value("name") ?? "", state.value("sex") ?? "",
                               state.value("birth") ?? "", state.value("village") ?? "",
                               state.conflictingFields.joined(separator: ",")])
                }
                print(table.render())
                print("\(records.count) record\(records.count == 1 ? "" : "s")")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one record with its conflicts.",
            discussion: "Example:\n  hub records show 3f2b8c1e-… --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The record's id.") var id: String
        @Flag(help: "Print JSON (the `station record show --json` shape).") var json = false

        func run() throws {
            try Hub.operatorCall {
                let store = try database.open()
                defer { store.close() }
                guard let state = try store.replica.entity(.record, id) else { throw StoreError.notFound(kind: .record, id: id) }
                if json {
                    var writer = JSONWriter()
                    EntityRendering.recordJSON(state, into: &writer)
                    Hub.printJSON(writer.bytes)
                } else {
                    print(EntityRendering.recordText(state))
                }
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
                try Hub.operatorCall {
                    let month = try period.map { try Period.validated($0) }
                    let store = try database.open()
                    defer { store.close() }
                    let tallies = try store.replica.entities(.tally, station: station, period: month?.description)
                    if json {
                        Hub.printJSON(EntityRendering.talliesJSON(tallies))
                        return
                    }
                    var table = TextTable(headers: ["STATION", "PERIOD", "ELEMENT", "VALUE", "CONFLICT"], alignRight: [3])
                    for state in tallies {
                        guard let key = try? TallyKey(entityID: state.id) else { continue }
                        table.add([key.station, key.period.description, key.element, state.value("value") ?? "",
                                   state.conflictingFields.joined(separator: ",")])
                    }
                    print(table.render())
                }
            }
        }
    }
}
