import ArgumentParser
import SyncCore

@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "The district hub: receives stations' records and tallies, merges them, and serves them back.",
        subcommands: [Serve.self, StationCommand.self]
    )
}

/// The hub database every operator command takes.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The hub's database file.", valueName: "path"))
    var db: String
}
