import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

extension SyncBench {
    /// What encryption at rest costs the clerk, alone (`measure` prints it too).
    struct Encryption: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encryption",
            abstract: "Import, first sync and new-laptop pull on a plain and an encrypted store, as ratios.",
            discussion: """
                Example:
                  .build/release/sync-bench encryption --records 20000
                """
        )

        @Option(help: "Records imported, pushed and pulled.") var records = 100_000
        @Option(help: "Rounds of each; the median is shown.") var rounds = 3

        func run() throws {
            print("sync-bench encryption: \(records) synthetic records, loopback, release build")
            try EncryptionCost.measure(records: records, rounds: rounds)
        }
    }
}

/// The same clerk's work on a plain store and on one made with `init
/// --encrypt`, through the real `station` binary and a real hub: a CSV
/// import, the first sync (push) and a new laptop's first sync (pull). The
/// two kinds alternate, and each figure is the median of the rounds, so a
/// busy moment of this shared machine falls on both.
enum EncryptionCost {
    static let passphrase = "bench passphrase 长城"

    static func measure(records: Int, rounds: Int) throws {
        let work = try Workspace()
        let csvPath = work.file("residents.csv")
        try ResidentsCSV.write(records: records, to: csvPath)

        // One station per kind and round, registered before the hub starts.
        let hubPath = work.file("hub.sqlite")
        let admin = try HubService(path: hubPath)
        var tokens: [String: String] = [:]
        for round in 0..<rounds {
            for kind in Kind.allCases {
                let station = kind.station(round)
                tokens[station] = try admin.addStation(id: station, name: "bench \(station)")
            }
        }
        admin.close()
        let hub = try HubChild(database: hubPath)
        defer { hub.stop() }

        var times: [Kind: [Step: [Double]]] = [:]
        var opens: [Kind: [Double]] = [:]
        var sizes: [Kind: Int] = [:]
        for round in 0..<rounds {
            // Alternate which kind goes first.
            for kind in round % 2 == 0 ? Kind.allCases : Kind.allCases.reversed() {
                let id = kind.station(round)
                let laptop = work.file("\(id)-a.sqlite"), fresh = work.file("\(id)-b.sqlite")
                for path in [laptop, fresh] {
                    try station(
                        ["init", "--station", id, "--name", "bench", "--hub", hub.url, "--db", path]
                            + (kind == .encrypted ? ["--encrypt"] : []),
                        environment: ["HEALTH_SYNC_TOKEN": tokens[id]!])
                }
                var output = ""
                let importTime = try seconds {
                    output = try self.station(["record", "import", csvPath, "--db", laptop, "--clerk", "bench"])
                }
                guard output.contains("imported \(records),") else {
                    throw BenchError("the import did not take every row: \(output)")
                }
                let pushTime = try seconds {
                    output = try self.station(["sync", "--json", "--db", laptop])
                }
                guard count("pushed", in: output) == records else { throw BenchError("first sync: \(output)") }
                let pullTime = try seconds {
                    output = try self.station(["sync", "--json", "--db", fresh])
                }
                guard count("pulled", in: output) == records else { throw BenchError("new laptop: \(output)") }
                let openTime = median(
                    try (0..<3).map { _ in try seconds { _ = try self.station(["status", "--db", fresh]) } })
                times[kind, default: [:]][.importing, default: []].append(importTime)
                times[kind, default: [:]][.push, default: []].append(pushTime)
                times[kind, default: [:]][.pull, default: []].append(pullTime)
                opens[kind, default: []].append(openTime)
                let file = try FileManager.default.attributesOfItem(atPath: laptop)[.size] as? Int ?? 0
                sizes[kind] = file
            }
        }

        var figures: [Figure] = []
        for step in Step.allCases {
            let plain = median(times[.plain]![step]!), encrypted = median(times[.encrypted]![step]!)
            let ratio = encrypted / plain
            figures.append(
                Figure(
                    name: step.name(records),
                    value:
                        "\(format(Double(records) / plain, 0)) vs \(format(Double(records) / encrypted, 0)) rec/s (\(format(plain, 2)) vs \(format(encrypted, 2)) s)",
                    ratio: "\(format(ratio, 2))× slower",
                    goal: "≤ 1.3× " + (ratio <= 1.3 ? "met" : "NOT met")))
        }
        // The cipher alone, on states of the size stored.
        let key = DataKey()
        let sample = try ReplicaStore(path: work.file("P0-a.sqlite"))
        let states = try sample.changes(since: 0, limit: 1000).map(\.bytes)
        sample.close()
        let binding = Array("entities.state\u{0}record\u{0}01900000-0000-7000-8000-000000000000".utf8)
        var sealed: [[UInt8]] = []
        let sealTime = try seconds { sealed = try states.map { try key.seal($0, binding: binding) } }
        let openTime = try seconds { for box in sealed { _ = try key.open(box, binding: binding) } }
        let stateSize = states.reduce(0) { $0 + $1.count } / max(1, states.count)
        figures.append(
            Figure(
                name: "AES-256-GCM of one \(stateSize)-byte state: seal / open",
                value:
                    "\(format(sealTime / Double(states.count) * 1e6, 1)) / \(format(openTime / Double(states.count) * 1e6, 1)) µs",
                ratio: "", goal: ""))
        let plainOpen = median(opens[.plain]!), encryptedOpen = median(opens[.encrypted]!)
        let cost = WrappedDataKey.Cost.standard
        figures.append(
            Figure(
                name: "open the store (`station status`; scrypt N=\(cost.n), r=\(cost.r), p=\(cost.p))",
                value: "\(format(plainOpen * 1000, 0)) vs \(format(encryptedOpen * 1000, 0)) ms",
                ratio: "+\(format((encryptedOpen - plainOpen) * 1000, 0)) ms", goal: ""))
        figures.append(
            Figure(
                name: "file size after the import and first sync",
                value: "\(sizes[.plain]! / 1024) vs \(sizes[.encrypted]! / 1024) KB",
                ratio: "\(format(Double(sizes[.encrypted]!) / Double(sizes[.plain]!), 2))×", goal: ""))
        printFigures(
            "encryption at rest: plain vs encrypted store, \(records) records, median of \(rounds) rounds", figures)
    }

    enum Kind: CaseIterable {
        case plain, encrypted

        func station(_ round: Int) -> String { (self == .plain ? "P" : "E") + String(round) }
    }

    enum Step: CaseIterable {
        case importing, push, pull

        func name(_ records: Int) -> String {
            switch self {
            case .importing: return "record import (CSV, \(records) rows)"
            case .push: return "first sync, station → hub"
            case .pull: return "new laptop pulls \(records) records"
            }
        }
    }

    /// A number in a sync's JSON report.
    static func count(_ key: String, in report: String) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        return object?[key] as? Int
    }

    /// Runs `station` to completion, the passphrase in its environment;
    /// returns what it printed, or throws with its error output.
    @discardableResult
    static func station(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = try Products.url("station")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HEALTH_SYNC_PASSPHRASE"] = passphrase
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError(
                "station \(arguments.first ?? "") exited \(process.terminationStatus): "
                    + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
