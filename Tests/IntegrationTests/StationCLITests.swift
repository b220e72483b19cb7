import Foundation
import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

/// The built `station` binary, end to end: output, exit codes, JSON shapes,
/// validation messages, and two nodes of one station against a live hub.
@Suite(.serialized) struct StationCLITests {
    let directory = TemporaryDirectory()

    func initialised(_ name: String = "a.sqlite", hub: LiveHub? = nil) throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        var arguments = ["init", "--station", "S01", "--name", "青禾社区卫生服务站"]
        if let hub { arguments += ["--hub", hub.url, "--token", hub.tokens["S01"]!] }
        let result = try node.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return node
    }

    func addRecord(_ node: StationNode, name: String = "张秀英") throws -> String {
        let result = try node.run(
            "record", "add", "--name", name, "--sex", "F", "--birth", "1958-03-14",
            "--village", "青禾村", "--tag", "elderly_65")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func recordAddPrintsOnlyTheNewIDAndShowJSONHasEveryField() throws {
        let node = try initialised()
        let id = try addRecord(node)
        #expect(throws: Never.self) { try Identifiers.validateRecordID(id) }
        let show = try node.run("record", "show", id, "--json")
        #expect(show.status == 0)
        let object = try #require(try jsonObject(show.stdout) as? [String: Any])
        #expect(object["id"] as? String == id)
        #expect(object["name"] as? String == "张秀英")
        #expect(object["sex"] as? String == "F")
        #expect(object["tags"] as? [String] == ["elderly_65"])
        #expect(object["phone"] is NSNull)
        #expect((object["conflicts"] as? [String: Any])?.isEmpty == true)
        let list = try node.run("record", "list", "--json")
        #expect((try jsonObject(list.stdout) as? [Any])?.count == 1)
        let text = try node.run("record", "list")
        #expect(text.stdout.contains("张秀英") && text.stdout.contains("1 record"))
    }

    @Test(arguments: [
        (
            ["record", "add", "--name", "王芳", "--sex", "X", "--birth", "1990-01-01"],
            "sex: must be F (female) or M (male)"
        ),
        (
            ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-02-30"],
            "birth: '1990-02-30' is not a real date"
        ),
        (["record", "add", "--name", "王芳", "--sex", "F", "--birth", "2999-01-01"], "is in the future"),
        (
            [
                "record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01", "--id-number",
                "110105194912310021",
            ], "check digit"
        ),
        (
            ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01", "--phone", "12ab"],
            "phone: must be 7 to 15 digits"
        ),
        (
            ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01", "--tag", "smoker"],
            "unknown tag 'smoker'"
        ),
        (["tally", "set", "LIVE_BIRTHS", "2026-10", "-3"], "value: -3 is negative: a count is 0 or more"),
        (["tally", "set", "LIVE_BIRTHS", "2026-10", "abc"], "is not a whole number"),
        (["tally", "set", "LIVE_BIRTHS", "2026-10", "5000000"], "is more than 1000000"),
        (["tally", "set", "LIVE_BIRTH", "2026-10", "3"], "did you mean LIVE_BIRTHS"),
        (["tally", "set", "LIVE_BIRTHS", "2026-13", "3"], "period: '2026-13' is not a month"),
        (["tally", "set", "LIVE_BIRTHS", "2099-01", "3"], "is in the future"),
        (["record", "edit", "00000000-0000-4000-8000-000000000000", "--set", "village=x"], "no record with id"),
        (["record", "edit", "00000000-0000-4000-8000-000000000000", "--set", "colour=red"], "unknown field 'colour'"),
    ])
    func badInputIsRefusedWithExitCode64AndWritesNothing(arguments: [String], message: String) throws {
        let node = try initialised()
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "4")
        let before = try fingerprint(ReplicaStore(path: node.db))
        let result = try node.run(arguments)
        #expect(result.status == 64, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try fingerprint(ReplicaStore(path: node.db)) == before)
    }

    @Test func aBrokenRuleNeverBlocksTypingAFigureAndTallyCheckListsIt() throws {
        // Which figure of a pair breaks a rule depends on which was typed
        // first (a delivery on the 31st is visited next month): entry shows
        // the finding and takes the figure; `tally check` lists what is left.
        let node = try initialised()
        try node.run("tally", "set", "DELIVERIES", "2026-10", "4")
        let typed = try node.run("tally", "set", "HOSPITAL_DELIVERIES", "2026-10", "9")
        #expect(typed.status == 0, "\(typed.stderr)")
        #expect(typed.stderr.contains("check:") && typed.stderr.contains("HOSPITAL_DELIVERIES <= DELIVERIES"))
        let check = try node.run("tally", "check", "2026-10")
        #expect(check.status == 3, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("HOSPITAL_DELIVERY_NUM_LE_DEN"), "\(check.stdout)")
        // The other figure arrives: the month is consistent.
        try node.run("tally", "set", "DELIVERIES", "2026-10", "9")
        let clean = try node.run("tally", "check", "2026-10")
        #expect(clean.status == 0, "\(clean.stdout)")
        let list = try node.run("tally", "list", "--period", "2026-10", "--json")
        let tallies = try #require(try jsonObject(list.stdout) as? [[String: Any]])
        #expect(tallies.contains { $0["element"] as? String == "HOSPITAL_DELIVERIES" && $0["value"] as? Int == 9 })
    }

    @Test func csvImportReportsBadRowsByLineAndImportsTheRest() throws {
        let node = try initialised()
        let csv = """
            姓名,性别,出生日期,村,重点人群,电话
            张三,男,1950-01-02,青禾村,"高血压,糖尿病",13800000000
            李四,X,1960-01-01,青禾村,,
            王五,女,1970-13-01,松岭村,,
            赵六,女,1980-05-05,松岭村,孕产妇,
            张七,女,1960-01-01,青禾村,,13900000000,需上门随访
            """
        let file = directory.file("residents.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let strict = try node.run("record", "import", file, "--all-or-nothing")
        #expect(strict.status == 64)
        #expect(try node.run("record", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let result = try node.run("record", "import", file)
        #expect(result.stdout.contains("imported 2, rejected 3"), "\(result.stdout)")
        #expect(result.stderr.contains("line 3: sex"))
        #expect(result.stderr.contains("line 4: birth"))
        // An unquoted comma made a seventh cell: refused, not cut short.
        #expect(result.stderr.contains("line 6: row: has 7 cells"), "\(result.stderr)")
        #expect(result.status == 2, "imported in part: its own exit code")
        let records = try #require(try jsonObject(node.run("record", "list", "--json").stdout) as? [[String: Any]])
        #expect(records.count == 2)
        #expect(
            records.contains {
                $0["name"] as? String == "张三" && $0["tags"] as? [String] == ["diabetes", "hypertension"]
            })
    }

    @Test func aDeleteIsUndoneAndATallyCleared() throws {
        let node = try initialised("undo.sqlite")
        let id = try node.run("record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try node.run("record", "restore", id).status == 64, "a record that is not deleted")
        #expect(try node.run("record", "delete", id).status == 0)
        #expect(try node.run("record", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try node.run("record", "restore", id).status == 0)
        #expect(try node.run("record", "list", "--json").stdout.contains(id))

        #expect(try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "4").status == 0)
        #expect(try node.run("tally", "delete", "LIVE_BIRTHS", "2026-10").status == 0)
        #expect(try node.run("tally", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "5").status == 0)
        #expect(try node.run("tally", "list", "--json").stdout.contains("\"value\":5"))
    }

    @Test func textIsStoredOneWayWhereverItComesFrom() throws {
        let node = try initialised("text.sqlite")
        // Surrounding spaces are dropped, as CSV import always did.
        let id = try node.run(
            "record", "add", "--name", " 李娜 ", "--sex", "F", "--birth", "1949-12-31", "--village", "青禾村 ",
            "--id-number", "11010519491231002x"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let found = try #require(
            try jsonObject(node.run("record", "list", "--village", "青禾村", "--json").stdout) as? [[String: Any]])
        #expect(found.first?["name"] as? String == "李娜")
        #expect(found.first?["id_number"] as? String == "11010519491231002X")
        // Decomposed and composed forms are one text: nothing to change.
        let edit = try node.run("record", "edit", id, "--set", "name=李娜")
        #expect(edit.stdout.contains("no change"), "\(edit.stdout)")
        let decomposed = "Jose\u{0301}"
        #expect(try node.run("record", "edit", id, "--set", "note=\(decomposed)").status == 0)
        let show = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
        #expect((show["note"] as? String)?.unicodeScalars.count == 4, "stored composed (NFC)")
    }

    @Test func theIDNumberAgreesWithBirthAndSexAndTagsWithSexAndAge() throws {
        let node = try initialised("cross.sqlite")
        let add = ["record", "add", "--name", "周芳", "--id-number", "11010519491231002X"]
        let wrongBirth = try node.run(add + ["--sex", "F", "--birth", "1950-12-31"])
        #expect(wrongBirth.status == 64)
        #expect(wrongBirth.stderr.contains("1949-12-31"), "\(wrongBirth.stderr)")
        let wrongSex = try node.run(add + ["--sex", "M", "--birth", "1949-12-31"])
        #expect(wrongSex.status == 64)
        #expect(wrongSex.stderr.contains("woman"), "\(wrongSex.stderr)")
        let pregnantMan = try node.run(
            "record", "add", "--name", "李强", "--sex", "M", "--birth", "1990-01-01", "--tag", "pregnant")
        #expect(pregnantMan.status == 64)
        let youngElder = try node.run(
            "record", "add", "--name", "小明", "--sex", "M", "--birth", "2020-01-01", "--tag", "elderly_65")
        #expect(youngElder.status == 64)
        #expect(youngElder.stderr.contains("65"), "\(youngElder.stderr)")
        #expect(try node.run(add + ["--sex", "F", "--birth", "1949-12-31", "--tag", "elderly_65"]).status == 0)
        #expect(try node.run("record", "list", "--json").stdout.contains("周芳"))
    }

    @Test func aResidentIsFoundByNamePhoneOrIDNumberAndAddressedByPartOfTheID() throws {
        let node = try initialised("find.sqlite")
        let first = try node.run(
            "record", "add", "--name", "张秀英", "--sex", "F", "--birth", "1949-12-31", "--phone", "13800001111",
            "--id-number", "11010519491231002X"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let second = try node.run("record", "add", "--name", "张三", "--sex", "M", "--birth", "1950-01-02").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        func found(_ text: String) throws -> [String] {
            let list = try #require(
                try jsonObject(node.run("record", "find", text, "--json").stdout) as? [[String: Any]])
            return list.compactMap { $0["id"] as? String }.sorted()
        }
        #expect(try found("张") == [first, second].sorted())
        #expect(try found("秀英") == [first])
        #expect(try found("110105194912310021".prefix(17) + "x") == [first])
        #expect(try found("138-0000-1111") == [first])
        #expect(try found("王") == [])

        // The last characters of an id address the record; a prefix both share is refused.
        let shown = try node.run("record", "show", String(second.suffix(8)), "--json")
        #expect(shown.status == 0 && shown.stdout.contains(second), "\(shown.stderr)")
        #expect(try node.run("record", "edit", String(first.suffix(8)), "--set", "village=青禾村").status == 0)
        let shared = String(first.prefix(4))
        let ambiguous = try node.run("record", "show", shared)
        #expect(ambiguous.status == 64)
        #expect(ambiguous.stderr.contains("2 records have ids starting"), "\(ambiguous.stderr)")
    }

    @Test func everyHelpExampleFitsAnEightyColumnTerminalSoItCopiesWhole() throws {
        // Help text is wrapped at the terminal's width: an example line
        // longer than that breaks into two commands when copied.
        var checked = 0
        for program in ["station", "hub"] {
            for path in try CommandRunner.commandPaths(program) {
                let help = try CommandRunner.run(program, path + ["--help"], environment: ["COLUMNS": "200"]).stdout
                for line in help.split(separator: "\n")
                where line.hasPrefix("  \(program) ") || line.hasPrefix("      --") {
                    checked += 1
                    #expect(DisplayWidth.of(String(line)) <= 78, "\(program) \(path.joined(separator: " ")): \(line)")
                }
            }
        }
        #expect(checked > 40)
    }

    @Test func everyCommandHasHelpWithAnExample() throws {
        let commands: [[String]] = [
            ["init"], ["record", "add"], ["record", "edit"], ["record", "show"], ["record", "list"],
            ["record", "delete"],
            ["record", "import"], ["tally", "set"], ["tally", "list"], ["sync"], ["status"], ["conflicts", "list"],
            ["conflicts", "show"], ["conflicts", "resolve"], ["export"], ["record", "restore"], ["record", "find"],
            ["tally", "delete"],
            ["config"],
        ]
        for command in commands {
            let result = try CommandRunner.run("station", command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("Example"), "\(command) has no example")
        }
    }

    @Test func syncWithNoHubExitsNonZeroAndKeepsTheData() async throws {
        let node = StationNode(db: directory.file("offline.sqlite"))
        try node.run("init", "--station", "S01", "--name", "x", "--hub", "http://127.0.0.1:9", "--token", "t")
        _ = try addRecord(node)
        let result = try await node.sync()
        #expect(result.status == 1)
        #expect(result.stderr.contains("could not be reached"))
        #expect(result.stdout.contains("pushed 0"))
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 1)
    }

    @Test func twoNodesOfOneStationMergeConflictAndResolveThroughTheHub() async throws {
        let hub = try await LiveHub.start()
        let front = try initialised("front.sqlite", hub: hub)
        var back = try initialised("back.sqlite", hub: hub)
        back.clerk = "王医生"
        let id = try addRecord(front)
        #expect(try await front.sync().status == 0)
        let joined = try await back.sync()
        #expect(joined.status == 0)
        #expect(joined.stdout.contains("pulled 1"))

        // Disjoint edits merge silently.
        try front.run("record", "edit", id, "--set", "phone=13900002222")
        try back.run("record", "edit", id, "--set", "household=QH-0412")
        for node in [front, back, front] { #expect(try await node.sync().status == 0) }
        for node in [front, back] {
            let record = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
            #expect(record["phone"] as? String == "13900002222")
            #expect(record["household"] as? String == "QH-0412")
            #expect((record["conflicts"] as? [String: Any])?.isEmpty == true)
        }

        // Same-field edits conflict on both nodes.
        try front.run("record", "edit", id, "--set", "village=松岭村")
        try back.run("record", "edit", id, "--set", "village=南塘村")
        for node in [front, back, front] { _ = try await node.sync() }
        for node in [front, back] {
            let list = try #require(try jsonObject(node.run("conflicts", "list", "--json").stdout) as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list.first?["id"] as? String == id)
            #expect(list.first?["kind"] as? String == "record")
            #expect(list.first?["fields"] as? [String] == ["village"])
            let record = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
            let candidates = try #require((record["conflicts"] as? [String: Any])?["village"] as? [[String: Any]])
            #expect(Set(candidates.compactMap { $0["value"] as? String }) == ["松岭村", "南塘村"])
        }
        let show = try front.run("conflicts", "show", id)
        #expect(show.stdout.contains("王医生") && show.stdout.contains("李护士"))
        let refused = try front.run("record", "edit", id, "--set", "village=北村")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("station conflicts resolve \(id)"))

        // A resolution on one node reaches the other.
        let resolved = try back.run("conflicts", "resolve", id, "--set", "village=松岭村")
        #expect(resolved.status == 0, "\(resolved.stderr)")
        _ = try await back.sync()
        _ = try await front.sync()
        for node in [front, back] {
            let list = try node.run("conflicts", "list", "--json")
            #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
            let record = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
            #expect(record["village"] as? String == "松岭村")
        }
        try await hub.stop()
    }

    @Test func exportWritesASealedSignedBundleOfUnacknowledgedChanges() throws {
        let node = StationNode(db: directory.file("usb.sqlite"))
        try node.run("init", "--station", "S01", "--name", "x", "--token", "secret-token")
        _ = try addRecord(node)
        _ = try addRecord(node, name: "李四")
        let hubKey = HubBundleKey()
        #expect(try node.run("config", "--hub-key", hubKey.publicKey.hex).status == 0)
        // No hub to reach (a USB-only station): the month submitted is kept, and travels in the bundle.
        let submitted = try node.run("report", "submit", "2026-10", "--explain", "核对无误")
        #expect(submitted.status == 1 && submitted.stderr.contains("station export"), "\(submitted.stderr)")
        let file = directory.file("s01.bundle")
        let result = try node.run("export", "--to", file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 changes"))
        #expect(result.stdout.contains("the submission of 2026-10 is in the bundle"))
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        let signingHex = try #require(status["signing_key"] as? String)
        let signingKey = try #require(NodeSigningKey.Public(hex: signingHex))
        let envelope = try SealedBundle.envelope(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(envelope.station == "S01" && envelope.node == status["node"] as? String)
        let contents = try SealedBundle.open(envelope, signedBy: signingKey, hubKey: hubKey)
        #expect(try PushRequest.decode(contents.push).entities.count == 2)
        #expect(contents.submissions == [SubmitRequest(period: Period(year: 2026, month: 10), explanation: "核对无误")])
        #expect((status["queued_submissions"] as? [String]) == [])
        // Another hub's key opens nothing; another node's key verifies nothing.
        #expect(throws: BundleError.self) {
            try SealedBundle.open(envelope, signedBy: signingKey, hubKey: HubBundleKey())
        }
        #expect(throws: BundleError.self) {
            try SealedBundle.open(envelope, signedBy: NodeSigningKey().publicKey, hubKey: hubKey)
        }
    }
}
