import Foundation
import Reporting
import SyncModel
import SyncStore

/// One row of an import, read and built, in the file's order.
enum ImportRow: Sendable {
    /// Refused before it could be compared with the records held (a cell
    /// Excel spoiled, an unknown tag, another station's row).
    case refused(line: Int, ValidationError)
    /// A record ready to store.
    case record(line: Int, NewRecord)
    /// Values that make no valid record: refused, unless the store holds them already.
    case invalid(line: Int, values: [RecordField: String], tags: [KeyPopulation], error: any Error)
}

/// What one thread hands the other: rows, or the reason the file cannot be read on.
enum ImportChunk: Sendable {
    /// `fraction`: how far through the file the last of them ends.
    case rows([ImportRow], fraction: Double)
    case unreadable(CSVError)
}

/// Turns a spreadsheet's rows into records of this station, away from the
/// store: an import runs it on a thread of its own while the store writes
/// what it built (`Station.Record.Import`). Reading, checking and building a
/// row costs more than storing it.
struct ImportRows: Sendable {
    typealias Column = (index: Int, field: RecordField?, special: String?)

    let columns: [Column]
    let headerCount: Int
    let station: String
    let builder: NewRecordBuilder

    /// Rows handed over at a time: few enough to show progress, many enough
    /// that the two threads seldom wait on the lock.
    static let chunkSize = 256

    /// Reads every row after the header, builds it, and gives the rows in
    /// chunks until the file ends, it cannot be read on, or the taker cancels.
    ///
    /// One thread builds while the other stores: the two cores a station's
    /// laptop has. Building on two threads while a third stored was tried:
    /// no faster on two cores (twelve runs of 100,000 rows each way).
    func read(_ reader: CSVReader, into handoff: Handoff<ImportChunk>) {
        var reader = reader
        var random = BufferedSystemRandom()
        var chunk: [ImportRow] = []
        chunk.reserveCapacity(Self.chunkSize)
        defer { handoff.finish() }
        do {
            while let cells = try reader.nextRow() {
                chunk.append(row(cells, line: reader.line, random: &random))
                if chunk.count == Self.chunkSize {
                    guard handoff.give(.rows(chunk, fraction: reader.fractionRead)) else { return }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            _ = handoff.give(.rows(chunk, fraction: reader.fractionRead))
            _ = handoff.give(.unreadable(error))
            return
        }
        _ = handoff.give(.rows(chunk, fraction: 1))
    }

    /// One row's cells as a record of this station, or why they are not one.
    /// `random`: where the ids of rows that name none draw their random bits.
    func row(_ cells: [String], line: Int, random: inout BufferedSystemRandom) -> ImportRow {
        var values = [RecordField: String](minimumCapacity: columns.count)
        var tags: [KeyPopulation] = []
        var id: String?
        do throws(ValidationError) {
            // More cells than the header names: a comma in a value that
            // was not quoted, which would otherwise cut the value short.
            if cells.count > headerCount, cells[headerCount...].contains(where: { !$0.isEmpty }) {
                throw ValidationError(
                    field: tr("row", zh: "列数"),
                    tr(
                        "has \(cells.count) cells but the header names \(headerCount): a value holds a comma that is not inside quotes (in Excel, save as CSV UTF-8 and it quotes them)",
                        zh:
                            "有 \(cells.count) 格，但表头只有 \(headerCount) 列：某个值含有不在引号内的逗号（在 Excel 中另存为 CSV UTF-8 即会加上引号）"
                    ))
            }
            for column in columns where column.index < cells.count {
                let cell = SpreadsheetCell.trimmed(cells[column.index])
                if cell.isEmpty { continue }
                switch (column.field, column.special) {
                case (.tags?, _): tags = try ReplicaStore.parseTags(cell)
                case (.sex?, _):
                    // F and M, as nearly every row has them, are already the stored form.
                    values[.sex] = cell == "F" || cell == "M" ? cell : RecordField.normaliseSex(cell)
                case (let field?, _) where field == .birth || field == .contractDate:
                    values[field] = SpreadsheetCell.date(cell)
                case (.idNumber?, _):
                    if SpreadsheetCell.isScientificNumber(cell) {
                        throw ValidationError(
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
                    guard cell == station else {
                        throw ValidationError(
                            field: "station",
                            tr("is \(cell), but this is station \(station)", zh: "为 \(cell)，但本卫生站是 \(station)"))
                    }
                default: id = cell.lowercased()
                }
            }
        } catch {
            return .refused(line: line, error)
        }
        do {
            let time = currentTimeMillis()
            let record = try builder.build(
                station: station, values: values, tags: tags,
                id: id ?? Identifiers.newRecordID(millisecondsSince1970: time, using: &random), time: time)
            return .record(line: line, record)
        } catch {
            return .invalid(line: line, values: values, tags: tags, error: error)
        }
    }
}
