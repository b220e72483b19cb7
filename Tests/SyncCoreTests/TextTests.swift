import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

@Suite struct DisplayWidthTests {
    @Test func asciiTakesOneColumnPerCharacter() {
        #expect(DisplayWidth.of("") == 0)
        #expect(DisplayWidth.of("abc 123") == 7)
    }

    @Test func chineseTakesTwoColumnsPerCharacter() {
        #expect(DisplayWidth.of("张三") == 4)
        #expect(DisplayWidth.of("北京市朝阳区") == 12)
        #expect(DisplayWidth.of("，。") == 4)  // fullwidth comma, ideographic full stop
        #expect(DisplayWidth.of("ＡＢ") == 4)  // fullwidth Latin
        #expect(DisplayWidth.of("가나") == 4)  // Hangul syllables
        #expect(DisplayWidth.of("カナ") == 4)
        #expect(DisplayWidth.of("㐀") == 2)  // CJK extension A
        #expect(DisplayWidth.of("𠀀") == 2)  // CJK extension B
        #expect(DisplayWidth.of("😀") == 2)
    }

    @Test func mixedTextAddsColumnWidths() {
        #expect(DisplayWidth.of("Li Lei 李雷") == 11)
        #expect(DisplayWidth.of("2026年3月") == 9)
    }

    @Test func combiningMarksAndInvisibleCharactersTakeNoColumns() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("a\u{20DD}") == 1)  // enclosing circle
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
        #expect(DisplayWidth.of("\u{200D}\u{200E}\u{200F}") == 0)
        #expect(DisplayWidth.of("\u{FEFF}张") == 2)
        #expect(DisplayWidth.of("か\u{3099}") == 2)  // combining kana voicing mark
    }

    @Test func controlCharactersTakeNoColumns() {
        #expect(DisplayWidth.of("a\u{7}b\u{0}") == 2)
        #expect(DisplayWidth.of("\u{85}\u{7F}") == 0)
    }

    @Test func padFillsToTheWidthOnEitherSide() {
        #expect(DisplayWidth.pad("张三", to: 6) == "张三  ")
        #expect(DisplayWidth.pad("34", to: 4, alignRight: true) == "  34")
        #expect(DisplayWidth.pad("北京市", to: 4) == "北京市")
    }

    @Test func truncateCutsWithAnEllipsisWithinTheWidth() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abcd", to: 4) == "abcd")
        #expect(DisplayWidth.truncate("北京市朝阳区", to: 12) == "北京市朝阳区")
        #expect(DisplayWidth.truncate("北京市朝阳区", to: 7) == "北京市…")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.truncate("abc", to: 1) == "…")
    }

    @Test func truncateNeverSplitsAWideCharacterAcrossTheLimit() {
        let cut = DisplayWidth.truncate("北京市朝阳区", to: 6)
        #expect(cut == "北京…")
        #expect(DisplayWidth.of(cut) == 5)
        #expect(DisplayWidth.truncate("a北京", to: 3) == "a…")
    }

    @Test func truncateKeepsCombiningMarksWithTheirBase() {
        #expect(DisplayWidth.truncate("e\u{301}e\u{301}e\u{301}x", to: 3) == "e\u{301}e\u{301}…")
    }
}

@Suite struct TextTableTests {
    /// The text in display columns `from..<to` of `line`, read as if the line
    /// were padded with spaces; nil when a wide character straddles a bound.
    func columns(_ line: Substring, from: Int, to: Int) -> String? {
        var result = ""
        var column = 0
        for character in line {
            let width = DisplayWidth.of(String(character))
            if column >= from && column + width <= to {
                result.append(character)
            } else if column < to && column + width > from {
                return nil
            }
            column += width
        }
        if column < to {
            result += String(repeating: " ", count: to - max(column, from))
        }
        return result
    }

    @Test func chineseTextAlignsByDisplayWidth() {
        var table = TextTable(headers: ["姓名", "年龄", "住址"], alignRight: [1])
        let rows = [
            ["张三", "34", "北京市朝阳区"],
            ["Li Lei", "5", "上海"],
            ["欧阳娜娜", "102", "Hong Kong 香港"],
        ]
        for row in rows { table.add(row) }
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)

        // Column widths 8, 4 and 14, two spaces apart.
        let bounds = [(0, 8), (10, 14), (16, 30)]
        let expected = [["姓名", "年龄", "住址"], ["--------", "----", "--------------"]] + rows
        for (line, cells) in zip(lines, expected) {
            for (column, (from, to)) in bounds.enumerated() {
                let padded = DisplayWidth.pad(cells[column], to: to - from, alignRight: column == 1)
                #expect(columns(line, from: from, to: to) == padded, "\(line)")
            }
            #expect(columns(line, from: 8, to: 10) == "  ")
            #expect(columns(line, from: 14, to: 16) == "  ")
        }
    }

    @Test func renderedLinesHaveNoTrailingSpaces() {
        var table = TextTable(headers: ["编号", "备注"])
        table.add(["1", ""])
        table.add(["2", "短"])
        table.add(["300", "较长的备注"])
        let lines = table.render().split(separator: "\n")
        #expect(lines.count == 5)
        for line in lines {
            #expect(line.last != " ")
        }
        #expect(lines[2] == "1")
        #expect(lines[0] == "编号  备注")
        #expect(lines[1] == "----  ----------")
    }

    @Test func longCellsAreTruncatedToTheMaximumColumnWidth() {
        var table = TextTable(headers: ["住址"])
        table.add(["北京市朝阳区建国路八十八号"])
        let lines = table.render(maxColumnWidth: 10).split(separator: "\n")
        #expect(lines[2] == "北京市朝…")
        #expect(lines[1] == "---------")
    }

    @Test func lineBreaksAndTabsInCellsShowAsSpaces() {
        var table = TextTable(headers: ["备注", "x"])
        table.add(["第一行\r\n第二行\t完", "y"])
        let lines = table.render().split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[2] == "第一行 第二行 完  y")
    }

    @Test func shortRowsAreFilledWithEmptyCells() {
        var table = TextTable(headers: ["a", "b", "c"], alignRight: [2])
        table.add(["1"])
        table.add(["1", "2", "3"])
        #expect(table.render() == "a  b  c\n-  -  -\n1\n1  2  3")
    }
}

@Suite struct CSVTests {
    func readAll(_ bytes: [UInt8]) throws(CSVError) -> [[String]] {
        var reader = CSVReader(bytes: bytes)
        var rows: [[String]] = []
        while let row = try reader.nextRow() {
            rows.append(row)
        }
        return rows
    }

    @Test func writtenRowsReadBackUnchanged() throws {
        let rows = [
            ["姓名", "身份证号", "备注"],
            ["张三", "110101199003071234", "说 \"你好\", 然后走了"],
            ["李四", "", "第一行\r\n第二行\n第三行"],
            ["O'Brien", "a,b,c", "\"\""],
            ["", "", ""],
            ["😀", " 空格 ", "tab\there"],
        ]
        var writer = CSVWriter()
        for row in rows { writer.addRow(row) }
        #expect(try readAll(writer.bytes) == rows)
    }

    @Test func writerUsesBOMAndCRLFAndQuotesOnlyWhenNeeded() {
        var writer = CSVWriter()
        writer.addRow(["张三", "a,b", "say \"hi\"", "x"])
        let expected: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("张三,\"a,b\",\"say \"\"hi\"\"\",x\r\n".utf8)
        #expect(writer.bytes == expected)
        #expect(CSVWriter(bom: false).bytes.isEmpty)
    }

    @Test func emptyRowSurvivesTheRoundTrip() throws {
        var writer = CSVWriter(bom: false)
        writer.addRow(["a"])
        writer.addRow([""])
        writer.addRow(["b"])
        #expect(try readAll(writer.bytes) == [["a"], [""], ["b"]])
    }

    @Test func formulaLikeFieldsGetALeadingApostrophe() throws {
        var writer = CSVWriter(bom: false)
        writer.addRow(["=1+1", "+SUM(A1)", "-A1", "@cmd", "=HYPERLINK(\"x\",\"y\")", "\tx"])
        writer.addRow(["-3", "+8613812345678", "-1.5", "3-2", "a=b", "-", "+86 138"])
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.hasPrefix("'=1+1,'+SUM(A1),'-A1,'@cmd,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",'\tx\r\n"))
        #expect(try readAll(writer.bytes)[1] == ["-3", "+8613812345678", "-1.5", "3-2", "a=b", "'-", "'+86 138"])
    }

    @Test func byteOrderMarkIsStripped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("姓名,年龄\n张三,34\n".utf8)
        #expect(try readAll(bytes) == [["姓名", "年龄"], ["张三", "34"]])
    }

    @Test func readerHandlesLineEndsEmptyLinesAndMissingFinalNewline() throws {
        let text = "a,b\r\n\r\n\nc,\n,d\r\n\"\",\"\"\ne,f"
        #expect(try readAll(Array(text.utf8)) == [["a", "b"], ["c", ""], ["", "d"], ["", ""], ["e", "f"]])
        #expect(try readAll([]) == [])
        #expect(try readAll(Array("\n\r\n".utf8)) == [])
    }

    @Test func strayQuoteInUnquotedFieldIsKept() throws {
        #expect(try readAll(Array("5'10\",ab\"c\n".utf8)) == [["5'10\"", "ab\"c"]])
    }

    @Test func lineNumberCountsLinesInsideQuotedFields() throws {
        let text = "姓名,备注\n张三,\"第一行\n第二行\r\n第三行\"\n\n李四,好\n王五,\"a\"\"b\"\n"
        var reader = CSVReader(bytes: Array(text.utf8))
        #expect(reader.line == 0)
        #expect(try reader.nextRow() == ["姓名", "备注"])
        #expect(reader.line == 1)
        #expect(try reader.nextRow() == ["张三", "第一行\n第二行\r\n第三行"])
        #expect(reader.line == 2)
        #expect(try reader.nextRow() == ["李四", "好"])
        #expect(reader.line == 6)
        #expect(try reader.nextRow() == ["王五", "a\"b"])
        #expect(reader.line == 7)
        #expect(try reader.nextRow() == nil)
    }

    @Test func unterminatedQuoteIsReportedWithItsLine() {
        let text = "a,b\nc,d\ne,\"never closed\nf,g\n"
        #expect(throws: CSVError.unterminatedQuote(line: 3)) {
            try readAll(Array(text.utf8))
        }
        #expect(CSVError.unterminatedQuote(line: 3).description.hasPrefix("line 3: "))
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        // "张三" in GBK, as older Excel versions save CSV.
        let bytes = Array("姓名,年龄\n".utf8) + [0xD5, 0xC5, 0xC8, 0xFD] + Array(",34\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 2)) {
            try readAll(bytes)
        }
        #expect(CSVError.invalidUTF8(line: 2).description.contains("UTF-8"))
    }
}
