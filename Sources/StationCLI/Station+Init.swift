import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore

extension Station {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create this node's store for a station, with a new node id.",
            discussion: """
                Two laptops at one clinic each run `init` with the same station id and token: each gets
                its own node id, and they share the station's data through the hub.

                Example:
                  station init --station S01 --name "青禾社区卫生服务站" \\
                      --hub http://hub.local:8080 --token-file S01.token
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "The station id the hub registered (letters, digits, '-', '_').") var station: String
        @Option(help: "The station's name.") var name: String
        @Option(help: "The hub's URL, e.g. https://hub.example:8080.") var hub: String?
        @OptionGroup var tokenInput: TokenInput

        func run() throws {
            try reporting {
                try Identifiers.validateStation(station, field: "--station")
                if let hub, !(hub.hasPrefix("http://") || hub.hasPrefix("https://")) {
                    throw CommandFailure.badInput("--hub must start with http:// or https://, not '\(hub)'")
                }
                let path = options.path
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                let store = try ReplicaStore(path: path)
                defer { store.close() }
                if let existing = try StationConfig(store) {
                    throw CommandFailure.badInput(
                        "\(path) is already set up for station \(existing.station) (node \(store.nodeID))")
                }
                try store.saveStationSettings(
                    StationSettings(
                        station: station, name: name, hubURL: hub, token: try tokenInput.resolve(),
                        clerk: options.typedClerk))
                // The token is a secret: only this user may read the file.
                chmod(path, 0o600)
                print("initialised station \(station) (\(name)) at \(path), node \(store.nodeID)")
            }
        }
    }
}
