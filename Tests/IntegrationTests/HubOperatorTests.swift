import Foundation
import Testing
@testable import HubServer
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

/// The hub operator's side: resolutions that travel to stations, bundles, reports.
@Suite(.serialized) struct HubOperatorTests {
    let directory = TemporaryDirectory()

    func station(_ name: String, hub: LiveHub, id: String = "S01") throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        let result = try node.run("init", "--station", id, "--name", "x", "--hub", hub.url, "--token", hub.tokens[id]!)
        #expect(result.status == 0)
        return node
    }

    func hub(_ hub: LiveHub, _ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", hub.databasePath])
    }

    @Test(arguments: HubBackend.allCases) func resolutionAtTheHubReachesTheStationOnItsNextSync(backend: HubBackend)
        async throws
    {
        let live = try await LiveHub.start(backend: backend)
        let one = try station("one.sqlite", hub: live)
        let two = try station("two.sqlite", hub: live)
        try one.run("tally", "set", "LIVE_BIRTHS", "2026-10", "4")
        _ = try await one.sync()
        _ = try await two.sync()
        try one.run("tally", "set", "LIVE_BIRTHS", "2026-10", "5")
        try two.run("tally", "set", "LIVE_BIRTHS", "2026-10", "6")
        _ = try await one.sync()
        _ = try await two.sync()
        let conflicts = try #require(
            try jsonObject(hub(live, "conflicts", "list", "--json").stdout) as? [[String: Any]])
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["id"] as? String == "S01/2026-10/LIVE_BIRTHS")
        #expect(conflicts.first?["kind"] as? String == "tally")
        #expect(conflicts.first?["fields"] as? [String] == ["value"])
        // The report flags the cell rather than summing either candidate.
        let report = try #require(
            try jsonObject(hub(live, "report", "--period", "2026-10", "--format", "json").stdout) as? [String: Any])
        #expect((report["conflicts"] as? [[String: Any]])?.first?["element"] as? String == "LIVE_BIRTHS")
        let resolved = try hub(
            live, "conflicts", "resolve", "S01/2026-10/LIVE_BIRTHS", "--set", "value=5", "--operator", "陈主任")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        for node in [one, two] {
            let sync = try await node.sync()
            #expect(sync.status == 0)
            let tallies = try #require(try jsonObject(node.run("tally", "list", "--json").stdout) as? [[String: Any]])
            #expect(tallies.first?["value"] as? Int == 5)
            #expect((tallies.first?["conflicts"] as? [String: Any])?.isEmpty == true)
        }
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func settlingAtTheHubChecksTallyRulesWritesAllOrNothingAndNamesHubCommands(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        let one = try station("one.sqlite", hub: live)
        let two = try station("two.sqlite", hub: live)
        try one.run("tally", "set", "DELIVERIES", "2026-10", "10")
        let id = try one.run("record", "add", "--name", "周芳", "--sex", "F", "--birth", "1990-02-02").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await one.sync()
        _ = try await two.sync()
        try one.run("tally", "set", "HOSPITAL_DELIVERIES", "2026-10", "8")
        try two.run("tally", "set", "HOSPITAL_DELIVERIES", "2026-10", "9")
        try one.run("record", "edit", id, "--set", "village=松岭村")
        try two.run("record", "edit", id, "--set", "village=南塘村")
        _ = try await one.sync()
        _ = try await two.sync()

        // The hub's own commands are named, not the station's.
        let shown = try hub(live, "records", "show", id)
        #expect(shown.stdout.contains("hub conflicts show \(id)"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("station conflicts"))

        // Two values where one field is not in conflict: nothing is written.
        let before = try hubFingerprint(live)
        let partial = try hub(live, "conflicts", "resolve", id, "--set", "village=松岭村", "--set", "phone=13911112222")
        #expect(partial.status == 64)
        #expect(try hubFingerprint(live) == before)

        // More hospital deliveries than deliveries: settled, with the same finding `tally set` shows.
        let settled = try hub(live, "conflicts", "resolve", "S01/2026-10/HOSPITAL_DELIVERIES", "--set", "value=12")
        #expect(settled.status == 0, "\(settled.stderr)")
        #expect(settled.stderr.contains("HOSPITAL_DELIVERY_NUM_LE_DEN"), "\(settled.stderr)")
        let conflicts = try #require(
            try jsonObject(hub(live, "conflicts", "list", "--json").stdout) as? [[String: Any]])
        #expect(conflicts.map { $0["id"] as? String } == [id])
        try await live.stop()
    }

    @Test func operatorCommandsRefuseAMissingOrForeignFileAndMakeNothing() throws {
        let missing = directory.file("hbu.sqlite")
        for arguments in [
            ["conflicts", "list"], ["report", "--period", "2026-10"], ["station", "list"], ["serve", "--port", "0"],
        ] {
            let refused = try CommandRunner.run("hub", arguments + ["--db", missing])
            #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains("does not exist"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: missing), "\(arguments) made a file")
        }
        let laptop = StationNode(db: directory.file("laptop.sqlite"))
        #expect(try laptop.run("init", "--station", "S01", "--name", "x").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: laptop.db))
        let foreign = try CommandRunner.run("hub", ["station", "list", "--db", laptop.db])
        #expect(foreign.status == 64)
        #expect(foreign.stderr.contains("station's database"), "\(foreign.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: laptop.db)) == before)
        // Only `station add` makes a hub.
        #expect(try CommandRunner.run("hub", ["station", "add", "S01", "--name", "x", "--db", missing]).status == 0)
        #expect(try CommandRunner.run("hub", ["station", "list", "--db", missing]).status == 0)
        // $HUB_DB stands for --db; with neither, the command says what it needs.
        let fromEnvironment = try CommandRunner.run("hub", ["station", "list"], environment: ["HUB_DB": missing])
        #expect(fromEnvironment.status == 0 && fromEnvironment.stdout.contains("S01"))
        let neither = try CommandRunner.run("hub", ["station", "list"], environment: ["HUB_DB": ""])
        #expect(neither.status == 64 && neither.stderr.contains("HUB_DB"), "\(neither.stderr)")
    }

    @Test(arguments: HubBackend.allCases) func bundleFromTheRightStationIsImportedAndAForgedOneRefused(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        let node = try station("usb.sqlite", hub: live)
        // One online sync: the hub learns the laptop's signing key, the laptop the hub's bundle key.
        #expect(try await node.sync().status == 0)
        let id = try node.run(
            "record", "add", "--name", "赵敏", "--sex", "F", "--birth", "1985-07-01", "--id-number",
            "110101198507010026"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bundle = directory.file("s01.bundle")
        let exported = try node.run("export", "--to", bundle)
        #expect(exported.status == 0, "\(exported.stderr)")
        // Sealed: neither the name nor the ID number is in the file's bytes.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        for secret in ["110101198507010026", "赵敏", id] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is readable in the bundle")
        }

        // Altered: claims to be S02's, or its sealed body was changed after signing.
        let contents = try String(contentsOfFile: bundle, encoding: .utf8)
        let forgedStation = directory.file("forged-station.bundle")
        try contents.replacingOccurrences(of: "\"station\":\"S01\"", with: "\"station\":\"S02\"")
            .write(toFile: forgedStation, atomically: true, encoding: .utf8)
        let alteredBody = directory.file("altered.bundle")
        let sealed = try #require(contents.range(of: "\"sealed\":\""))
        var altered = contents
        let target = altered.index(sealed.upperBound, offsetBy: 20)
        altered.replaceSubrange(target...target, with: altered[target] == "A" ? "B" : "A")
        try altered.write(toFile: alteredBody, atomically: true, encoding: .utf8)
        let before = try hubFingerprint(live)
        // S02 never showed the hub a key for this laptop; the altered one fails its signature.
        for (file, reason) in [(forgedStation, "signing key of node"), (alteredBody, "signature")] {
            let refused = try hub(live, "import", file)
            #expect(refused.status == 64)
            #expect(refused.stderr.contains(reason), "\(refused.stderr)")
        }
        #expect(try hubFingerprint(live) == before)

        let imported = try hub(live, "import", bundle)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("accepted 1"))
        let record = try #require(try jsonObject(hub(live, "records", "show", id, "--json").stdout) as? [String: Any])
        #expect(record["name"] as? String == "赵敏")
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func aLaptopThatNeverSyncsOnlineSendsBundlesOnceTheOperatorRegistersItsKey(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        let node = StationNode(db: directory.file("offline-only.sqlite"))
        #expect(try node.run("init", "--station", "S01", "--name", "x", "--token", live.tokens["S01"]!).status == 0)
        _ = try node.run("record", "add", "--name", "钱芳", "--sex", "F", "--birth", "1970-01-01")
        let bundle = directory.file("offline.bundle")
        // Without the hub's key nothing can be sealed, and the message says how to get it.
        let noKey = try node.run("export", "--to", bundle)
        #expect(noKey.status == 64 && noKey.stderr.contains("--hub-key"), "\(noKey.stderr)")

        let hubStatus = try #require(try jsonObject(hub(live, "status", "--json").stdout) as? [String: Any])
        let hubKey = try #require(hubStatus["bundle_key"] as? String)
        #expect(try node.run("config", "--hub-key", hubKey).status == 0)
        #expect(try node.run("export", "--to", bundle).status == 0)
        // The hub does not know this laptop's key yet: refused, saying how to register it.
        let unknown = try hub(live, "import", bundle)
        #expect(unknown.status == 64 && unknown.stderr.contains("node-key"), "\(unknown.stderr)")

        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        let nodeID = try #require(status["node"] as? String)
        let signingKey = try #require(status["signing_key"] as? String)
        #expect(try hub(live, "station", "node-key", "S01", nodeID, signingKey).status == 0)
        // Another key for the same node is refused: the first registered stays.
        let other = String(repeating: "ab", count: 32)
        #expect(try hub(live, "station", "node-key", "S01", nodeID, other).status == 64)
        let imported = try hub(live, "import", bundle)
        #expect(imported.status == 0 && imported.stdout.contains("accepted 1"), "\(imported.stderr)")
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func reportFormatsFromTheCommandLine(backend: HubBackend) async throws {
        let live = try await LiveHub.start(backend: backend)
        let node = try station("r.sqlite", hub: live)
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        try node.run("tally", "set", "HOSPITAL_LIVE_BIRTHS", "2026-10", "9")
        _ = try await node.sync()
        // Synced is not reported: completeness counts submitted months.
        let before = try hub(live, "report", "--period", "2026-10")
        #expect(before.stdout.contains("completeness 0/2"), "\(before.stdout)")
        #expect(before.stdout.contains("figures synced but not submitted: S01"), "\(before.stdout)")
        #expect(try node.run("report", "submit", "2026-10").status == 0)
        let table = try hub(live, "report", "--period", "2026-10")
        #expect(table.status == 0)
        #expect(table.stdout.contains("住院分娩率") && table.stdout.contains("completeness 1/2"))
        let csv = try hub(live, "report", "--period", "2026-10", "--format", "csv")
        #expect(csv.stdout.hasPrefix("\u{FEFF}指标代码"))
        let bad = try hub(live, "report", "--period", "2026-13")
        #expect(bad.status == 64 && bad.stderr.contains("not a report period"))
        let badPlan = try hub(live, "report", "--period", "2026-10", "--plan", "nope")
        #expect(badPlan.status == 64 && badPlan.stderr.contains("unknown plan"))
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func unitsAreRegisteredFromTheCommandLineAndTheReportSubtotalsThem(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        #expect(try hub(live, "unit", "add", "T01", "--name", "青禾镇").status == 0)
        #expect(try hub(live, "unit", "add", "T01", "--name", "again").status == 64)
        let unknown = try hub(live, "station", "move", "S01", "--unit", "T09")
        #expect(unknown.status == 64 && unknown.stderr.contains("hub unit add T09"), "\(unknown.stderr)")
        #expect(try hub(live, "station", "move", "S01", "--unit", "T01").status == 0)
        let added = try hub(live, "station", "add", "S05", "--name", "新站", "--unit", "T01")
        #expect(added.status == 0, "\(added.stderr)")
        let units = try #require(try jsonObject(hub(live, "unit", "list", "--json").stdout) as? [[String: Any]])
        #expect(units.first?["stations"] as? [String] == ["S01", "S05"])

        let node = try station("unit.sqlite", hub: live)
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        try node.run("tally", "set", "HOSPITAL_LIVE_BIRTHS", "2026-10", "9")
        #expect(try await node.sync().status == 0)
        let report = try #require(
            try jsonObject(hub(live, "report", "--period", "2026-10", "--format", "json").stdout) as? [String: Any])
        let indicators = try #require(report["indicators"] as? [[String: Any]])
        let withUnits = indicators.filter { !(($0["units"] as? [Any]) ?? []).isEmpty }
        #expect(!withUnits.isEmpty)
        let unit = try #require((withUnits.first?["units"] as? [[String: Any]])?.first)
        #expect(unit["unit"] as? String == "T01" && unit["name"] as? String == "青禾镇")
        let table = try hub(live, "report", "--period", "2026-10")
        #expect(table.stdout.contains("T01 青禾镇"), "\(table.stdout)")
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func aStationInAUnitIsApprovedByItsUnitThenByTheDistrict(backend: HubBackend)
        async throws
    {
        let live = try await LiveHub.start(backend: backend)
        #expect(try hub(live, "unit", "add", "T01", "--name", "青禾镇").status == 0)
        #expect(try hub(live, "station", "move", "S01", "--unit", "T01").status == 0)
        let node = try station("tiers.sqlite", hub: live)
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        #expect(try node.run("report", "submit", "2026-10").status == 0)
        func status() throws -> String? {
            let listed = try jsonObject(hub(live, "submissions", "list", "--period", "2026-10", "--json").stdout)
            return (listed as? [[String: Any]])?.first { $0["station"] as? String == "S01" }?["status"] as? String
        }
        // The district cannot skip the township: refused, naming the step, nothing changed.
        let early = try hub(live, "submissions", "approve", "S01", "2026-10", "--operator", "陈主任")
        #expect(early.status == 64 && early.stderr.contains("--level unit"), "\(early.stderr)")
        #expect(try status() == "submitted")
        // A station in no unit has no unit to approve it.
        let noUnit = try hub(live, "submissions", "approve", "S02", "2026-10", "--level", "unit")
        #expect(noUnit.status == 64, "\(noUnit.stderr)")

        let byUnit = try hub(live, "submissions", "approve", "S01", "2026-10", "--level", "unit", "--operator", "王站长")
        #expect(byUnit.status == 0 && byUnit.stdout.contains("district approves next"), "\(byUnit.stderr)")
        #expect(try status() == "reviewed")
        let report = try hub(live, "report", "--period", "2026-10")
        #expect(report.stdout.contains("T01 青禾镇: 1/1 submitted, 1 approved by the unit"), "\(report.stdout)")
        // Each tier has its window: units approve by their own day of the next month.
        #expect(try hub(live, "settings", "--unit-review-day", "27").status == 0)
        #expect(try hub(live, "settings", "--unit-review-day", "31").status == 64)
        let windowed = try hub(live, "report", "--period", "2026-10", "--format", "json")
        let review = try #require(
            (try jsonObject(windowed.stdout) as? [String: Any])?["unit_review"] as? [[String: Any]])
        #expect(review.first?["deadline"] as? String == "2026-11-27" && review.first?["approved_by_unit"] as? Int == 1)
        // Not locked yet: the station still edits freely.
        #expect(try await node.sync().status == 0)
        #expect(try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "11").status == 0)
        #expect(try hub(live, "submissions", "approve", "S01", "2026-10", "--operator", "陈主任").status == 0)
        #expect(try status() == "approved")
        // The edit made before the lock arrived is held, and the report says so.
        #expect(try await node.sync().status == 0)
        let held = try hub(live, "report", "--period", "2026-10")
        #expect(held.stdout.contains("late corrections waiting"), "\(held.stdout)")
        #expect(held.stdout.contains("S01"))
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func aMonthSubmittedWithoutALinkIsKeptAndGoesWithTheNextSync(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        let node = try station("queued.sqlite", hub: live)
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        func queued() throws -> [String]? {
            (try jsonObject(node.run("status", "--json").stdout) as? [String: Any])?["queued_submissions"] as? [String]
        }
        func hubStatus() throws -> String? {
            let listed = try jsonObject(hub(live, "submissions", "list", "--period", "2026-10", "--json").stdout)
            return (listed as? [[String: Any]])?.first { $0["station"] as? String == "S01" }?["status"] as? String
        }
        // No link: nothing listens on port 1.
        #expect(try node.run("config", "--hub", "http://127.0.0.1:1").status == 0)
        let offline = try node.run("report", "submit", "2026-10", "--explain", "核对无误")
        #expect(offline.status == 1 && offline.stderr.contains("kept on this laptop"), "\(offline.stderr)")
        #expect(try queued() == ["2026-10"])
        #expect(try hubStatus() == "not submitted")

        // The link is back: the next ordinary sync delivers it.
        #expect(try node.run("config", "--hub", live.url).status == 0)
        let synced = try node.run("sync")
        #expect(synced.status == 0 && synced.stderr.contains("submitted S01 2026-10"), "\(synced.stderr)")
        #expect(try hubStatus() == "submitted")
        #expect(try queued() == [])
        let report = try hub(live, "report", "--period", "2026-10")
        #expect(report.stdout.contains("completeness 1/2"), "\(report.stdout)")

        // Approved meanwhile: a second offline submission is refused for good at the next sync, and leaves the queue.
        #expect(try hub(live, "submissions", "approve", "S01", "2026-10").status == 0)
        #expect(try node.run("config", "--hub", "http://127.0.0.1:1").status == 0)
        #expect(try node.run("report", "submit", "2026-10").status == 1)
        #expect(try node.run("config", "--hub", live.url).status == 0)
        let refused = try node.run("sync")
        #expect(refused.stderr.contains("refused the submission of 2026-10"), "\(refused.stderr)")
        #expect(try queued() == [])
        #expect(try hubStatus() == "approved")
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func submitApproveLockAndLateCorrectionsAcrossTwoLaptops(backend: HubBackend)
        async throws
    {
        let live = try await LiveHub.start(backend: backend)
        let a = try station("lock-a.sqlite", hub: live)
        var b = try station("lock-b.sqlite", hub: live)
        b.clerk = "王医生"
        func value(_ node: StationNode) throws -> Int? {
            let list = try node.run("tally", "list", "--period", "2026-10", "--json")
            let tallies = try #require(try jsonObject(list.stdout) as? [[String: Any]])
            return tallies.first { $0["element"] as? String == "LIVE_BIRTHS" }?["value"] as? Int
        }
        func hubValue() throws -> String? {
            try live.withStore { try $0.replica.entity(.tally, "S01/2026-10/LIVE_BIRTHS")?.value("value") }
        }
        try a.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        #expect(try await a.sync().status == 0)
        #expect(try await b.sync().status == 0)
        // B, offline, corrects the month before it is locked; it does not know yet.
        #expect(try b.run("tally", "set", "LIVE_BIRTHS", "2026-10", "12").status == 0)

        let submitted = try a.run("report", "submit", "2026-10")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let listed = try #require(
            try jsonObject(hub(live, "submissions", "list", "--period", "2026-10", "--json").stdout) as? [[String: Any]]
        )
        #expect(listed.first { $0["station"] as? String == "S01" }?["status"] as? String == "submitted")
        let approved = try hub(live, "submissions", "approve", "S01", "2026-10", "--operator", "陈主任")
        #expect(approved.status == 0, "\(approved.stderr)")

        // A learns of the lock at its next sync and refuses an ordinary edit.
        #expect(try await a.sync().status == 0)
        let refused = try a.run("tally", "set", "LIVE_BIRTHS", "2026-10", "11")
        #expect(refused.status == 64 && refused.stderr.contains("--late-correction"), "\(refused.stderr)")

        // B's edit made before the lock arrives: held for the operator, not merged, not dropped.
        #expect(try await b.sync().status == 0)
        #expect(try hubValue() == "10")
        var corrections = try #require(
            try jsonObject(hub(live, "corrections", "list", "--json").stdout) as? [[String: Any]])
        #expect(corrections.count == 1)
        #expect(corrections.first?["value"] as? String == "12" && corrections.first?["clerk"] as? String == "王医生")
        let first = try #require(corrections.first?["n"] as? Int)

        // Refused, with the reason: the locked figure comes back to B.
        let refusal = try hub(live, "corrections", "refuse", String(first), "--reason", "核实为10例", "--operator", "陈主任")
        #expect(refusal.status == 0, "\(refusal.stderr)")
        #expect(try await b.sync().status == 0)
        #expect(try value(b) == 10)
        #expect(try hubValue() == "10")

        // A late correction with its reason: accepted, it reaches both laptops.
        let late = try a.run("tally", "set", "LIVE_BIRTHS", "2026-10", "11", "--late-correction", "漏报一例")
        #expect(late.status == 0, "\(late.stderr)")
        #expect(try await a.sync().status == 0)
        #expect(try hubValue() == "10")
        corrections = try #require(
            try jsonObject(hub(live, "corrections", "list", "--json").stdout) as? [[String: Any]])
        let second = try #require(corrections.first?["n"] as? Int)
        #expect(corrections.first?["comment"] as? String == "补报: 漏报一例")
        #expect(try hub(live, "corrections", "accept", String(second), "--operator", "陈主任").status == 0)
        #expect(try hubValue() == "11")
        #expect(try await a.sync().status == 0)
        #expect(try await b.sync().status == 0)
        #expect(try value(a) == 11 && value(b) == 11)
        let all = try #require(
            try jsonObject(hub(live, "corrections", "list", "--all", "--json").stdout) as? [[String: Any]])
        #expect(all.map { $0["status"] as? String } == ["refused", "accepted"])
        #expect(all.first?["reason"] as? String == "核实为10例")

        // Unlocking is an operator's act with a reason; then edits are ordinary again.
        #expect(try hub(live, "submissions", "unlock", "S01", "2026-10", "--reason", "复核").status == 0)
        #expect(try await a.sync().status == 0)
        let ordinary = try a.run("tally", "set", "LIVE_BIRTHS", "2026-10", "12")
        #expect(ordinary.status == 0, "\(ordinary.stderr)")
        try await live.stop()
    }
}
