import Foundation
import SyncStore

/// Cells as spreadsheets write them, read as the store expects them.
enum SpreadsheetCell {
    /// The cell without spaces and tabs around it, as Foundation's
    /// `trimmingCharacters(in: .whitespaces)` gives it; Foundation itself
    /// only when an end of the cell is not ASCII or common Chinese (its
    /// trimming, here and in the store's normalisation, was 30 % of an import).
    static func trimmed(_ cell: String) -> String {
        EntryNormalisation.trimmed(cell, newlines: false) ?? cell.trimmingCharacters(in: .whitespaces)
    }

    /// A date in any of the usual spellings, as YYYY-MM-DD; anything else
    /// unchanged, for the field's own check to name.
    static func date(_ cell: String) -> String {
        // Already YYYY-MM-DD (the year not starting with 0, which the
        // general path below would drop): nearly every cell, as it is.
        if isPlainDate(cell) { return cell }
        var parts: [Substring] = []
        let separators: Set<Character> = ["-", "/", ".", "年", "月", "日"]
        if cell.allSatisfy(\.isNumber), cell.count == 8 {
            parts = [cell.prefix(4), cell.dropFirst(4).prefix(2), cell.suffix(2)]
        } else {
            parts = cell.split(whereSeparator: { separators.contains($0) })
        }
        guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[1].count <= 2, parts[2].count <= 2
        else { return cell }
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Ten ASCII bytes `DDDD-DD-DD`, the first digit not 0: what `date`
    /// would return unchanged.
    private static func isPlainDate(_ cell: String) -> Bool {
        let utf8 = cell.utf8
        guard utf8.count == 10 else { return false }
        for (offset, byte) in utf8.enumerated() {
            switch offset {
            case 0: guard byte >= 0x31 && byte <= 0x39 else { return false }
            case 4, 7: guard byte == 0x2D else { return false }
            default: guard byte >= 0x30 && byte <= 0x39 else { return false }
            }
        }
        return true
    }

    /// True for a number Excel wrote in scientific notation, e.g. 3.60103E+17.
    static func isScientificNumber(_ cell: String) -> Bool {
        // ASCII without an E cannot be one: skip the uppercased copy.
        if cell.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x45 && $0 != 0x65 }) { return false }
        let upper = cell.uppercased()
        guard let e = upper.firstIndex(of: "E") else { return false }
        return Double(upper) != nil && upper[upper.index(after: e)...].hasPrefix("+")
    }
}
