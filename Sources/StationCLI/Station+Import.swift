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
            abstract: "Import records from a spreadsheet saved as CSV (UTF-8 or GBK) or as Unicode text (tabs).",
            discussion: """
                Headers: name, sex, birth, village, phone, id_number, household, tags, contract_date, note (and optional
                id, station), in any case, or the Chinese headers 姓名, 性别, 出生日期 (出生年月), 村 (住址), 电话
                (联系电话), 身份证号 (身份证号码), 户号, 重点人群, 签约日期, 备注; other columns (序号 …) are ignored, and
                named. Dates may be written 1954-12-30, 1954/12/30, 1954.12.30, 1954年12月30日 or 19541230.
                Tags in one cell are separated by commas. Every row is validated; bad rows are reported with their
                line number and skipped, good rows go in in one transaction.

                Examples:
                  station record import residents.csv
                  station record import residents.csv --all-or-nothing
                """
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Write nothing if any row is bad.") var allOrNothing = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure.badInput("cannot read \(file)")
                }
                // As a Chinese Excel saves it: GB18030 "CSV", UTF-16 "Unicode text" with tabs, or UTF-8.
                guard let (text, encoding) = LegacyText.utf8([UInt8](data)) else {
                    throw CommandFailure.badInput(
                        "\(file) is not text in UTF-8, GB18030 (GBK) or UTF-16: in Excel, save it as \"CSV UTF-8\"")
                }
                let firstLine = text.prefix { $0 != UInt8(ascii: "\n") }
                let tabbed = firstLine.contains(UInt8(ascii: "\t")) && !firstLine.contains(UInt8(ascii: ","))
                if encoding != .utf8 || tabbed {
                    printError("reading \(file) as \(encoding.rawValue)\(tabbed ? ", tab-separated" : "")")
                }
                var reader = CSVReader(bytes: text, separator: UInt8(ascii: tabbed ? "\t" : ","))
                guard let header = try readRow(&reader) else { throw CommandFailure.badInput("\(file) is empty") }
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
                        "line 1: no column of names: the header needs 姓名 (or name), 性别 (sex) and 出生日期 (birth); it has \(header.joined(separator: ", "))"
                    )
                }
                if !ignored.isEmpty {
                    printError("ignored columns (not record fields): \(ignored.joined(separator: ", "))")
                }
                var imported = 0
                var present = 0
                var rejected: [String] = []
                var warnings: [String] = []
                var index = try ResidentIndex(store)
                let clerk = options.clerkName(config)
                do {
                    try store.writeTransaction {
                        while let row = try readRow(&reader) {
                            let line = reader.line
                            do {
                                // More cells than the header names: a comma in a value that
                                // was not quoted, which would otherwise cut the value short.
                                if row.count > header.count, row[header.count...].contains(where: { !$0.isEmpty }) {
                                    throw SyncModel.ValidationError(
                                        field: "row",
                                        "has \(row.count) cells but the header names \(header.count): a value holds a comma that is not inside quotes (in Excel, save as CSV UTF-8 and it quotes them)"
                                    )
                                }
                                var values: [RecordField: String] = [:]
                                var tags: [KeyPopulation] = []
                                var id: String?
                                for column in columns where column.index < row.count {
                                    let cell = row[column.index].trimmingCharacters(in: .whitespaces)
                                    if cell.isEmpty { continue }
                                    switch (column.field, column.special) {
                                    case (.tags?, _): tags = try ReplicaStore.parseTags(cell)
                                    case (.sex?, _): values[.sex] = RecordField.normaliseSex(cell)
                                    case (let field?, _) where field == .birth || field == .contractDate:
                                        values[field] = SpreadsheetCell.date(cell)
                                    case (.idNumber?, _):
                                        if SpreadsheetCell.isScientificNumber(cell) {
                                            throw SyncModel.ValidationError(
                                                field: "id_number",
                                                "'\(cell)' is an ID number Excel turned into a number, losing its last digits: format the column as Text in Excel (or type ' before each number), enter them again, save and import again"
                                            )
                                        }
                                        values[.idNumber] = cell
                                    case (let field?, _): values[field] = cell
                                    case (nil, "station"):
                                        guard cell == config.station else {
                                            throw SyncModel.ValidationError(
                                                field: "station", "is \(cell), but this is station \(config.station)")
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
                                        "is already the ID number of \(name) (record …\(other.suffix(8))): one number, one person"
                                    )
                                case .likelyDuplicate(let other):
                                    warnings.append(
                                        "line \(line): likely the same person as record …\(other.suffix(8)) (same name, birth date and village); imported, check it"
                                    )
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
                                rejected.append("line \(line): \(error.description)")
                            } catch let error as SyncModel.ValidationError {
                                rejected.append("line \(line): \(error.description)")
                            }
                        }
                        if allOrNothing && !rejected.isEmpty { throw RollBack() }
                    }
                } catch is RollBack {
                    for message in rejected { printError(message) }
                    throw CommandFailure.badInput(
                        "\(rejected.count) bad row\(rejected.count == 1 ? "" : "s"); nothing was imported (--all-or-nothing)"
                    )
                }
                for message in rejected + warnings { printError(message) }
                print(
                    "imported \(imported), rejected \(rejected.count)"
                        + (present > 0 ? ", already present \(present)" : ""))
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
