import ArgumentParser
import OperatorCommands
import Reporting
import SyncModel
import SyncStore
import Foundation

extension Station.Record {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import records from a CSV spreadsheet (UTF-8, header row naming the fields).",
            discussion: """
                Headers: name, sex, birth, village, phone, id_number, household, tags, contract_date, note (and optional
                id, station), or the Chinese headers 姓名, 性别, 出生日期, 村, 电话, 身份证号, 户号, 重点人群, 签约日期, 备注.
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
                var reader = CSVReader(bytes: [UInt8](data))
                guard let header = try readRow(&reader) else { throw CommandFailure.badInput("\(file) is empty") }
                var columns: [(index: Int, field: RecordField?, special: String?)] = []
                for (index, name) in header.enumerated() {
                    let trimmed = name.trimmingCharacters(in: .whitespaces)
                    if trimmed == "id" || trimmed == "station" || trimmed == "编号" {
                        columns.append((index, nil, trimmed == "station" ? "station" : "id"))
                    } else if let field = RecordField(named: trimmed) {
                        columns.append((index, field, nil))
                    } else if !trimmed.isEmpty {
                        throw CommandFailure.badInput(
                            "line 1: unknown column '\(trimmed)': use \(RecordField.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                }
                var imported = 0
                var rejected: [String] = []
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
                                    case (let field?, _): values[field] = cell
                                    case (nil, "station"):
                                        guard cell == config.station else {
                                            throw SyncModel.ValidationError(
                                                field: "station", "is \(cell), but this is station \(config.station)")
                                        }
                                    default: id = cell.lowercased()
                                    }
                                }
                                if let id {
                                    try store.addRecord(
                                        station: config.station, values: values, tags: tags, clerk: clerk, id: id)
                                } else {
                                    try store.addRecord(
                                        station: config.station, values: values, tags: tags, clerk: clerk)
                                }
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
                for message in rejected { printError(message) }
                print("imported \(imported), rejected \(rejected.count)")
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
