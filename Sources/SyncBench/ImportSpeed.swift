import ArgumentParser
import Foundation
import Reporting
import SyncModel

extension SyncBench {
    /// `station record import` against the sqlite3 shell's `.import` of the
    /// same file (`measure` prints it too).
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "A CSV of N residents: `station record import` against `sqlite3 .import`, as a ratio.",
            discussion: """
                Needs the sqlite3 shell on the PATH (apt-get install sqlite3).

                Example:
                  .build/release/sync-bench import --records 20000
                """
        )

        @Option(help: "Rows in the CSV.") var records = 100_000
        @Option(help: "Runs of each; the median is shown.") var rounds = 3

        func run() throws {
            print("sync-bench import: \(records) synthetic records, release build")
            try ImportSpeed.measure(records: records, rounds: rounds)
        }
    }
}

/// What a clerk's import costs next to the least any import of the file
/// costs: the sqlite3 shell's `.import --csv` into a fresh table (no
/// validation, no index, no clocks or audit) and `station record import`
/// into a fresh store, both whole processes on the same file, alternating,
/// each the median of the rounds. Goal (issue #17): station ≥ 0.3× sqlite3.
enum ImportSpeed {
    static let goal = 0.3

    static func measure(records: Int, rounds: Int) throws {
        guard let shell = executable(named: "sqlite3") else {
            print(
                "\nimport: skipped, the sqlite3 shell is not on the PATH (install it: apt-get install sqlite3)")
            return
        }
        let work = try Workspace()
        let csv = work.file("residents.csv")
        try ResidentsCSV.write(records: records, to: csv)

        var shellTimes: [Double] = []
        var stationTimes: [Double] = []
        for round in 0..<max(1, rounds) {
            let database = work.file("shell-\(round).sqlite")
            let store = work.file("station-\(round).sqlite")
            try EncryptionCost.station(["init", "--station", "S01", "--name", "bench", "--db", store])
            let runShell = {
                shellTimes.append(try seconds { try run(shell, [database, ".import --csv \(csv) t"]) })
                let count = try run(shell, [database, "SELECT count(*) FROM t"])
                guard Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) == records else {
                    throw BenchError("sqlite3 .import took \(count) rows, not \(records)")
                }
            }
            let runStation = {
                var output = ""
                stationTimes.append(
                    try seconds {
                        output = try EncryptionCost.station(
                            ["record", "import", csv, "--db", store, "--clerk", "bench"])
                    })
                guard output.contains("imported \(records),") else {
                    throw BenchError("the import did not take every row: \(output)")
                }
            }
            // Alternate which goes first, so a busy moment of this shared machine falls on both.
            if round % 2 == 0 {
                try runShell()
                try runStation()
            } else {
                try runStation()
                try runShell()
            }
        }

        let shellTime = median(shellTimes)
        let stationTime = median(stationTimes)
        let ratio = shellTime / stationTime
        let size = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        printFigures(
            "import: a \(size / 1024) KB CSV of \(records) residents, median of \(max(1, rounds)) runs",
            [
                Figure(
                    name: "sqlite3 shell: .import --csv into a fresh table",
                    value: "\(format(Double(records) / shellTime, 0)) rows/s (\(format(shellTime, 2)) s)",
                    ratio: "1.00×", goal: ""),
                Figure(
                    name: "station record import into a fresh store",
                    value: "\(format(Double(records) / stationTime, 0)) rows/s (\(format(stationTime, 2)) s)",
                    ratio: "\(format(ratio, 2))× sqlite3",
                    goal: "≥ \(format(goal, 1))× " + (ratio >= goal ? "met" : "NOT met")),
            ])
    }

    /// The first executable of that name on the PATH, as a shell would find it.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program to completion; returns what it printed, or throws with its error output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, errors.isEmpty else {
            throw BenchError(
                "\(program) exited \(process.terminationStatus): " + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
