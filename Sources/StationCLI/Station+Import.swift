import ArgumentParser
import OperatorCommands
import Reporting
import SyncModel
import SyncStore
import SyncSupport
import Foundation

extension Station.Record {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Import records from a spreadsheet saved as CSV (UTF-8 or GBK) or as Unicode text (tabs).",
                zh: "从表格导入档案：CSV（UTF-8 或 GBK）或 Unicode 文本。"),
            discussion: tr(
                """
                Headers: name, sex, birth, village, phone, id_number, household, tags, contract_date, note (and optional
                id, station), in any case, or the Chinese headers 姓名, 性别, 出生日期 (出生年月), 村 (住址), 电话
                (联系电话), 身份证号 (身份证号码), 户号, 重点人群, 签约日期, 备注; other columns (序号 …) are ignored, and
                named. Dates may be written 1954-12-30, 1954/12/30, 1954.12.30, 1954年12月30日 or 19541230.
                Tags in one cell are separated by commas. Every row is validated; bad rows are reported with their
                line number and skipped, good rows go in in one transaction.

                Examples:
                  station record import residents.csv
                  station record import residents.csv --all-or-nothing
                """,
                zh: """
                    表头：name, sex, birth, village, phone, id_number, household, tags,
                    contract_date, note（以及可选的 id, station），大小写均可；或用中文
                    表头：姓名、性别、出生日期（出生年月）、村（住址）、电话（联系电话）、
                    身份证号（身份证号码）、户号、重点人群、签约日期、备注；其他列（序号
                    …）会被忽略，并列出列名。日期可写作 1954-12-30、1954/12/30、
                    1954.12.30、1954年12月30日 或 19541230。同一格中的多个标签用逗号
                    分隔。每行都会校验；有误的行连同行号报告并跳过，正确的行在一个事务
                    中一并写入。

                    示例：
                      station record import residents.csv
                      station record import residents.csv --all-or-nothing
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: tr("The CSV file.", zh: "CSV 文件。")) var file: String
        @Flag(help: tr("Write nothing if any row is bad.", zh: "任何一行有误则全部不写入。")) var allOrNothing = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure.badInput(tr("cannot read \(file)", zh: "无法读取 \(file)"))
                }
                // As a Chinese Excel saves it: GB18030 "CSV", UTF-16 "Unicode text" with tabs, or UTF-8.
                guard let (text, encoding) = LegacyText.utf8([UInt8](data)) else {
                    throw CommandFailure.badInput(
                        tr(
                            "\(file) is not text in UTF-8, GB18030 (GBK) or UTF-16: in Excel, save it as \"CSV UTF-8\"",
                            zh: "\(file) 不是 UTF-8、GB18030（GBK）或 UTF-16 文本：请在 Excel 中另存为“CSV UTF-8”"))
                }
                let firstLine = text.prefix { $0 != UInt8(ascii: "\n") }
                let tabbed = firstLine.contains(UInt8(ascii: "\t")) && !firstLine.contains(UInt8(ascii: ","))
                if encoding != .utf8 || tabbed {
                    printError(
                        tr(
                            "reading \(file) as \(encoding.rawValue)\(tabbed ? ", tab-separated" : "")",
                            zh: "按 \(encoding.rawValue)\(tabbed ? "、制表符分隔" : "") 读取 \(file)"))
                }
                var reader = CSVReader(bytes: text, separator: UInt8(ascii: tabbed ? "\t" : ","))
                guard let header = try readRow(&reader) else {
                    throw CommandFailure.badInput(tr("\(file) is empty", zh: "\(file) 是空文件"))
                }
                var columns: [(index: Int, field: RecordField?, special: String?)] = []
                var ignored: [String] = []
                for (index, name) in header.enumerated() {
                    let trimmed = name.trimmingCharacters(in: .whitespaces)
                    let lower = trimmed.lowercased()
                    if lower == "id" || lower == "station" || trimmed == "编号" {
                        columns.append((index, nil, lower == "station" ? "station" : "id"))
                    } else if let field = RecordField(named: trimmed) {
                        columns.append((index, field, nil))
                    } else if !trimmed.isEmpty {
                        ignored.append(trimmed)
                    }
                }
                guard columns.contains(where: { $0.field == .name }) else {
                    throw CommandFailure.badInput(
                        tr(
                            "line 1: no column of names: the header needs 姓名 (or name), 性别 (sex) and 出生日期 (birth); it has \(header.joined(separator: ", "))",
                            zh:
                                "第 1 行：没有姓名列：表头须有 姓名（或 name）、性别（sex）和 出生日期（birth）；现有表头为 \(header.joined(separator: "、"))"
                        ))
                }
                if !ignored.isEmpty {
                    printError(
                        tr(
                            "ignored columns (not record fields): \(ignored.joined(separator: ", "))",
                            zh: "已忽略的列（不是档案字段）：\(ignored.joined(separator: "、"))"))
                }
                // A clerk at a terminal sees the import move; a script's stderr stays quiet.
                let progress = ImportProgress(interactive: isatty(2) == 1)
                progress.show(tr("reading the records already here…", zh: "正在读取已有档案……"))
                var index = try ResidentIndex(store)
                // A row a line, nearly always (a quoted value may span lines):
                // capped, so a file of empty lines reserves no gigabytes.
                index.reserve(min(text.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }, 2_000_000))
                var tally = ImportTally(index: index)
                // One thread reads and builds the rows, this one stores them.
                let rows = ImportRows(
                    columns: columns, headerCount: header.count, station: config.station,
                    builder: try store.newRecordBuilder(clerk: options.clerkName(config)))
                let handoff = Handoff<ImportChunk>(capacity: 8)
                let readerDone = DispatchSemaphore(value: 0)
                Thread { [reader] in
                    rows.read(reader, into: handoff)
                    readerDone.signal()
                }.start()
                defer {
                    handoff.cancel()
                    readerDone.wait()
                }
                do {
                    try store.storingNewRecords {
                        progress.rows(0, of: 0)
                        while let chunk = handoff.take() {
                            switch chunk {
                            case .unreadable(let error): throw CommandFailure.badInput(error.description)
                            case .rows(let built, let fraction):
                                for row in built { try tally.take(row, into: store) }
                                progress.rows(tally.rows, of: fraction)
                            }
                        }
                        if allOrNothing && !tally.rejected.isEmpty { throw RollBack() }
                        progress.show(tr("saving…", zh: "正在保存……"))
                    }
                    progress.finish()
                } catch is RollBack {
                    progress.finish()
                    for message in tally.rejected { printError(message) }
                    throw CommandFailure.badInput(
                        tr(
                            "\(tally.rejected.count) bad row\(tally.rejected.count == 1 ? "" : "s"); nothing was imported (--all-or-nothing)",
                            zh: "\(tally.rejected.count) 行有误；未导入任何数据（--all-or-nothing）"
                        ))
                }
                let (imported, present, rejected) = (tally.imported, tally.present, tally.rejected)
                for message in rejected + tally.warnings { printError(message) }
                print(
                    tr(
                        "imported \(imported), rejected \(rejected.count)"
                            + (present > 0 ? ", already present \(present)" : ""),
                        zh: "已导入 \(imported) 条，拒绝 \(rejected.count) 条"
                            + (present > 0 ? "，已存在 \(present) 条" : "")))
                // Some rows in, some not: exit 2, its own code, so a script
                // never takes it for "nothing was written" (64).
                if !rejected.isEmpty { throw imported > 0 ? ExitCode(2) : ExitCode.validationFailure }
            }
        }

        /// Thrown inside the import's transaction to undo every row.
        private struct RollBack: Error {}

        private func readRow(_ reader: inout CSVReader) throws -> [String]? {
            do { return try reader.nextRow() } catch { throw CommandFailure.badInput(error.description) }
        }
    }
}

/// The import's progress on a terminal: one line on stderr, redrawn in place
/// a few times a second, cleared when the import ends.
final class ImportProgress {
    let interactive: Bool
    private var lastDrawn: UInt64 = 0
    private var drawn = false

    init(interactive: Bool) {
        self.interactive = interactive
    }

    func show(_ text: String) {
        guard interactive else { return }
        let width = max(1, ProgressDisplay.terminalWidth() - 1)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + ProgressDisplay.prefix(text, columns: width)).utf8))
        drawn = true
    }

    /// At most 5 times a second; called once a chunk of rows, so the clock is not read per row.
    func rows(_ done: Int, of fraction: Double) {
        guard interactive else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDrawn > 200_000_000 else { return }
        lastDrawn = now
        let percent = Int(fraction * 100)
        show(tr("importing: \(done) rows (\(percent)% of the file)", zh: "正在导入：\(done) 行（文件的 \(percent)%）"))
    }

    func finish() {
        guard interactive, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
