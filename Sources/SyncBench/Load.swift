import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

extension SyncBench {
    /// Many stations syncing at once against one hub, on loopback.
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Simulate many stations syncing at once against one hub or several: errors, lost writes, p50/p99 latency, database size.",
            discussion: """
                Examples:
                  .build/release/sync-bench load --stations 200 --records 50
                  PGPASSWORD=… .build/release/sync-bench load --db postgres://hub@127.0.0.1:5432/postgres --hubs 2 --stations 2000
                With --db, the run makes a database of its own on that server (the role needs CREATEDB) and drops it afterwards; \
                the named database is only used to connect. Station i syncs through hub (i + round) mod --hubs, so every station \
                changes hubs between rounds.
                """
        )

        @Option(help: "Simulated stations, all syncing at the same moment.") var stations = 200
        @Option(help: "Records each station writes before its first sync.") var records = 50
        @Option(help: "Rounds: the first syncs everything, later ones sync 5 edits per station.") var rounds = 3
        @Option(help: "A postgres://USER@HOST:PORT/DATABASE server to run the hubs on (password from PGPASSWORD).")
        var db: String?
        @Option(help: "Hub processes serving the one database (more than one needs --db).") var hubs = 1
        @Option(
            help:
                "Kill the first hub process with SIGKILL this many seconds into the first round, and start it again on its port: the stations it served retry."
        )
        var killHubAfter: Double?

        func validate() throws {
            guard stations >= 1, records >= 0, rounds >= 1 else {
                throw ValidationError("--stations and --rounds must be at least 1, --records at least 0")
            }
            guard hubs >= 1 else { throw ValidationError("--hubs must be at least 1") }
            guard hubs == 1 || db != nil else {
                throw ValidationError("several hub processes share a PostgreSQL database: give --db postgres://…")
            }
        }

        struct Outcome: Sendable {
            var latencies: [Double] = []
            var errors: [String] = []
        }

        func run() throws {
            let work = try Workspace()
            let ids = (1...stations).map { String(format: "L%04d", $0) }
            let database = try BenchHubDatabase(url: db, work: work, name: "load")
            defer { database.drop() }
            let admin = try database.open()
            var tokens: [String: String] = [:]
            for id in ids { tokens[id] = try admin.addStation(id: id, name: id) }
            admin.close()
            var children: [HubChild] = []
            defer { for child in children { child.stop() } }
            for _ in 0..<hubs {
                children.append(try HubChild(database: database.argument, password: database.password))
            }
            var generator = SyntheticResidents(seed: 7)
            for id in ids {
                let store = try ReplicaStore(path: work.file("\(id).sqlite"))
                try store.writeTransaction {
                    for _ in 0..<records {
                        let input = generator.record()
                        try store.addRecord(station: id, values: input.values, tags: input.tags, clerk: "load")
                    }
                }
                store.close()
            }
            let backend = database.isPostgres ? "PostgreSQL" : "SQLite"
            printNow(
                "load: \(stations) stations × \(records) records, \(rounds) rounds of simultaneous syncs against \(hubs) hub process(es) on \(backend)"
            )
            var all = Outcome()
            for round in 0..<rounds {
                if round > 0 {
                    for id in ids {
                        let store = try ReplicaStore(path: work.file("\(id).sqlite"))
                        for state in try store.entities(.record).prefix(5) {
                            try store.editRecord(id: state.id, set: [.note: "round \(round)"], clerk: "load")
                        }
                        store.close()
                    }
                }
                let outcome = Mutex(Outcome())
                let start = DispatchSemaphore(value: 0)
                let group = DispatchGroup()
                for (index, id) in ids.enumerated() {
                    let path = work.file("\(id).sqlite"), token = tokens[id]!
                    let url = children[(index + round) % children.count].url
                    group.enter()
                    Thread {
                        defer { group.leave() }
                        start.wait()
                        let began = monotonicSeconds()
                        do {
                            let store = try ReplicaStore(path: path)
                            defer { store.close() }
                            let report = try SyncSession(
                                store: store, client: try HTTPClient(),
                                options: SyncSession.Options(hubURL: url, token: token, station: id)
                            ).run()
                            let elapsed = monotonicSeconds() - began
                            outcome.withLock {
                                $0.latencies.append(elapsed)
                                if !report.failures.isEmpty {
                                    $0.errors.append("\(id): \(report.failures.count) failures")
                                }
                            }
                        } catch {
                            outcome.withLock { $0.errors.append("\(id): \(error)") }
                        }
                    }.start()
                }
                let began = monotonicSeconds()
                for _ in ids { start.signal() }
                if round == 0, let killHubAfter {
                    // The stations hold the first hub's URL, not the object: it
                    // comes back on the same port.
                    Thread.sleep(forTimeInterval: killHubAfter)
                    let killed = children[0]
                    let running = outcome.withLock { ids.count - $0.latencies.count - $0.errors.count }
                    killed.kill()
                    children[0] = try HubChild(
                        database: database.argument, password: database.password, port: killed.port)
                    printNow(
                        "  hub 1 killed (SIGKILL) \(format(killHubAfter, 1)) s into the round, \(running) syncs running; started again on its port"
                    )
                }
                group.wait()
                let wall = monotonicSeconds() - began
                let result = outcome.withLock { $0 }
                let sorted = result.latencies.sorted()
                func percentile(_ p: Double) -> Double {
                    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
                }
                printNow(
                    "round \(round + 1): \(sorted.count) syncs in \(format(wall, 2)) s, errors \(result.errors.count), p50 \(format(percentile(0.5) * 1000, 0)) ms, p99 \(format(percentile(0.99) * 1000, 0)) ms, max \(format((sorted.last ?? 0) * 1000, 0)) ms, database \(megabytes(try database.size()))"
                )
                for error in result.errors.prefix(5) { printNow("  \(error)") }
                all.latencies += result.latencies
                all.errors += result.errors
            }

            // Every write of every station is at the hub, exactly as the station holds it.
            let check = try database.open()
            var lost = 0, differing = 0
            for id in ids {
                let store = try ReplicaStore(path: work.file("\(id).sqlite"))
                let local = try store.entities(.record, includeDeleted: true)
                let atHub = Dictionary(
                    uniqueKeysWithValues: try check.replica.entities(.record, station: id, includeDeleted: true).map {
                        ($0.id, $0)
                    })
                for state in local {
                    guard let remote = atHub[state.id] else { lost += 1; continue }
                    if remote != state { differing += 1 }
                }
                if atHub.count != local.count { differing += abs(atHub.count - local.count) }
                store.close()
            }
            check.close()
            let sorted = all.latencies.sorted()
            printNow(
                "total: \(sorted.count) syncs, errors \(all.errors.count), lost writes \(lost), differing \(differing), p50 \(format(sorted[sorted.count / 2] * 1000, 0)) ms, p99 \(format(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000, 0)) ms, hub peak memory \(children.map { format($0.peakRSS, 0) + " MB" }.joined(separator: ", ")), database \(megabytes(try database.size()))"
            )
            if !all.errors.isEmpty || lost > 0 || differing > 0 { throw ExitCode.failure }
        }
    }
}
