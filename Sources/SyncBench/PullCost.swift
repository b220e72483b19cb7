import ArgumentParser
import Foundation
import HubCore
import SyncClient
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncSupport

extension SyncBench {
    /// Whether one station's pull costs more when the hub holds far more
    /// than that station's rows: the feed query walks the (station, seq)
    /// index, so it should not.
    struct PullCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull-cost",
            abstract: "One station's pull of its own records from a small hub and from a huge one, as a ratio.",
            discussion: """
                Builds two hub databases: each holds one station's --own records, pushed by a real sync, and other \
                stations' rows up to --small and --large in all, written by SQL (the rows of other stations are never \
                decoded by this station's pull, so their contents do not matter; the station's rows are spread through \
                the feed as monthly syncs of many stations would leave them). Then times, on each, the hub's pull pages \
                for the station (in process, median of --repeats) and a new laptop's whole pull through `hub serve`.
                Example:
                  PGPASSWORD=… .build/release/sync-bench pull-cost --db postgres://hub@127.0.0.1:5432/postgres
                """
        )

        @Option(help: "A postgres://USER@HOST:PORT/DATABASE server (the run makes and drops databases of its own).")
        var db: String
        @Option(help: "The pulling station's records.") var own = 5_000
        @Option(help: "Rows in all in the small hub.") var small = 100_000
        @Option(help: "Rows in all in the large hub.") var large = 10_000_000
        @Option(help: "Timed pulls on each hub; the median is reported.") var repeats = 5
        @Option(
            help:
                "The station's rows lie in the feed in runs of this many (a sync brings a station's changes together); 1 spreads every row apart, the worst case."
        )
        var runLength = 1

        func validate() throws {
            guard PostgresLocation.isPostgresURL(db) else {
                throw ValidationError("--db must be a postgres:// URL: a 10-million-row hub is a PostgreSQL deployment")
            }
            guard own >= 1, repeats >= 1 else { throw ValidationError("--own and --repeats must be at least 1") }
            guard runLength >= 1, own % runLength == 0 else { throw ValidationError("--run-length must divide --own") }
            guard small >= own * 2, large >= small else {
                throw ValidationError("need --own × 2 ≤ --small ≤ --large")
            }
        }

        struct Result {
            let rows: Int
            let pages: Double
            let laptop: Double
            let size: Int64
        }

        func run() throws {
            let work = try Workspace()
            var results: [Result] = []
            for total in [small, large] {
                results.append(try measure(total: total, work: work))
            }
            let (smallResult, largeResult) = (results[0], results[1])
            printFigures(
                "pull cost: one station's \(own) records in runs of \(runLength), hub holding \(small) rows vs \(large)",
                [
                    Figure(
                        name: "hub pull pages (in process, median)",
                        value: "\(format(smallResult.pages * 1000, 1)) ms vs \(format(largeResult.pages * 1000, 1)) ms",
                        ratio: "\(format(largeResult.pages / smallResult.pages, 2))×",
                        goal: "≤ 1× " + (largeResult.pages <= smallResult.pages * 1.1 ? "met (within 10 %)" : "NOT met")
                    ),
                    Figure(
                        name: "new laptop's whole pull (median)",
                        value: "\(format(smallResult.laptop, 2)) s vs \(format(largeResult.laptop, 2)) s",
                        ratio: "\(format(largeResult.laptop / smallResult.laptop, 2))×",
                        goal: "≤ 1× "
                            + (largeResult.laptop <= smallResult.laptop * 1.1 ? "met (within 10 %)" : "NOT met")),
                    Figure(
                        name: "database size",
                        value: "\(megabytes(smallResult.size)) vs \(megabytes(largeResult.size))",
                        ratio: "", goal: ""),
                ])
        }

        private func measure(total: Int, work: Workspace) throws -> Result {
            let database = try BenchHubDatabase(url: db, work: work, name: "pull_\(total)")
            defer { database.drop() }
            let admin = try database.open()
            let token = try admin.addStation(id: "P01", name: "pulling station")
            admin.close()

            // The station's own records, pushed by a real laptop.
            var hub = try HubChild(database: database.argument, password: database.password)
            let pushed = try pushSyntheticRecords(
                own, station: "P01", seed: 11, path: work.file("pusher-\(total).sqlite"), hubURL: hub.url, token: token)
            guard pushed.failures.isEmpty else { throw BenchError("the push failed: \(pushed.failures)") }
            hub.stop()

            // Everyone else's rows, with the station's spread among them.
            let began = monotonicSeconds()
            try fill(database, total: total)
            printNow("hub with \(total) rows: filled in \(format(monotonicSeconds() - began, 1)) s")

            // The hub's pull pages, in process: the database's part of a pull.
            let service = try database.open()
            let limit = 1_000
            var cursors: [Int64] = [0]
            while true {
                let page = try service.store.feedPage(
                    station: "P01", excludingOriginNode: "bench", since: cursors.last!, limit: limit)
                guard page.seqs.count == limit else { break }
                cursors.append(page.seqs.last!)
            }
            var pageTimes: [Double] = []
            for _ in 0..<repeats {
                pageTimes.append(
                    try seconds {
                        for since in cursors {
                            _ = try service.pull(station: "P01", node: "bench", since: since, limit: limit)
                        }
                    })
            }
            service.close()

            // A new laptop's whole pull through a hub process.
            hub = try HubChild(database: database.argument, password: database.password)
            defer { hub.stop() }
            var laptopTimes: [Double] = []
            for round in 0..<repeats {
                let fresh = try ReplicaStore(path: work.file("fresh-\(total)-\(round).sqlite"))
                defer { fresh.close() }
                let options = SyncSession.Options(hubURL: hub.url, token: token, station: "P01")
                var report = SyncReport()
                laptopTimes.append(
                    try seconds {
                        report = try SyncSession(store: fresh, client: try HTTPClient(), options: options).run()
                    })
                guard report.pulled == own else {
                    throw BenchError("a new laptop pulled \(report.pulled) records, not \(own)")
                }
            }
            return Result(rows: total, pages: median(pageTimes), laptop: median(laptopTimes), size: try database.size())
        }

        /// Moves the station's rows apart, in runs of `runLength`, one run at the
        /// start of every `runLength × step` feed positions, and fills the
        /// positions between with other stations' rows.
        private func fill(_ database: BenchHubDatabase, total: Int) throws {
            guard let connection = try database.connection() else { throw BenchError("pull-cost needs --db") }
            defer { connection.close() }
            let step = total / own
            let block = runLength * step
            let others = 2_000
            guard try connection.scalarInt("SELECT count(*) FROM entities WHERE seq BETWEEN 1 AND \(own)") == Int64(own)
            else { throw BenchError("the pushed records are not at feed positions 1...\(own)") }
            // Two steps: a unique key is checked row by row, and a moved row
            // would meet one not moved yet.
            try connection.execute("UPDATE entities SET seq = -seq")
            try connection.execute(
                "UPDATE entities SET seq = ((-seq - 1) / \(runLength)) * \(block) + ((-seq - 1) % \(runLength)) + 1")
            let chunk = 1_000_000
            var from = 1
            while from <= own * step {
                let to = min(from + chunk - 1, own * step)
                try connection.execute(
                    """
                    INSERT INTO entities (seq, kind, id, station, period, state, conflict, deleted, origin)
                    SELECT g, 'record', 'filler-' || g, 'F' || lpad((g % \(others))::text, 4, '0'), NULL,
                           (SELECT state FROM entities WHERE station = 'P01' LIMIT 1), 0, 0, NULL
                    FROM generate_series(\(from), \(to)) g WHERE (g - 1) % \(block) >= \(runLength)
                    """)
                from = to + 1
            }
            try connection.execute("VACUUM ANALYZE entities")
        }
    }
}
