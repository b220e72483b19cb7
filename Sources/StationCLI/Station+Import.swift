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
                var imported = 0
                var present = 0
                var rejected: [String] = []
                var warnings: [String] = []
                // A clerk at a terminal sees the import move; a script's stderr stays quiet.
                let progress = ImportProgress(interactive: isatty(2) == 1)
                progress.show(tr("reading the records already here…", zh: "正在读取已有档案……"))
                var index = try ResidentIndex(store)
                let clerk = options.clerkName(config)
                do {
                    try store.writeTransaction {
                        while let row = try readRow(&reader) {
                            let line = reader.line
                            progress.rows(imported + present + rejected.count, of: reader.fractionRead)
                            do {
                                // More cells than the header names: a comma in a value that
                                // was not quoted, which would otherwise cut the value short.
                                if row.count > header.count, row[header.count...].contains(where: { !$0.isEmpty }) {
                                    throw SyncModel.ValidationError(
                                        field: tr("row", zh: "列数"),
                                        tr(
                                            "has \(row.count) cells but the header names \(header.count): a value holds a comma that is not inside quotes (in Excel, save as CSV UTF-8 and it quotes them)",
                                            zh:
                                                "有 \(row.count) 格，但表头只有 \(header.count) 列：某个值含有不在引号内的逗号（在 Excel 中另存为 CSV UTF-8 即会加上引号）"
                                        ))
                                }
                                var values = [RecordField: String](minimumCapacity: columns.count)
                                var tags: [KeyPopulation] = []
                                var id: String?
                                for column in columns where column.index < row.count {
                                    let cell = SpreadsheetCell.trimmed(row[column.index])
                                    if cell.isEmpty { continue }
                                    switch (column.field, column.special) {
                                    case (.tags?, _): tags = try ReplicaStore.parseTags(cell)
                                    case (.sex?, _):
                                        // F and M, as nearly every row has them, are already the stored form.
                                        values[.sex] =
                                            cell == "F" || cell == "M" ? cell : RecordField.normaliseSex(cell)
                                    case (let field?, _) where field == .birth || field == .contractDate:
                                        values[field] = SpreadsheetCell.date(cell)
                                    case (.idNumber?, _):
                                        if SpreadsheetCell.isScientificNumber(cell) {
                                            throw SyncModel.ValidationError(
                                                field: "id_number",
                                                tr(
                                                    "'\(cell)' is an ID number Excel turned into a number, losing its last digits: format the column as Text in Excel (or type ' before each number), enter them again, save and import again",
                                                    zh:
                                                        "'\(cell)' 是被 Excel 转成数字的身份证号，末几位已丢失：请在 Excel 中把该列设为文本格式（或在每个号码前输入 '），重新录入，保存后再导入"
                                                ))
                                        }
                                        values[.idNumber] = cell
                                    case (let field?, _): values[field] = cell
                                    case (nil, "station"):
                                        guard cell == config.station else {
                                            throw SyncModel.ValidationError(
                                                field: "station",
                                                tr(
                                                    "is \(cell), but this is station \(config.station)",
                                                    zh: "为 \(cell)，但本卫生站是 \(config.station)"))
                                        }
                                    default: id = cell.lowercased()
                                    }
                                }
                                switch index.match(values, tags: tags) {
                                case .alreadyPresent:
                                    // The same file imported again adds nobody twice.
                                    present += 1
                                    continue
                                case .idNumberTaken(let other, let name):
                                    throw SyncModel.ValidationError(
                                        field: "id_number",
                                        tr(
                                            "is already the ID number of \(name) (record …\(other.suffix(8))): one number, one person",
                                            zh: "已是 \(name)（档案 …\(other.suffix(8))）的身份证号：一个号码只对应一个人"
                                        ))
                                case .likelyDuplicate(let other):
                                    warnings.append(
                                        tr(
                                            "line \(line): likely the same person as record …\(other.suffix(8)) (same name, birth date and village); imported, check it",
                                            zh: "第 \(line) 行：可能与档案 …\(other.suffix(8)) 是同一人（姓名、出生日期和村相同）；已导入，请核对"
                                        ))
                                case .new:
                                    break
                                }
                                let state =
                                    if let id {
                                        try store.addRecord(
                                            station: config.station, values: values, tags: tags, clerk: clerk, id: id)
                                    } else {
                                        try store.addRecord(
                                            station: config.station, values: values, tags: tags, clerk: clerk)
                                    }
                                index.add(state)
                                imported += 1
                            } catch let error as StoreError {
                                rejected.append(
                                    tr("line \(line): \(error.description)", zh: "第 \(line) 行：\(error.description)"))
                            } catch let error as SyncModel.ValidationError {
                                rejected.append(
                                    tr("line \(line): \(error.description)", zh: "第 \(line) 行：\(error.description)"))
                            }
                        }
                        if allOrNothing && !rejected.isEmpty { throw RollBack() }
                        progress.show(tr("saving…", zh: "正在保存……"))
                    }
                    progress.finish()
                } catch is RollBack {
                    progress.finish()
                    for message in rejected { printError(message) }
                    throw CommandFailure.badInput(
                        tr(
                            "\(rejected.count) bad row\(rejected.count == 1 ? "" : "s"); nothing was imported (--all-or-nothing)",
                            zh: "\(rejected.count) 行有误；未导入任何数据（--all-or-nothing）"
                        ))
                }
                for message in rejected + warnings { printError(message) }
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

    /// Every 4,096 rows at most 5 times a second: the clock is not read per row.
    func rows(_ done: Int, of fraction: Double) {
        guard interactive, done & 4095 == 0 else { return }
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
