import ArgumentParser
import SyncCore

@main
struct Station: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: "Keep a community health station's resident records and monthly tallies, offline, and sync them with the district hub.",
        subcommands: [LocalDemo.self]
    )
}
