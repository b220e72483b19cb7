import Foundation
import Testing
import SyncTestSupport

/// `hub station community` and `hub quota`, through the real `hub` binary:
/// what they store, what they refuse (and leave as it was), and how the
/// report then judges urban targets and unit quotas.
@Suite(.serialized) struct QuotaCommandTests {
    let directory = TemporaryDirectory()

    func hub(_ live: LiveHub, _ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", live.databasePath])
    }

    func json(_ result: CommandResult) throws -> Any {
        #expect(result.status == 0, "\(result.stderr)")
        return try jsonObject(result.stdout)
    }

    /// A station laptop with October's figures, synced to the hub.
    func report(_ figures: [(String, String)], station id: String, hub live: LiveHub) async throws {
        let node = StationNode(db: directory.file("\(id).sqlite"))
        let made = try node.run(
            "init", "--station", id, "--name", "x", "--hub", live.url, "--token", live.tokens[id]!)
        #expect(made.status == 0, "\(made.stderr)")
        for (element, value) in figures {
            let set = try node.run("tally", "set", element, "2026-10", value)
            #expect(set.status == 0, "\(set.stderr)")
        }
        #expect(try await node.sync().status == 0)
    }

    @Test(arguments: HubBackend.allCases) func communitiesAndQuotasAreSetRefusedWhenWrongAndJudgedInTheReport(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(stations: ["S01", "S02"], backend: backend)
        for (unit, name) in [("T01", "青禾镇"), ("T02", "松岭镇")] {
            #expect(try hub(live, "unit", "add", unit, "--name", name).status == 0)
        }
        #expect(try hub(live, "station", "move", "S01", "--unit", "T01").status == 0)
        #expect(try hub(live, "station", "move", "S02", "--unit", "T02").status == 0)
        let urban = try hub(live, "station", "community", "S01", "urban")
        #expect(urban.status == 0 && urban.stdout.contains("S01: urban"), "\(urban.stderr)")
        #expect(try hub(live, "station", "community", "S02", "农村").status == 0)
        let year = ["--year", "2026"]
        func quota(_ arguments: [String]) throws -> CommandResult {
            try CommandRunner.run("hub", ["quota", "set"] + arguments + ["--db", live.databasePath])
        }
        let set = try quota(["FIRST_AID_RESPONDER_TRAINING_COUNT", "--unit", "T01"] + year + ["500"])
        #expect(set.status == 0, "\(set.stderr)")
        // By its Chinese name, with who set it.
        #expect(try quota(["救护员年培训人数", "--unit", "T02"] + year + ["300", "--operator", "陈主任"]).status == 0)

        // Each wrong input: exit 64, a message naming what was wrong.
        let refusals: [([String], String)] = [
            (
                ["FIRST_AID_RESPONDER_TRAINING_CONT", "--unit", "T01"] + year + ["1"],
                "did you mean FIRST_AID_RESPONDER_TRAINING_COUNT"
            ),
            (["HOSPITAL_DELIVERY_RATE", "--unit", "T01"] + year + ["1"], "is a rate, not a yearly volume"),
            (["FIRST_AID_RESPONDER_TRAINING_COUNT", "--unit", "T09"] + year + ["1"], "no unit T09 is registered"),
            (["FIRST_AID_RESPONDER_TRAINING_COUNT", "--unit", "T01"] + year + ["-5"], "cannot be negative"),
            (["FIRST_AID_RESPONDER_TRAINING_COUNT", "--unit", "T01"] + year + ["12.5"], "'12.5': a quota is a whole"),
            (
                ["FIRST_AID_RESPONDER_TRAINING_COUNT", "--unit", "T01", "--year", "1999", "1"],
                "year 1999 is out of range"
            ),
        ]
        for (arguments, message) in refusals {
            let refused = try quota(arguments)
            #expect(refused.status == 64, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        let badCommunity = try hub(live, "station", "community", "S01", "village")
        #expect(badCommunity.status == 64 && badCommunity.stderr.contains("'village' is not a community"))
        let badAdd = try hub(live, "station", "add", "S03", "--name", "C", "--community", "town")
        #expect(badAdd.status == 64 && badAdd.stdout.isEmpty)

        // Nothing changed: the two quotas as set, S01 still urban, no S03.
        let quotas = try #require(try json(hub(live, "quota", "list", "--json")) as? [[String: Any]])
        #expect(quotas.map { $0["unit"] as? String } == ["T01", "T02"])
        #expect(quotas.map { $0["value"] as? Int } == [500, 300])
        #expect(quotas.map { $0["set_by"] as? String } == [nil, "陈主任"])
        let stations = try #require(try json(hub(live, "station", "list", "--json")) as? [[String: Any]])
        #expect(stations.map { $0["id"] as? String } == ["S01", "S02"])
        #expect(stations.map { $0["community"] as? String } == ["urban", "rural"])
        #expect(try hub(live, "quota", "list").stdout.contains("救护员年培训人数"))

        // October: S01 (urban, T01) 950 contracts over 1,000 residents and
        // 420 responders trained; S02 (rural, T02) 300 over 1,000 and 200.
        try await report(
            [("RESIDENTS", "1000"), ("FD_CONTRACTED", "950"), ("FIRST_AID_RESPONDERS_TRAINED", "420")], station: "S01",
            hub: live)
        try await report(
            [("RESIDENTS", "1000"), ("FD_CONTRACTED", "300"), ("FIRST_AID_RESPONDERS_TRAINED", "200")], station: "S02",
            hub: live)

        func line(plan: String, _ code: String) throws -> [String: Any] {
            let report = try #require(
                try json(hub(live, "report", "--period", "2026-10", "--plan", plan, "--format", "json"))
                    as? [String: Any])
            let lines = try #require(report["indicators"] as? [[String: Any]])
            return try #require(lines.first { $0["code"] as? String == code })
        }
        // The 90 % urban target: S01's 95 % alone (with S02 it would be 62.5 %).
        let doctors = try line(plan: "changchun-2012", "FAMILY_DOCTOR_CONTRACT_RATE")
        #expect((doctors["year_to_date"] as? [String: Any])?["value"] as? Double == 95)
        #expect(doctors["met"] as? Bool == true)
        let s02 = try #require((doctors["stations"] as? [[String: Any]])?.first { $0["station"] as? String == "S02" })
        #expect(s02["included"] as? Bool == false && s02["flags"] as? [String] == ["scope:urban"])

        // 800 responders a year, split 500 / 300: by October T01 owes
        // 500 × 10/12 = 416.67 and trained 420 (met), T02 owes 250 and trained 200.
        let training = try line(plan: "xihu-2017", "FIRST_AID_RESPONDER_TRAINING_COUNT")
        let units = try #require(training["units"] as? [[String: Any]])
        let t01 = try #require(units.first { $0["unit"] as? String == "T01" })
        let t02 = try #require(units.first { $0["unit"] as? String == "T02" })
        #expect(t01["quota"] as? Int == 500 && t01["due"] as? Double == 416.67 && t01["done"] as? Int == 420)
        #expect(t01["met"] as? Bool == true)
        #expect(t02["quota"] as? Int == 300 && t02["due"] as? Double == 250 && t02["done"] as? Int == 200)
        #expect(t02["met"] as? Bool == false)
        let split = try #require(training["quotas"] as? [String: Any])
        #expect(split["total"] as? Int == 800 && split["planned"] as? Double == 800 && split["add_up"] as? Bool == true)
        try await live.stop()
    }
}
