import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

@main
struct SyncBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-bench",
        abstract: "Measure sync against SQLite's own speed, on loopback, in one run (build with -c release).",
        discussion: """
            Examples:
              swift build -c release && .build/release/sync-bench
              .build/release/sync-bench --records 20000
              .build/release/sync-bench load --stations 200
              .build/release/sync-bench load --db postgres://hub@127.0.0.1/postgres --hubs 2 --stations 2000
              .build/release/sync-bench pull-cost --db postgres://hub@127.0.0.1/postgres
              .build/release/sync-bench encryption --records 20000
              .build/release/sync-bench import --records 20000   (station record import vs sqlite3 .import)
              .build/release/sync-bench prepare --rounds 10   (under callgrind: see prepare --help)
            """,
        subcommands: [Measure.self, Load.self, PullCost.self, Prepare.self, Encryption.self, Import.self, Link.self],
        defaultSubcommand: Measure.self
    )
}

/// A folder for one run's files, removed afterwards.
final class Workspace {
    let path: String
    /// Set SYNC_BENCH_KEEP=1 to keep the files for profiling.
    let keep = ProcessInfo.processInfo.environment["SYNC_BENCH_KEEP"] == "1"

    init() throws {
        path = NSTemporaryDirectory() + "sync-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        if keep { print("kept \(path)") } else { try? FileManager.default.removeItem(atPath: path) }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = monotonicSeconds()
    try body()
    return monotonicSeconds() - start
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// One line of results: figure, ratio to the baseline, goal.
struct Figure {
    let name: String
    let value: String
    let ratio: String
    let goal: String
}

func printFigures(_ title: String, _ figures: [Figure]) {
    print("\n\(title)")
    var table = TextTable(headers: ["MEASURE", "VALUE", "RATIO", "GOAL"])
    for figure in figures { table.add([figure.name, figure.value, figure.ratio, figure.goal]) }
    print(table.render(maxColumnWidth: 60))
}

/// Prints a line and sends it on at once, even into a file or a pipe:
/// the load and pull-cost runs take minutes, and their lines are the progress.
func printNow(_ line: String) {
    print(line)
    fflush(nil)
}
