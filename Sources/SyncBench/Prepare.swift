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
    /// The hub's work on a push before its database sees it, alone and
    /// repeatable: for instruction counts under callgrind, which stay the
    /// same run to run on this shared machine where timings do not.
    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare",
            abstract: "Decode, validate and build stored forms for one push batch, N times (for callgrind).",
            discussion: """
                Compare two builds by their instruction counts: the difference between --rounds 10 \\
                and --rounds 0 is ten batches' work. valgrind needs a copy without debug info.

                Example:
                  cp .build/release/sync-bench /tmp/sb && strip -g /tmp/sb
                  valgrind --tool=callgrind /tmp/sb prepare --rounds 0
                  valgrind --tool=callgrind /tmp/sb prepare --rounds 10
                """
        )

        @Option(help: "Records in the batch.") var records = 5_000
        @Option(help: "Times the batch is prepared.") var rounds = 10

        func run() throws {
            let work = try Workspace()
            let store = try ReplicaStore(path: work.file("prepare.sqlite"), durability: .normal)
            var generator = SyntheticResidents(seed: 7)
            try store.writeTransaction {
                for _ in 0..<records {
                    let input = generator.record()
                    try store.addRecord(station: "S01", values: input.values, tags: input.tags, clerk: "bench")
                }
            }
            let body = PushRequest.encode(
                node: store.nodeID, encodedStates: try store.changes(since: 0, limit: records).map(\.bytes))
            store.close()
            var accepted = 0
            for _ in 0..<rounds {
                accepted += try HubService.prepare(body, schema: EntitySchema()).acceptedCount
            }
            print("prepared \(rounds) × \(records) records (\(body.count) bytes each time), \(accepted) valid")
        }
    }
}
