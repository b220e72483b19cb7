/// Cells as spreadsheets write them, read as the store expects them.
enum SpreadsheetCell {
    /// A date in any of the usual spellings, as YYYY-MM-DD; anything else
    /// unchanged, for the field's own check to name.
    static func date(_ cell: String) -> String {
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

    /// True for a number Excel wrote in scientific notation, e.g. 3.60103E+17.
    static func isScientificNumber(_ cell: String) -> Bool {
        let upper = cell.uppercased()
        guard let e = upper.firstIndex(of: "E") else { return false }
        return Double(upper) != nil && upper[upper.index(after: e)...].hasPrefix("+")
    }
}
