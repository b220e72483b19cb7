import Foundation
import Testing
@testable import HubServer
@testable import Reporting
import SyncTestSupport

/// The tools in a Chinese clerk's terminal: a zh_* locale or `--lang zh`
/// gives Chinese help, messages and headings; everything else stays English.
@Suite struct ChineseInterfaceTests {
    let directory = TemporaryDirectory()
    let chinese = ["LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"]

    func station(_ arguments: [String], db: String, environment: [String: String]? = nil) throws -> CommandResult {
        try CommandRunner.run("station", arguments + ["--db", db], environment: environment ?? chinese)
    }

    /// Three or more English words in a row: prose left untranslated. The
    /// command lines of examples, option names and value names are not prose.
    static func englishProse(in text: String, program: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("\(program) ") || trimmed.hasPrefix("用法：") || trimmed.hasPrefix("--") {
                return false
            }
            // Take out the code a line quotes (`station sync`, '<subcommand>').
            let prose = line.replacingOccurrences(of: #"`[^`]*`|'[^']*'"#, with: " ", options: .regularExpression)
            // (A comma-separated list of field names is code, not prose.)
            return prose.range(of: #"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}"#, options: .regularExpression) != nil
        }
    }

    @Test func everyHelpPageIsChineseUnderAChineseLocale() throws {
        var pages = 0
        for program in ["station", "hub"] {
            for path in try CommandRunner.commandPaths(program) {
                let help = try CommandRunner.run(
                    program, path + ["--help"], environment: ["LANG": "zh_CN.UTF-8", "COLUMNS": "100"])
                #expect(help.status == 0)
                let left = Self.englishProse(in: help.stdout, program: program)
                #expect(left.isEmpty, "\(program) \(path.joined(separator: " ")): \(left.joined(separator: "\n"))")
                pages += 1
            }
        }
        #expect(pages > 40)
    }

    @Test func theEnglishHelpHasNoChineseProse() throws {
        // The other half of "both languages complete": the English pages
        // have no Chinese sentence left in them (names in examples aside).
        for program in ["station", "hub"] {
            for path in try CommandRunner.commandPaths(program) {
                let help = try CommandRunner.run(program, path + ["--help"]).stdout
                for line in help.split(separator: "\n") {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.hasPrefix(program + " "), !trimmed.hasPrefix("USAGE:") else { continue }
                    #expect(
                        line.range(of: #"[，。：；（）]"#, options: .regularExpression) == nil,
                        "\(program) \(path.joined(separator: " ")): \(line)")
                }
            }
        }
    }

    @Test func messagesTablesAndParserErrorsFollowTheLocale() throws {
        let db = directory.file("zh.sqlite")
        let made = try station(["init", "--station", "S01", "--name", "青禾社区卫生服务站", "--clerk", "周护士"], db: db)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(Self.englishProse(in: made.stdout, program: "station").isEmpty, "\(made.stdout)")

        let future = try station(["record", "add", "--name", "新生儿", "--sex", "M", "--birth", "2099-01-01"], db: db)
        #expect(future.status == 64)
        #expect(future.stderr.hasPrefix("错误："), "\(future.stderr)")
        #expect(future.stderr.contains("晚于今天"), "\(future.stderr)")

        let added = try station(["record", "add", "--name", "张秀英", "--sex", "F", "--birth", "1958-03-14"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        let list = try station(["record", "list"], db: db)
        #expect(list.stdout.contains("姓名") && list.stdout.contains("张秀英"), "\(list.stdout)")
        #expect(Self.englishProse(in: list.stdout, program: "station").isEmpty, "\(list.stdout)")

        let unknown = try station(["record", "list", "--nmae", "x"], db: db)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("未知选项 '--nmae'"), "\(unknown.stderr)")

        // --lang wins over the locale, both ways, and is taken anywhere on the line.
        let english = try station(["record", "list", "--lang", "en"], db: db)
        #expect(english.stdout.contains("NAME") && !english.stdout.contains("姓名"), "\(english.stdout)")
        let asked = try station(
            ["--lang", "zh", "record", "list"], db: db, environment: ["LANG": "en_US.UTF-8", "LC_ALL": ""])
        #expect(asked.stdout.contains("姓名"), "\(asked.stdout)")
        let wrong = try station(["record", "list", "--lang", "fr"], db: db)
        #expect(wrong.status == 64)
    }

    @Test func tallyCodesAcceptTheirChineseNames() throws {
        let db = directory.file("tally.sqlite")
        #expect(try station(["init", "--station", "S01", "--name", "x"], db: db).status == 0)
        let set = try station(["tally", "set", "活产数", "2026-10", "4"], db: db)
        #expect(set.status == 0, "\(set.stderr)")
        let byCode = try station(["tally", "list", "--json"], db: db)
        let tallies = try #require(try jsonObject(byCode.stdout) as? [[String: Any]])
        #expect(tallies.first?["element"] as? String == "LIVE_BIRTHS")
        #expect(tallies.first?["value"] as? Int == 4)

        let partial = try station(["tally", "set", "活产", "2026-10", "4"], db: db)
        #expect(partial.status == 64)
        #expect(partial.stderr.contains("LIVE_BIRTHS（活产数）"), "\(partial.stderr)")
    }

    @Test func theHubReportNamesMissingAndLateStationsInChinese() async throws {
        let live = try await LiveHub.start(stations: ["S01", "S02"])
        let node = StationNode(db: directory.file("report.sqlite"))
        #expect(
            try node.run("init", "--station", "S01", "--name", "x", "--hub", live.url, "--token", live.tokens["S01"]!)
                .status == 0)
        try node.run("tally", "set", "LIVE_BIRTHS", "2026-10", "10")
        try node.run("tally", "set", "HOSPITAL_LIVE_BIRTHS", "2026-10", "9")
        #expect(try await node.sync().status == 0)
        #expect(try node.run("report", "submit", "2026-10").status == 0)
        let report = try CommandRunner.run(
            "hub", ["report", "--period", "2026-10", "--db", live.databasePath], environment: chinese)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("全区月报 2026-10"), "\(report.stdout)")
        #expect(report.stdout.contains("完整率 1/2"))
        #expect(report.stdout.contains("未提交：S02 Station S02"))
        // S01's figures came in November 2026 or later: after the 24th they are late.
        #expect(report.stdout.contains("住院分娩率") && report.stdout.contains("S01 Station S01"))
        #expect(Self.englishProse(in: report.stdout, program: "hub").isEmpty, "\(report.stdout)")
        let one = try CommandRunner.run(
            "hub", ["report", "--period", "2026-10", "--station", "S01", "--db", live.databasePath],
            environment: chinese)
        #expect(one.stdout.hasPrefix("S01 Station S01 月报 2026-10"), "\(one.stdout)")
        #expect(!one.stdout.contains("全区"))
        try await live.stop()
    }
}
