import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting

extension Hub {
    struct StationCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station",
            abstract: "Register, list, revoke and give new tokens to the stations that sync with this hub.",
            subcommands: [Add.self, List.self, Revoke.self, Rotate.self]
        )
    }
}

extension Hub.StationCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a station and print its bearer token, once, alone on stdout.",
            discussion: """
                Only a hash of the token is kept: write it down or hand it to the station now.

                Example:
                  hub station add S01 --name "青禾社区卫生服务站" --db hub.sqlite
                """
        )

        @Argument(help: "The station id: 1–32 letters, digits, '-' or '_'.") var id: String
        @Option(help: "The station's name.") var name: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.openOrCreate()
                defer { hub.close() }
                print(try hub.addStation(id: id, name: name))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registered stations.",
            discussion: "Example:\n  hub station list --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(help: "Print JSON: an array of {id, name, created, revoked, nodes}.") var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let stations = try hub.stations()
                if json {
                    printJSON(
                        .array(
                            stations.map { station in
                                .object([
                                    ("id", .string(station.id)), ("name", .string(station.name)),
                                    ("created", .string(Timestamp.text(station.created))),
                                    ("revoked", .string(station.revoked.map(Timestamp.text))),
                                    ("nodes", .int(station.nodes)),
                                ])
                            }))
                    return
                }
                var table = TextTable(headers: ["ID", "NAME", "NODES", "REGISTERED", "REVOKED"], alignRight: [2])
                for station in stations {
                    table.add([
                        station.id, station.name, String(station.nodes), Timestamp.text(station.created),
                        station.revoked.map(Timestamp.text) ?? "",
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a station's token: its next request is refused.",
            discussion: "Example:\n  hub station revoke S01 --db hub.sqlite"
        )

        @Argument(help: "The station id.") var id: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.revokeStation(id: id)
            }
            print("revoked \(id)")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a station a new token, printed once, alone on stdout; the old one stops working at once.",
            discussion: """
                For a lost, leaked or revoked token. The station's laptops keep everything they hold: give each the
                new token with `station config --token-file FILE` (or --token), then sync.

                Example:
                  hub station rotate S01 --db hub.sqlite > S01.token
                """
        )

        @Argument(help: "The station id.") var id: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                print(try hub.rotateToken(station: id))
            }
        }
    }
}
