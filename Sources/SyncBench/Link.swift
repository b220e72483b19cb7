import ArgumentParser
import Foundation
import HubCore
import LinkSimulator
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

extension SyncBench {
    /// Sync over a simulated poor link (`LinkSimulator`): a real hub
    /// process, real `station sync` processes, a proxy on loopback between them.
    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract:
                "Sync over a simulated poor link, clean and with cuts: time and bytes on the wire against the physical floor.",
            discussion: """
                (a) A month of one station's changes (400 new records, 100 edits, 50 tallies) over \
                30 kbit/s each way with 600 ms round trips: clean, with one cut 5 s in, and with one \
                cut once 90% of the clean run's bytes have crossed (the link down 1 s; the client's \
                retries carry the sync). (b) A new laptop's first pull of \
                5,000 records over 256 kbit/s each way with 300 ms round trips, clean and with three \
                cuts (the link down 3 s each time: the sync fails and the clerk runs it again).

                The floor is the time the bytes of the clean run need at the link's bandwidth, each \
                direction in turn, plus one round trip each for the TCP connection, the handshake, \
                the push and the pull; with cuts, plus the time the link was down and a round trip \
                to connect again after each cut.

                Example:
                  swift build -c release && .build/release/sync-bench link
                """
        )

        @Option(help: "Records the station held before the month (synced on loopback beforehand).")
        var baseRecords = 2_000
        @Option(help: "Records a new laptop pulls in (b).") var pullRecords = 5_000

        func run() throws {
            let work = try Workspace()
            let admin = try HubService(path: work.file("hub.sqlite"))
            var tokens: [String: String] = [:]
            for station in ["S01", "S02", "S03", "S04"] {
                tokens[station] = try admin.addStation(id: station, name: station)
            }
            admin.close()
            let hub = try HubChild(database: work.file("hub.sqlite"))
            defer { hub.stop() }
            print(
                "sync-bench link: a real hub and `station sync` processes through a simulated link on loopback")

            // (a) The same month on three stations: one syncs over a clean
            // link, one over a link cut 5 s in, one cut when 90% of what the
            // clean sync carried has crossed.
            let slow = LinkProfile.symmetric(bitsPerSecond: 30_000, roundTrip: 0.6)
            var month: [MonthRun] = []
            for station in ["S01", "S02", "S04"] {
                let path = work.file("\(station).sqlite")
                let expected = try prepareMonth(path: path, station: station, token: tokens[station]!, hub: hub)
                var profile = slow
                if let clean = month.first {
                    profile.cuts = station == "S02" ? .afterSeconds(5) : .afterBytes(clean.bytes * 9 / 10)
                    profile.downtime = 1
                }
                let run = try syncThrough(profile, path: path, hub: hub, downtime: profile.downtime ?? 0)
                try checkMonth(path: path, station: station, expected: expected, hub: work.file("hub.sqlite"), run: run)
                month.append(run)
            }

            // (b) A new laptop pulls a station's records, clean and with three cuts.
            // The first laptop of S03 pushes the records a new laptop will pull, on loopback.
            try pushSyntheticRecords(
                pullRecords, station: "S03", seed: 23, path: work.file("S03-first.sqlite"), hubURL: hub.url,
                token: tokens["S03"]!)
            let medium = LinkProfile.symmetric(bitsPerSecond: 256_000, roundTrip: 0.3)
            var pulls: [MonthRun] = []
            for name in ["clean", "cut"] {
                let path = work.file("S03-\(name).sqlite")
                let laptop = try ReplicaStore(path: path)
                try laptop.saveStationSettings(
                    StationSettings(station: "S03", name: "S03", hubURL: hub.url, token: tokens["S03"]!))
                laptop.close()
                var profile = medium
                if let clean = pulls.first {
                    // Cuts at a quarter, half and three quarters of what the clean pull carried.
                    profile.cuts = .afterBytes(clean.bytes / 4, clean.bytes / 2, clean.bytes * 3 / 4)
                    profile.downtime = 3
                }
                let run = try syncThrough(profile, path: path, hub: hub, downtime: profile.downtime ?? 0)
                let held = try ReplicaStore(path: path)
                let count = try held.entities(.record).count
                held.close()
                guard count == pullRecords, run.pulled == pullRecords else {
                    throw BenchError("the \(name) pull holds \(count) records after pulling \(run.pulled)")
                }
                pulls.append(run)
            }

            let (clean, cut, late) = (month[0], month[1], month[2])
            let monthFloor = slow.floorSeconds(up: clean.bytesUp, down: clean.bytesDown, roundTrips: 4)
            let cutFloor = monthFloor + Double(cut.cuts) * (1.0 + slow.roundTrip)
            let monthBytes = Double(cut.bytes) / Double(clean.bytes)
            let lateBytes = Double(late.bytes) / Double(clean.bytes)
            let (pullClean, pullCut) = (pulls[0], pulls[1])
            let pullFloor = medium.floorSeconds(up: pullClean.bytesUp, down: pullClean.bytesDown, roundTrips: 4)
            // Each cut: the link down 3 s, then a new connection and handshake.
            let pullCutFloor = pullFloor + Double(pullCut.cuts) * (3 + 2 * medium.roundTrip)
            let pullBytes = Double(pullCut.bytes) / Double(pullClean.bytes)
            func met(_ yes: Bool) -> String { yes ? "met" : "NOT met" }
            printFigures(
                "link figures (floor: the clean run's bytes at the link's bandwidth, plus round trips and downtime)",
                [
                    Figure(
                        name: "L1. month (550 states), 30 kbit/s, 600 ms RTT: clean",
                        value: clean.summary,
                        ratio: "\(format(clean.seconds / monthFloor, 2))× floor \(format(monthFloor)) s",
                        goal: "< 20 s " + met(clean.seconds < 20)),
                    Figure(
                        name: "L2. same, one cut 5 s in (down 1 s)",
                        value: cut.summary, ratio: "\(format(cut.seconds / cutFloor, 2))× floor \(format(cutFloor)) s",
                        goal: "< 20 s " + met(cut.seconds < 20 && cut.cuts == 1)),
                    Figure(
                        name: "L3. bytes on the wire: cut vs clean",
                        value: "\(kilobytes(cut.bytes)) vs \(kilobytes(clean.bytes))",
                        ratio: "\(format(monthBytes, 2))×", goal: "≤ 1.2× " + met(monthBytes <= 1.2)),
                    Figure(
                        name: "L3b. same, cut at 90% of the clean bytes instead",
                        value: late.summary,
                        ratio: "\(format(lateBytes, 2))× the clean bytes",
                        goal: "≤ 1.2× " + met(lateBytes <= 1.2 && late.cuts == 1)),
                    Figure(
                        name: "L4. new laptop pulls \(pullRecords), 256 kbit/s, 300 ms RTT: clean",
                        value: pullClean.summary,
                        ratio: "\(format(pullClean.seconds / pullFloor, 2))× floor \(format(pullFloor)) s", goal: ""),
                    Figure(
                        name: "L5. same, three cuts (down 3 s each, clerk runs sync again)",
                        value: pullCut.summary,
                        ratio: "\(format(pullCut.seconds / pullCutFloor, 2))× floor \(format(pullCutFloor)) s",
                        goal: "finishes, resumes " + met(pullCut.cuts == 3 && pullCut.pulled == pullRecords)),
                    Figure(
                        name: "L6. bytes on the wire: three cuts vs clean",
                        value: "\(kilobytes(pullCut.bytes)) vs \(kilobytes(pullClean.bytes))",
                        ratio: "\(format(pullBytes, 2))×", goal: ""),
                ])
        }

        /// What one sync over the simulated link took, over however many runs.
        struct MonthRun {
            var seconds = 0.0
            var bytesUp = 0
            var bytesDown = 0
            var requests = 0
            var runs = 0
            var cuts = 0
            var pulled = 0
            /// The last run's `--json` output, to show when a check fails.
            var output = ""

            var bytes: Int { bytesUp + bytesDown }

            var summary: String {
                "\(format(seconds)) s, \(kilobytes(bytes)), \(requests) requests"
                    + (runs > 1 ? ", \(runs) syncs" : "") + (cuts > 0 ? ", \(cuts) cut\(cuts == 1 ? "" : "s")" : "")
            }
        }

        /// Runs `station sync` through a link that behaves as `profile` says
        /// until one succeeds: a clerk whose sync failed waits for the link
        /// to come back and runs it again.
        func syncThrough(_ profile: LinkProfile, path: String, hub: HubChild, downtime: Double) throws -> MonthRun {
            let link = try LinkSimulator(upstreamPort: hub.port, profile: profile)
            defer { link.close() }
            var run = MonthRun()
            let started = monotonicSeconds()
            while true {
                run.runs += 1
                let (output, _) = try runChild(
                    "station", ["sync", "--json", "--db", path, "--hub", "http://127.0.0.1:\(link.port)"])
                let report = (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]) ?? [:]
                run.requests += report["requests"] as? Int ?? 0
                run.pulled += report["pulled"] as? Int ?? 0
                run.output = output
                if report["error"] as? String == nil, !report.isEmpty { break }
                guard run.runs < 10 else { throw BenchError("10 syncs over the link all failed: \(report)") }
                Thread.sleep(forTimeInterval: downtime)
            }
            run.seconds = monotonicSeconds() - started
            let statistics = link.statistics
            (run.bytesUp, run.bytesDown, run.cuts) = (statistics.bytesUp, statistics.bytesDown, statistics.cuts)
            return run
        }

        /// A station that synced `baseRecords` on loopback, then a month's
        /// work: 400 new records, 100 edits, 50 tallies. Returns how many
        /// entities the hub should hold for it after the next sync.
        func prepareMonth(path: String, station: String, token: String, hub: HubChild) throws -> Int {
            let store = try ReplicaStore(path: path)
            defer { store.close() }
            try store.saveStationSettings(
                StationSettings(station: station, name: station, hubURL: hub.url, token: token))
            var generator = SyntheticResidents(seed: 11)
            let base = try store.writeTransaction {
                try (0..<baseRecords).map { _ in
                    let input = generator.record()
                    return try store.addRecord(station: station, values: input.values, tags: input.tags, clerk: "bench")
                        .id
                }
            }
            let options = SyncSession.Options(hubURL: hub.url, token: token, station: station)
            try SyncSession(store: store, client: try HTTPClient(), options: options).run()
            try store.writeTransaction {
                for _ in 0..<400 {
                    let input = generator.record()
                    _ = try store.addRecord(station: station, values: input.values, tags: input.tags, clerk: "李护士")
                }
                for id in base.prefix(100) {
                    _ = try store.editRecord(id: id, set: [.note: "本月随访：血压平稳"], clerk: "李护士")
                }
                let period = Period(containing: CalendarDate.today())
                for (index, element) in Catalog.builtIn.dataElements.prefix(50).enumerated() {
                    let key = TallyKey(station: station, period: period, element: element.code)
                    _ = try store.setTally(key, value: 3 + index, clerk: "李护士")
                }
            }
            guard try store.pendingCount() == 550 else {
                throw BenchError("the month left \(try store.pendingCount()) entities to push, not 550")
            }
            return baseRecords + 400 + 50
        }

        /// Everything the station holds is at the hub and nothing waits.
        func checkMonth(path: String, station: String, expected: Int, hub: String, run: MonthRun) throws {
            let store = try ReplicaStore(path: path)
            let pending = try store.pendingCount()
            store.close()
            let check = try HubService(path: hub)
            defer { check.close() }
            let held =
                try check.replica.entities(.record, station: station).count
                + check.replica.entities(.tally, station: station).count
            guard pending == 0, held == expected else {
                throw BenchError(
                    "\(station): \(pending) entities still pending, the hub holds \(held) of \(expected): \(run.output)"
                )
            }
        }
    }
}

func kilobytes(_ bytes: Int) -> String { "\(format(Double(bytes) / 1000)) KB" }
