import Foundation
import Reporting
import SyncModel

/// A CSV of synthetic residents as a clerk would import it: the English
/// headers, one row per resident, each with its own ID number.
enum ResidentsCSV {
    static let columns: [RecordField] = [
        .name, .sex, .birth, .village, .phone, .idNumber, .household, .tags, .contractDate, .note,
    ]

    /// Writes `records` rows to `path`; the same seed gives the same file.
    static func write(records: Int, to path: String, seed: UInt64 = 11) throws {
        var generator = SyntheticResidents(seed: seed)
        var csv = CSVWriter()
        csv.addRow(columns.map(\.rawValue))
        // An import refuses a second record with one ID number: draw again.
        var idNumbers: Set<String> = []
        while idNumbers.count < records {
            let input = generator.record()
            guard idNumbers.insert(input.values[.idNumber] ?? "").inserted else { continue }
            csv.addRow(
                columns.map { $0 == .tags ? input.tags.map(\.rawValue).joined(separator: ",") : input.values[$0] ?? "" }
            )
        }
        try Data(csv.bytes).write(to: URL(fileURLWithPath: path))
    }
}
