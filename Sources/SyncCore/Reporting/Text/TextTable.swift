import SyncModel

/// A plain-text table for terminal output whose columns line up even when
/// cells mix Chinese and Latin text.
///
///     姓名    年龄  住址
///     ------  ----  ------------
///     张三      34  北京市朝阳区
///     Li Lei     5  上海
public struct TextTable: Sendable {
    let headers: [String]
    let alignRight: Set<Int>
    private(set) var rows: [[String]] = []

    /// A table with these column titles; the columns in `alignRight` (indices
    /// from 0) have their header and cells aligned to the right.
    public init(headers: [String], alignRight: Set<Int> = []) {
        self.headers = headers
        self.alignRight = alignRight
    }

    /// Adds a row. A row shorter than the headers is filled with empty cells;
    /// a longer one adds columns without a title.
    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines separated by "\n", without a final newline: a
    /// header line, a line of dashes under each header, then one line per
    /// row. Columns are two spaces apart, cells wider than `maxColumnWidth`
    /// columns are cut with "…", and line breaks and tabs inside a cell are
    /// shown as spaces so that each row stays on one line. Other control,
    /// bidi and invisible characters are shown escaped (`TerminalText`), so
    /// no cell can drive the terminal or reorder the line.
    /// With `lastColumnWhole`, the last column is never cut (it ends the
    /// line, so nothing after it moves).
    public func render(maxColumnWidth: Int = 40, lastColumnWhole: Bool = false) -> String {
        let columnCount = rows.reduce(headers.count) { max($0, $1.count) }
        guard columnCount > 0 else { return "" }
        let limit = max(1, maxColumnWidth)

        func cells(_ row: [String]) -> [String] {
            (0..<columnCount).map { column in
                guard column < row.count else { return "" }
                let whole = lastColumnWhole && column == columnCount - 1
                let shown = TerminalText.escaped(Self.flatten(row[column]))
                return whole ? shown : DisplayWidth.truncate(shown, to: limit)
            }
        }
        let headerCells = cells(headers)
        let bodyCells = rows.map(cells)

        // At least one column wide so that an untitled, empty column still
        // shows a dash in the separator.
        var widths = headerCells.map { max(1, DisplayWidth.of($0)) }
        for row in bodyCells {
            for (column, cell) in row.enumerated() {
                widths[column] = max(widths[column], DisplayWidth.of(cell))
            }
        }

        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.enumerated() {
                if column > 0 { text += "  " }
                text += DisplayWidth.pad(cell, to: widths[column], alignRight: alignRight.contains(column))
            }
            return Self.trimmingTrailingSpaces(text)
        }

        var lines: [String] = []
        lines.reserveCapacity(bodyCells.count + 2)
        lines.append(line(headerCells))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in bodyCells {
            lines.append(line(row))
        }
        return lines.joined(separator: "\n")
    }

    /// The cell on one line: every line break ("\r\n" counts as one) and tab
    /// becomes a space.
    static func flatten(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 >= 0x80 }) else {
            return cell
        }
        var flat = ""
        flat.reserveCapacity(cell.utf8.count)
        for character in cell {
            flat.append(character.isNewline || character == "\t" ? " " : character)
        }
        return flat
    }

    static func trimmingTrailingSpaces(_ text: String) -> String {
        var end = text.endIndex
        while end > text.startIndex {
            let previous = text.index(before: end)
            guard text[previous] == " " else { break }
            end = previous
        }
        return String(text[..<end])
    }
}
