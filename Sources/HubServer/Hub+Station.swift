import ArgumentParser
import Foundation
import SyncCore

extension Hub {
    struct StationCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station",
            abstract: "Register, list and revoke the stations that sync with this hub.",
            subcommands: [Add.self, List.self, Revoke.self]
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
            let store = try database.open()
            defer { store.close() }
            print(try Hub.operatorCall { try store.addStation(id: id, name: name) })
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
            let store = try database.open()
            defer { store.close() }
            let stations = try store.stations()
            if json {
                var writer = JSONWriter()
                writer.raw("[")
                for (index, station) in stations.enumerated() {
                    if index > 0 { writer.comma() }
                    writer.raw("{\"id\":")
                    writer.string(station.id)
                    writer.raw(",\"name\":")
                    writer.string(station.name)
                    writer.raw(",\"created\":")
                    writer.string(Hub.timestamp(station.created))
                    writer.raw(",\"revoked\":")
                    writer.string(station.revoked.map(Hub.timestamp))
                    writer.raw(",\"nodes\":")
                    writer.int(Int64(station.nodes))
                    writer.raw("}")
                }
                writer.raw("]")
                print(String(decoding: writer.bytes, as: UTF8.self))
                return
            }
            var table = TextTable(headers: ["ID", "NAME", "NODES", "REGISTERED", "REVOKED"], alignRight: [2])
            for station in stations {
                table.add([station.id, station.name, String(station.nodes), Hub.timestamp(station.created),
                           station.revoked.map(Hub.timestamp) ?? ""])
            }
            print(table.render())
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
            let store = try database.open()
            defer { store.close() }
            try Hub.operatorCall { try store.revokeStation(id: id) }
            print("revoked \(id)")
        }
    }
}

extension Hub {
    /// Runs an operator action, turning a refusal or bad input into a
    /// message and exit code 64 (nothing was written).
    static func operatorCall<T>(_ body: () throws -> T) throws -> T {
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            return ExitCode.validationFailure
        }
        do {
            return try body()
        } catch let error as HubError {
            throw fail(error.message)
        } catch let error as StoreError {
            throw fail(error.description)
        } catch let error as SyncCore.ValidationError {
            throw fail(error.description)
        }
    }

    static func printJSON(_ bytes: [UInt8]) {
        print(String(decoding: bytes, as: UTF8.self))
    }

    /// UTC time, ISO 8601, to the second.
    static func timestamp(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
