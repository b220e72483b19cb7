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
    struct Measure: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "measure",
            abstract:
                "The sync figures: floor, local writes, first, no-op and incremental sync, wire bytes, the naive upload, merge, pull, memory; then encryption at rest's cost and CSV import against sqlite3."
        )

        @Option(help: "Records in the big store.") var records = 100_000
        @Option(help: "Records in the small store for the incremental comparison.") var smallRecords = 1_000
        @Option(help: "Records changed for the incremental syncs.") var changes = 100
        @Option(help: "Rounds of the plain vs encrypted comparison (0 leaves it out).") var encryptionRounds = 3
        @Option(help: "Runs of the CSV import against sqlite3's (0 leaves it out).") var importRounds = 3

        func run() throws {
            let work = try Workspace()
            print("sync-bench: \(records) synthetic records, loopback, release build")

            // Station store, local writes through SyncCore.
            let station = try ReplicaStore(path: work.file("station.sqlite"))
            var generator = SyntheticResidents(seed: 42)
            let inputs = (0..<records).map { _ in generator.record() }
            let localTime = try seconds {
                try station.writeTransaction {
                    for input in inputs {
                        try station.addRecord(station: "S01", values: input.values, tags: input.tags, clerk: "bench")
                    }
                }
            }

            // Floor: the same rows into the same schema, one transaction, prepared statement.
            let rows = try RawIngest(copying: station)
            // Three times, each into a fresh file; the median is the baseline
            // (this machine is shared, and one run can be far off).
            let floorTime = median(
                try (0..<3).map { attempt in
                    let target = try rows.prepare(at: work.file("floor-\(attempt).sqlite"))
                    defer { target.close() }
                    return try seconds { try target.insert() }
                })
            let floor = Double(records) / floorTime
            let plainJSON =
                Double(
                    try station.entities(.record).prefix(1000).reduce(0) { total, state in
                        total + EntityRendering.recordJSON(state).encoded().count
                    }) / Double(min(records, 1000))

            // The hub, and a station set up to sync with it.
            let hubPath = work.file("hub.sqlite")
            let admin = try HubService(path: hubPath)
            let token = try admin.addStation(id: "S01", name: "bench")
            let smallToken = try admin.addStation(id: "S02", name: "bench small")
            admin.close()
            let hub = try HubChild(database: hubPath)
            defer { hub.stop() }
            try station.saveStationSettings(
                StationSettings(station: "S01", name: "bench", hubURL: hub.url, token: token))
            station.close()

            // First sync, in a child process so its memory is its own.
            var firstReport: [String: Any] = [:]
            var stationPeak = 0.0
            let firstTime = try seconds {
                let (output, peak) = try runChild("station", ["sync", "--json", "--db", work.file("station.sqlite")])
                firstReport = (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:]
                stationPeak = peak
            }
            guard firstReport["pushed"] as? Int == records else {
                throw BenchError("first sync did not push everything: \(firstReport)")
            }
            let firstRate = Double(records) / firstTime
            let wirePerRecord = Double(firstReport["bytes_sent"] as? Int ?? 0) / Double(records)

            // No-op sync on the full store.
            let big = try ReplicaStore(path: work.file("station.sqlite"))
            let options = SyncSession.Options(hubURL: hub.url, token: token, station: "S01")
            var noopRequests = 0
            let noop = median(
                try (0..<5).map { _ in
                    try seconds {
                        let session = SyncSession(store: big, client: try HTTPClient(), options: options)
                        noopRequests = try session.run().requests
                    }
                })

            // Incremental: 100 changes on the big store, and on a small one.
            let small = try ReplicaStore(path: work.file("small.sqlite"))
            try small.writeTransaction {
                for input in inputs.prefix(smallRecords) {
                    try small.addRecord(station: "S02", values: input.values, tags: input.tags, clerk: "bench")
                }
            }
            let smallOptions = SyncSession.Options(hubURL: hub.url, token: smallToken, station: "S02")
            try SyncSession(store: small, client: try HTTPClient(), options: smallOptions).run()
            func incremental(_ store: ReplicaStore, _ options: SyncSession.Options, round: Int) throws -> (
                Double, SyncReport
            ) {
                let ids = try store.entities(.record).prefix(changes).map(\.id)
                for id in ids { try store.editRecord(id: id, set: [.note: "复诊 \(round)"], clerk: "bench") }
                var report = SyncReport()
                let time = try seconds {
                    report = try SyncSession(store: store, client: try HTTPClient(), options: options).run()
                }
                return (time, report)
            }
            var bigRuns: [Double] = [], smallRuns: [Double] = []
            var incrementalReport = SyncReport()
            for round in 0..<5 {
                let (bigTime, report) = try incremental(big, options, round: round)
                bigRuns.append(bigTime)
                incrementalReport = report
                smallRuns.append(try incremental(small, smallOptions, round: round).0)
            }
            let bigIncremental = median(bigRuns), smallIncremental = median(smallRuns)

            // The naive alternative: upload the whole database file after the changes.
            try big.checkpoint()
            let file = try Data(contentsOf: URL(fileURLWithPath: work.file("station.sqlite")))
            let sink = try UploadSink()
            let uploader = try HTTPClient()
            let naiveTime = try seconds {
                let response = try uploader.send(
                    HTTPClient.Request(
                        method: "POST", url: "http://127.0.0.1:\(sink.port)/upload",
                        headers: ["Content-Type": "application/octet-stream"], body: [UInt8](file)))
                guard response.status == 200 else { throw BenchError("upload sink answered \(response.status)") }
            }
            let oursBytes = incrementalReport.bytesSent + incrementalReport.bytesReceived

            // Merge throughput: concurrent edits of different fields on 10,000 records.
            let pairs = min(10_000, records)
            let other = try ReplicaStore(path: work.file("other.sqlite"))
            let ids = try big.entities(.record).prefix(pairs).map(\.id)
            try other.writeTransaction {
                for id in ids { try other.merge(try big.entity(.record, id)!, from: .node(big.nodeID)) }
                for id in ids { try other.editRecord(id: id, set: [.household: "HH-X"], clerk: "b") }
            }
            try big.writeTransaction {
                for id in ids { try big.editRecord(id: id, set: [.village: "石桥村"], clerk: "a") }
            }
            let left = try ids.map { try big.entity(.record, $0)! }
            let right = try ids.map { try other.entity(.record, $0)! }
            let memoryTime = try seconds {
                for _ in 0..<5 { for index in 0..<pairs { _ = try left[index].merged(with: right[index]) } }
            }
            let memoryRate = Double(5 * pairs) / memoryTime
            let diskTime = try seconds {
                try other.writeTransaction { for state in left { try other.merge(state, from: .node(big.nodeID)) } }
            }
            let diskRate = Double(pairs) / diskTime
            big.close()
            small.close()
            other.close()

            // A new laptop joins: pull everything from the hub.
            let fresh = try ReplicaStore(path: work.file("fresh.sqlite"))
            try fresh.saveStationSettings(StationSettings(station: "S01", name: "bench", hubURL: hub.url, token: token))
            fresh.close()
            var pullReport: [String: Any] = [:]
            var pullPeak = 0.0
            let pullTime = try seconds {
                let (output, peak) = try runChild("station", ["sync", "--json", "--db", work.file("fresh.sqlite")])
                pullReport = (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:]
                pullPeak = peak
            }
            let pulled = pullReport["pulled"] as? Int ?? 0
            let hubPeak = hub.peakRSS

            printFigures(
                "results (baseline: raw SQLite ingest of the same rows, \(format(floor, 0)) rows/s)",
                [
                    Figure(
                        name: "1. floor: raw SQLite ingest", value: "\(format(floor, 0)) rows/s", ratio: "1.00×",
                        goal: ""),
                    Figure(
                        name: "2. station local writes (clocks, feed)",
                        value: "\(format(Double(records) / localTime, 0)) rec/s",
                        ratio: "\(format(Double(records) / localTime / floor, 2))× floor", goal: ""),
                    Figure(
                        name: "3. first sync, station → hub",
                        value: "\(format(firstRate, 0)) rec/s (\(format(firstTime, 2)) s)",
                        ratio: "\(format(firstRate / floor, 2))× floor",
                        goal: "≥ 0.5× " + (firstRate / floor >= 0.5 ? "met" : "NOT met")),
                    Figure(
                        name: "4. no-op sync on the full store",
                        value: "\(noopRequests) request(s), \(format(noop * 1000, 1)) ms",
                        ratio: "",
                        goal: "≤ 2 requests, < 20 ms " + (noopRequests <= 2 && noop < 0.02 ? "met" : "NOT met")),
                    Figure(
                        name: "5. incremental: \(changes) changes, \(records) vs \(smallRecords) records",
                        value: "\(format(bigIncremental * 1000, 1)) ms vs \(format(smallIncremental * 1000, 1)) ms",
                        ratio: "\(format(bigIncremental / smallIncremental, 2))×",
                        goal: "≤ 1.5 " + (bigIncremental / smallIncremental <= 1.5 ? "met" : "NOT met")),
                    Figure(
                        name: "6. wire bytes per record (gzip) vs plain JSON",
                        value: "\(format(wirePerRecord, 0)) B vs \(format(plainJSON, 0)) B",
                        ratio: "\(format(wirePerRecord / plainJSON, 2))×",
                        goal: "≤ 0.6× " + (wirePerRecord / plainJSON <= 0.6 ? "met" : "NOT met")),
                    Figure(
                        name: "7. naive: upload whole db after \(changes) changes",
                        value:
                            "\(file.count / 1024) KB in \(format(naiveTime * 1000, 0)) ms vs ours \(oursBytes / 1024) KB in \(format(bigIncremental * 1000, 0)) ms",
                        ratio: "\(format(Double(file.count) / Double(max(1, oursBytes)), 0))× more bytes",
                        goal: "ours ≥ 50× cheaper "
                            + (Double(file.count) / Double(max(1, oursBytes)) >= 50 ? "met" : "NOT met")),
                    Figure(
                        name: "8a. merge in memory (concurrent pairs)", value: "\(format(memoryRate, 0)) merges/s",
                        ratio: "\(format(memoryRate / floor, 2))× floor", goal: ""),
                    Figure(
                        name: "8b. merge on disk", value: "\(format(diskRate, 0)) states/s",
                        ratio: "\(format(diskRate / floor, 2))× floor", goal: ""),
                    Figure(
                        name: "8c. pull \(pulled) records to a new laptop",
                        value: "\(format(Double(pulled) / pullTime, 0)) rec/s (\(format(pullTime, 2)) s)",
                        ratio: "\(format(Double(pulled) / pullTime / floor, 2))× floor",
                        goal: "≥ 0.4× " + (Double(pulled) / pullTime / floor >= 0.4 ? "met" : "NOT met")),
                    Figure(
                        name: "9. peak memory: station push / station pull / hub",
                        value: "\(format(stationPeak, 0)) MB / \(format(pullPeak, 0)) MB / \(format(hubPeak, 0)) MB",
                        ratio: "",
                        goal: "< 150 MB each " + (max(stationPeak, pullPeak) < 150 && hubPeak < 150 ? "met" : "NOT met")
                    ),
                ])
            if encryptionRounds > 0 { try EncryptionCost.measure(records: records, rounds: encryptionRounds) }
            if importRounds > 0 { try ImportSpeed.measure(records: records, rounds: importRounds) }
        }
    }
}
