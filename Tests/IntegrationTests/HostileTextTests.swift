import Foundation
import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// Control, bidi and invisible characters, with the built binaries: every
/// writer refuses them in the same words, and whatever got into a store
/// before the rule is printed escaped, never as the raw bytes a terminal
/// would act on.
@Suite(.serialized) struct HostileTextTests {
    let directory = TemporaryDirectory()

    /// One of each sort the rule refuses that a command line can carry (not NUL).
    static let refused: [Unicode.Scalar] = [
        "\u{1B}", "\u{7}", "\t", "\n", "\r", "\u{7F}", "\u{85}", "\u{9B}", "\u{61C}", "\u{200E}", "\u{202E}",
        "\u{2066}", "\u{2069}", "\u{200B}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{2028}", "\u{2029}",
    ]

    /// A note as a hostile or broken writer could have left it: clear the
    /// screen, set the window title, hide text, reverse it, and a C1 CSI.
    static let hostile =
        "\u{1B}[2J\u{1B}]0;PWNED\u{7}\u{1B}[8m隐藏\u{1B}[0m\u{202E}exe.txt\u{200B}\u{9B}31m\u{2028}\r\n末行"

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The refused characters in `text`, line feeds and tabs aside: none may reach a terminal.
    static func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { TextCharacters.isRefused($0, multiLine: true) }.map(code)
    }

    func initialised(_ name: String) throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        let result = try node.run("init", "--station", "S01", "--name", "青禾社区卫生服务站")
        #expect(result.status == 0, "\(result.stderr)")
        return node
    }

    func storeFingerprint(_ path: String) throws -> String {
        let store = try ReplicaStore(path: path)
        defer { store.close() }
        return try fingerprint(store)
    }

    // MARK: - Refused at entry

    @Test func namesAndVillagesWithAnyRefusedCharacterAreRefusedWithExit64AndNothingIsWritten() throws {
        let node = try initialised("entry.sqlite")
        let id = try node.run("record", "add", "--name", "王芳", "--sex", "F", "--birth", "1980-01-01").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try storeFingerprint(node.db)
        for scalar in Self.refused {
            let value = "王" + String(Character(scalar)) + "芳"
            let expected = "(\(Self.code(scalar))) at character 2"
            for (option, field) in [("--name", "name"), ("--village", "village")] {
                var arguments = ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1980-01-01"]
                arguments += [option, value]
                let result = try node.run(arguments)
                #expect(result.status == 64, "\(field) \(Self.code(scalar))")
                #expect(result.stderr.contains("\(field): contains "), "\(result.stderr)")
                #expect(result.stderr.contains(expected), "\(result.stderr)")
                #expect(Self.raw(result.stderr).isEmpty, "\(result.stderr)")
            }
            let edit = try node.run("record", "edit", id, "--set", "household=" + value)
            #expect(edit.status == 64)
            #expect(edit.stderr.contains("household: contains ") && edit.stderr.contains(expected), "\(edit.stderr)")
            var clerk = node
            clerk.clerk = value
            let signed = try clerk.run("record", "edit", id, "--set", "village=青禾村")
            #expect(signed.status == 64)
            #expect(signed.stderr.contains("clerk: contains ") && signed.stderr.contains(expected), "\(signed.stderr)")
        }
        // A note and a comment may hold several lines, but not an escape sequence.
        let note = try node.run("record", "edit", id, "--set", "note=复查\u{1B}[2J")
        #expect(note.status == 64)
        #expect(note.stderr.contains("note: contains a control character (U+001B) at character 3"), "\(note.stderr)")
        let comment = try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "3", "--comment", "转诊\n\u{1B}[8m")
        #expect(comment.status == 64)
        #expect(comment.stderr.contains("comment: contains a control character (U+001B) at character 4"))
        #expect(try storeFingerprint(node.db) == before)

        // In Chinese, the same refusal.
        let chinese = try CommandRunner.run(
            "station",
            [
                "--lang", "zh", "record", "add", "--name", "王\u{202E}芳", "--sex", "F", "--birth", "1980-01-01", "--db",
                node.db,
            ])
        #expect(chinese.status == 64)
        #expect(chinese.stderr.contains("name：第 2 个字符是文字方向控制符（U+202E）"), "\(chinese.stderr)")

        // Lines a clerk meant are kept, a Windows line break as a line feed.
        let lines = try node.run("record", "edit", id, "--set", "note=第一行\r\n第二行\t完")
        #expect(lines.status == 0, "\(lines.stderr)")
        let shown = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
        #expect(shown["note"] as? String == "第一行\n第二行\t完")
    }

    @Test func aSpreadsheetRowWithAHiddenCharacterIsRejectedWithItsLineNumber() throws {
        let node = try initialised("import.sqlite")
        let csv =
            "姓名,性别,出生日期,村,备注\n"
            + "王\u{202E}芳,女,1960-01-05,松岭村,\n"
            + "赵敏,女,1970-02-03,南\u{200B}塘村,\n"
            + "周芳,女,1980-07-01,青禾村,\u{1B}[2J\n"
            + "李娜,女,1954-12-30,青禾村,\"第一行\r\n第二行\"\n"
        let file = directory.file("people.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let result = try node.run("record", "import", file)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains("imported 1, rejected 3"), "\(result.stdout)")
        for line in [
            "line 2: name: contains a text-direction control (U+202E) at character 2",
            "line 3: village: contains an invisible character (U+200B) at character 2",
            "line 4: note: contains a control character (U+001B) at character 1",
        ] {
            #expect(result.stderr.contains(line), "\(result.stderr)")
        }
        #expect(Self.raw(result.stderr).isEmpty)
        let records = try #require(try jsonObject(node.run("record", "list", "--json").stdout) as? [[String: Any]])
        #expect(records.map { $0["name"] as? String } == ["李娜"])
        #expect(records.first?["note"] as? String == "第一行\n第二行")
    }

    @Test func stationNamesAtTheHubAreOneLineWithNothingHidden() throws {
        let path = directory.file("names-hub.sqlite")
        let refused = try CommandRunner.run("hub", ["station", "add", "S01", "--name", "青禾\u{1B}[31m站", "--db", path])
        #expect(refused.status == 64)
        #expect(
            refused.stderr.contains("name: contains a control character (U+001B) at character 3"), "\(refused.stderr)")
        #expect(try CommandRunner.run("hub", ["station", "add", "S01", "--name", "青禾站", "--db", path]).status == 0)
    }

    // MARK: - Refused by the hub

    @Test(arguments: HubBackend.allCases) func aPushCarryingAHiddenCharacterIsRefusedWhileTheRestGoesThrough(
        backend: HubBackend
    ) async throws {
        let hub = try await LiveHub.start(backend: backend)
        let node = StationNode(db: directory.file("push.sqlite"))
        let initialised = try node.run(
            "init", "--station", "S01", "--name", "x", "--hub", hub.url, "--token", hub.tokens["S01"]!)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let good = try node.run("record", "add", "--name", "王芳", "--sex", "F", "--birth", "1980-01-01").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Written before the rule: straight into the store.
        let store = try ReplicaStore(path: node.db)
        var old = EntityState(kind: .record, id: Identifiers.newRecordID(), station: "S01")
        old.write(
            [
                .set("name", "李娜"), .set("sex", "F"), .set("birth", "1954-12-30"), .set("note", Self.hostile),
                .set("deleted", "false"),
            ],
            node: store.nodeID, time: 1, clerk: "\u{1B}[8m李")
        try store.writeTransaction { _ = try store.put(old, replacing: nil) }
        store.close()

        let sync = try await node.sync()
        #expect(sync.status != 0)
        #expect(sync.stderr.contains(old.id), "\(sync.stderr)")
        #expect(sync.stderr.contains("contains a control character (U+001B) at character 1"), "\(sync.stderr)")
        #expect(Self.raw(sync.stdout + sync.stderr).isEmpty, "\(sync.stdout)\(sync.stderr)")
        let atHub = try hub.withStore { try Set($0.replica.entities(.record).map(\.id)) }
        #expect(atHub == [good])
        try await hub.stop()
    }

    // MARK: - Shown escaped

    /// A record in conflict and a tally whose text is full of escape
    /// sequences, as a store could hold them before the rule.
    static func hostileEntities(station: String = "S01", ownNode: String) throws -> [EntityState] {
        var record = EntityState(kind: .record, id: "0190a5b2-0000-7000-8000-00000000001b", station: station)
        record.write(
            [
                .set("name", "\u{1B}[8m王芳"), .set("sex", "F"), .set("birth", "1980-01-01"),
                .set("village", "青禾\u{202E}村"), .set("note", hostile), .set("household", "\u{1B}]0;PWNED\u{7}"),
                .set("deleted", "false"),
            ], node: ownNode, time: 1_763_856_000_000, clerk: "\u{1B}[8m李\u{7}")
        var other = record
        record.write([.set("village", "南\u{1B}[2J村")], node: ownNode, time: 1_763_856_100_000, clerk: "\u{202E}王")
        other.write([.set("village", "北\u{9B}31m村")], node: "0other0node0", time: 1_763_856_200_000, clerk: "赵\u{200B}")
        var tally = EntityState(kind: .tally, id: "\(station)/2026-10/LIVE_BIRTHS", station: station)
        tally.write(
            [.set("value", "3"), .set("deleted", "false"), .set("comment", "转诊\n" + hostile)], node: ownNode,
            time: 1_763_856_000_000, clerk: "\u{1B}[8m李")
        return [try record.merged(with: other), tally]
    }

    func expectNothingRaw(_ label: String, _ result: CommandResult) {
        #expect(result.status == 0, "\(label): \(result.stderr)")
        let bytes = Array((result.stdout + result.stderr).utf8)
        #expect(!bytes.contains(0x1B), "\(label): a raw ESC")
        #expect(!bytes.contains(0x07), "\(label): a raw BEL")
        #expect(!bytes.contains(0x0D), "\(label): a raw CR")
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{202E}"), "\(label): a raw RLO")
        #expect(Self.raw(result.stdout + result.stderr).isEmpty, "\(label): \(Self.raw(result.stdout + result.stderr))")
    }

    @Test func escapeSequencesStoredBeforeTheRuleNeverReachTheTerminalFromTheStation() throws {
        let node = try initialised("shown.sqlite")
        let store = try ReplicaStore(path: node.db)
        let entities = try Self.hostileEntities(ownNode: store.nodeID)
        try store.writeTransaction { for state in entities { _ = try store.put(state, replacing: nil) } }
        store.close()
        let id = entities[0].id

        let show = try node.run("record", "show", id)
        expectNothingRaw("record show", show)
        #expect(show.stdout.contains("\\u{1B}[8m王芳"), "\(show.stdout)")
        #expect(show.stdout.contains("青禾\\u{202E}村") || show.stdout.contains("\\u{1B}[2J村"), "\(show.stdout)")
        #expect(show.stdout.contains("\\u{1B}[2J\\u{1B}]0;PWNED\\u{7}"), "\(show.stdout)")
        let conflicts = try node.run("conflicts", "show", id)
        expectNothingRaw("conflicts show", conflicts)
        #expect(conflicts.stdout.contains("\\u{202E}王"), "\(conflicts.stdout)")
        #expect(conflicts.stdout.contains("北\\u{9B}31m村"), "\(conflicts.stdout)")
        let tallies = try node.run("tally", "list", "--period", "2026-10")
        expectNothingRaw("tally list", tallies)
        #expect(tallies.stdout.contains("转诊 \\u{1B}[2J"), "\(tallies.stdout)")

        for arguments in [
            ["record", "list"], ["record", "list", "--json"], ["record", "show", id, "--json"],
            ["record", "find", "王芳"],
            ["record", "find", "王芳", "--json"], ["conflicts", "list"], ["conflicts", "list", "--json"],
            ["conflicts", "show", id, "--json"], ["tally", "list", "--json"], ["status"],
        ] {
            expectNothingRaw(arguments.joined(separator: " "), try node.run(arguments))
        }
        // JSON carries the text exactly, escaped: a script loses nothing.
        let json = try #require(try jsonObject(node.run("record", "show", id, "--json").stdout) as? [String: Any])
        #expect(json["note"] as? String == Self.hostile)
    }

    @Test func escapeSequencesStoredBeforeTheRuleNeverReachTheTerminalFromTheHub() throws {
        let path = directory.file("shown-hub.sqlite")
        #expect(try CommandRunner.run("hub", ["station", "add", "S01", "--name", "青禾站", "--db", path]).status == 0)
        let hub = try HubService(path: path)
        let entities = try Self.hostileEntities(ownNode: "0station0node")
        try hub.replica.writeTransaction { for state in entities { _ = try hub.replica.put(state, replacing: nil) } }
        // A station name from before the rule, shown in the report's header.
        _ = try hub.store.insertStation(id: "S02", name: "\u{1B}]0;PWNED\u{7}站\u{202E}", tokenHash: "00", created: 0)
        hub.close()
        let id = entities[0].id
        func run(_ arguments: String...) throws -> CommandResult {
            try CommandRunner.run("hub", arguments + ["--db", path])
        }

        let show = try run("records", "show", id)
        expectNothingRaw("records show", show)
        #expect(show.stdout.contains("\\u{1B}[8m王芳"), "\(show.stdout)")
        let conflicts = try run("conflicts", "show", id)
        expectNothingRaw("conflicts show", conflicts)
        #expect(conflicts.stdout.contains("\\u{1B}[8m李\\u{7}") || conflicts.stdout.contains("\\u{202E}王"))
        let report = try run("report", "--period", "2026-10")
        expectNothingRaw("report", report)
        #expect(report.stdout.contains("S02 \\u{1B}]0;PWNED\\u{7}站\\u{202E}"), "\(report.stdout)")

        for arguments in [
            ["records", "list"], ["records", "list", "--json"], ["records", "show", id, "--json"],
            ["records", "find", "王芳"], ["conflicts", "list"], ["conflicts", "list", "--json"],
            ["conflicts", "show", id, "--json"], ["tally", "list"], ["tally", "list", "--json"],
            ["report", "--period", "2026-10", "--format", "json"], ["station", "list"], ["station", "list", "--json"],
        ] {
            expectNothingRaw(
                arguments.joined(separator: " "), try CommandRunner.run("hub", arguments + ["--db", path]))
        }
    }
}
