import Foundation
import Testing

import SyncTestSupport

/// On a terminal, sync shows one progress line per phase that fits the
/// terminal's width, redrawn in place: nothing wraps, nothing is left over.
@Suite(.serialized) struct ProgressDisplayTests {
    let directory = TemporaryDirectory()

    @Test func theProgressLineFitsANarrowTerminalAndEachPhaseKeepsItsOwnLine() async throws {
        let live = try await LiveHub.start()
        let node = StationNode(db: directory.file("tty.sqlite"))
        #expect(
            try node.run("init", "--station", "S01", "--name", "x", "--hub", live.url, "--token", live.tokens["S01"]!)
                .status == 0)
        var csv = "name,sex,birth\n"
        for index in 0..<2_000 { csv += "居民\(index),F,1980-01-01\n" }
        let file = directory.file("residents.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try node.run("record", "import", file).status == 0)

        // A real terminal, 50 columns wide (util-linux `script` gives the pty).
        let station = CommandRunner.productsFolder.appendingPathComponent("station").path
        let shown = try await runBlocking {
            try CommandRunner.runPath(
                "/usr/bin/script", ["-q", "-c", "stty cols 50; \(station) sync --db \(node.db)", "/dev/null"])
        }
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        let progress = lines.filter { $0.contains("items") }
        #expect(progress.count == 2, "one line per phase: \(progress)")
        for line in progress {
            for redraw in line.split(separator: "\r") {
                let text = redraw.replacingOccurrences(of: "\u{1B}[K", with: "")
                #expect(text.count < 50, "'\(text)' is \(text.count) columns")
            }
        }
        #expect(progress.first?.contains("push") == true && progress.last?.contains("pull") == true)
        try await live.stop()
    }

    @Test func aLongImportShowsItsProgressOnATerminalAndNothingInAPipe() async throws {
        let node = StationNode(db: directory.file("import.sqlite"))
        #expect(try node.run("init", "--station", "S01", "--name", "x").status == 0)
        var csv = "name,sex,birth\n"
        for index in 0..<10_000 { csv += "居民\(index),F,1980-01-01\n" }
        let file = directory.file("many.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let station = CommandRunner.productsFolder.appendingPathComponent("station").path
        let shown = try await runBlocking {
            try CommandRunner.runPath(
                "/usr/bin/script",
                ["-q", "-c", "stty cols 60; \(station) record import \(file) --db \(node.db)", "/dev/null"])
        }
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("importing: 0 rows"), "\(shown.stdout)")
        #expect(shown.stdout.contains("imported 10000, rejected 0"))
        // The progress line is cleared before the summary: the summary starts its line.
        let last = shown.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").last ?? ""
        #expect(last.hasSuffix("imported 10000, rejected 0") || last.contains("\u{1B}[Kimported 10000"))

        // In a pipe (a script), stderr carries no progress at all.
        let second = directory.file("second.sqlite")
        #expect(try StationNode(db: second).run("init", "--station", "S01", "--name", "x").status == 0)
        let piped = try StationNode(db: second).run("record", "import", file)
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
    }
}
