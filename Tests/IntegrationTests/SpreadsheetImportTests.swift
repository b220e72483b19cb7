import Foundation
import Testing

import SyncStore
import SyncTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Files as they reach a clinic from a Chinese Excel: GBK "CSV", UTF-16
/// "Unicode text" with tabs, dates with slashes, a 序号 column, ID numbers
/// Excel turned into numbers.
@Suite struct SpreadsheetImportTests {
    let directory = TemporaryDirectory()

    /// `text` in GB18030, the encoding a Chinese Excel's "CSV" uses.
    func gb18030(_ text: String) -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2)
        var written = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress, outPointer = outBuffer.baseAddress
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                written = outBuffer.count - outLeft
            }
        }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }

    func node(_ name: String) throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        #expect(try node.run("init", "--station", "S01", "--name", "x").status == 0)
        return node
    }

    func records(_ node: StationNode) throws -> [[String: Any]] {
        try #require(try jsonObject(node.run("record", "list", "--json").stdout) as? [[String: Any]])
    }

    @Test func aGBKFileWithChineseHeadersAndSlashedDatesIsRead() throws {
        let node = try node("gbk.sqlite")
        let csv = """
            序号,姓名,性别,出生年月,联系电话,身份证号码,住址\r
            1,李娜,女,1954/12/30,13800001111,,青禾村\r
            2,王芳,女,1960年1月5日,,3.60103E+17,松岭村\r
            3,赵敏,女,19700203,,,南塘村\r

            """
        let file = directory.file("gbk.csv")
        try Data(gb18030(csv)).write(to: URL(fileURLWithPath: file))
        let result = try node.run("record", "import", file)
        #expect(result.stdout.contains("imported 2, rejected 1"), "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("GB18030"))
        #expect(result.stderr.contains("ignored columns (not record fields): 序号"), "\(result.stderr)")
        #expect(result.stderr.contains("line 3: id_number: '3.60103E+17' is an ID number Excel turned into a number"))
        let held = try records(node)
        #expect(held.contains { $0["name"] as? String == "李娜" && $0["birth"] as? String == "1954-12-30" })
        #expect(held.contains { $0["name"] as? String == "赵敏" && $0["birth"] as? String == "1970-02-03" })
        #expect(held.contains { $0["phone"] as? String == "13800001111" && $0["village"] as? String == "青禾村" })
    }

    @Test func unicodeTextWithTabsAndEnglishHeadersInAnyCaseIsRead() throws {
        let node = try node("utf16.sqlite")
        let text = "Name\tSex\tBirth\tVillage\n周芳\tF\t1980.7.1\t青禾村\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let file = directory.file("unicode.txt")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let result = try node.run("record", "import", file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("UTF-16, tab-separated"))
        #expect(try records(node).first?["birth"] as? String == "1980-07-01")
    }

    @Test func importingAFileAgainAddsNobodyTwiceAndOneIDNumberIsOnePerson() throws {
        let node = try node("dups.sqlite")
        let csv = """
            姓名,性别,出生日期,村,身份证号
            李娜,女,1949-12-31,青禾村,11010519491231002x
            王芳,女,1960-01-05,松岭村,

            """
        let file = directory.file("people.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try node.run("record", "import", file).stdout.contains("imported 2, rejected 0"))
        let again = try node.run("record", "import", file)
        #expect(again.status == 0)
        #expect(again.stdout.contains("imported 0, rejected 0, already present 2"), "\(again.stdout)")
        #expect(try records(node).count == 2)

        // The same ID number (as typed, with full-width digits) for someone else is refused.
        let other = try node.run(
            "record", "add", "--name", "周芳", "--sex", "F", "--birth", "1949-12-31", "--id-number",
            "１１０１０５１９４９１２３１００２Ｘ")
        #expect(other.status == 64)
        #expect(other.stderr.contains("already the ID number of 李娜"), "\(other.stderr)")
        // Same name, birth and village without an ID number: added, with a warning.
        let maybe = try node.run(
            "record", "add", "--name", "王芳", "--sex", "F", "--birth", "1960-01-05", "--village", "松岭村", "--phone",
            "13900001111")
        #expect(maybe.status == 0)
        #expect(maybe.stderr.contains("likely the same person"), "\(maybe.stderr)")
    }

    /// An import reads and builds rows on one thread and stores them on
    /// another, a chunk at a time: the file's order must survive it.
    @Test func aLongFileKeepsItsOrderAcrossChunksAndEveryBadRowIsNamedByItsLine() throws {
        var csv = "name,sex,birth,id_number\n"
        for line in 2...2001 {
            switch line {
            case 3, 700, 1999: csv += "居民\(line),X,1980-01-01,\n"
            // One ID number, twice: the second is refused, naming the first.
            case 1000, 1500: csv += "居民\(line),F,1949-12-31,11010519491231002X\n"
            default: csv += "居民\(line),F,1980-01-01,\n"
            }
        }
        let file = directory.file("long.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))

        let node = try node("long.sqlite")
        let result = try node.run("record", "import", file)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains("imported 1996, rejected 4"), "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("line ") }
        #expect(lines.map { $0.prefix { $0 != ":" } } == ["line 3", "line 700", "line 1500", "line 1999"])
        #expect(lines[2].contains("already the ID number of 居民1000"), "\(lines)")
        let names = Set(try records(node).compactMap { $0["name"] as? String })
        #expect(names.count == 1996 && names.contains("居民2001") && !names.contains("居民1500"))
        // Every record stored waits to be pushed: none would reach the hub otherwise.
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 1996 && status["records"] as? Int == 1996, "\(status)")

        // All or nothing: the bad rows at the start, middle and end undo every good one.
        let strict = try self.node("strict.sqlite")
        let refused = try strict.run("record", "import", file, "--all-or-nothing")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("4 bad rows; nothing was imported"), "\(refused.stderr)")
        #expect(try records(strict).isEmpty)
    }

    /// A quote never closed, thousands of rows in: rows already stored are
    /// undone and the line is named; the store takes the mended file after.
    @Test func aFileThatCannotBeReadToItsEndImportsNothing() throws {
        var rows = "name,sex,birth\n"
        for index in 0..<3000 { rows += "居民\(index),F,1980-01-01\n" }
        let cut = directory.file("cut.csv")
        try Data((rows + "\"居民,F,1980-01-01\n居民x,F,1980-01-01\n").utf8).write(to: URL(fileURLWithPath: cut))

        let node = try node("cut.sqlite")
        let result = try node.run("record", "import", cut)
        #expect(result.status == 64)
        #expect(result.stderr.contains("line 3002: a field opens with a quote"), "\(result.stderr)")
        #expect(try records(node).isEmpty)

        let mended = directory.file("mended.csv")
        try Data(rows.utf8).write(to: URL(fileURLWithPath: mended))
        #expect(try node.run("record", "import", mended).stdout.contains("imported 3000, rejected 0"))
    }

    /// `station record import` killed with SIGKILL while its two threads
    /// run: the file keeps none of the rows (one transaction), opens clean,
    /// and the same file imported again brings every row, each waiting to be pushed.
    @Test func anImportKilledPartWayKeepsNothingAndTheNextTakesEveryRow() async throws {
        var csv = "name,sex,birth,note\n"
        for index in 0..<20_000 { csv += "居民\(index),F,1980-01-01,\(String(repeating: "随访", count: 10))\n" }
        let file = directory.file("killed.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let station = CommandRunner.productsFolder.appendingPathComponent("station").path
        var landed: String?
        for (attempt, delay) in [300_000, 1_000_000, 2_500_000].enumerated() {
            let node = try node("killed-\(attempt).sqlite")
            let killed = try await runBlocking {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: station)
                process.arguments = ["record", "import", file, "--db", node.db, "--clerk", node.clerk]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                usleep(UInt32(delay))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return process.terminationReason == .uncaughtSignal
            }
            let store = try ReplicaStore(path: node.db)
            let held = try store.entities(.record).count
            #expect(try store.integrityCheck() == "ok")
            store.close()
            // Killed: nothing; finished before the kill: everything. Never a part.
            #expect(held == (killed ? 0 : 20_000), "attempt \(attempt): \(held) records")
            if killed { landed = node.db }
        }
        let killed = try #require(landed, "no kill landed during an import")
        let again = StationNode(db: killed)
        #expect(try again.run("record", "import", file).stdout.contains("imported 20000, rejected 0"))
        let status = try #require(try jsonObject(again.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 20_000, "\(status)")
    }
}
