import ArgumentParser
import Foundation
import SyncCore

@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "The district hub: receives stations' records and tallies, merges them, and serves them back.",
        subcommands: [
            Serve.self, StationCommand.self, Records.self, TallyCommand.self, ConflictsCommand.self, Import.self,
            Report.self, Settings.self,
        ]
    )
}

/// The hub database every operator command takes.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The hub's database file.", valueName: "path"))
    var db: String

    /// Opens the hub's store with the catalog's element check.
    func open() throws -> HubStore {
        try HubStore(path: db, schema: Catalog.builtIn.schema)
    }
}

/// Who is at the keyboard, for the audit trail.
struct OperatorOption: ParsableArguments {
    @Option(name: .customLong("operator"), help: ArgumentHelp("Your name, recorded with every change (default: $HUB_OPERATOR).", valueName: "name"))
    var name: String?

    var operatorName: String? {
        name ?? ProcessInfo.processInfo.environment["HUB_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
