import SyncModel

/// Reads CSV (RFC 4180) from UTF-8 bytes one row at a time, as exported by
/// Excel, WPS or the provincial systems.
///
/// Accepted beyond the RFC, because real exports do it: a UTF-8 byte-order
/// mark at the start, LF or lone CR line ends as well as CRLF, no newline
/// after the last row, and a `"` inside an unquoted field (kept as is).
/// Completely empty lines are skipped. Every field is text; what it means is
/// up to the caller.
///
///     var reader = CSVReader(bytes: data)
///     while let row = try reader.nextRow() {
///         guard row.count == 12 else { throw … "line \(reader.line): …" }
///     }
public struct CSVReader: Sendable {
    let bytes: [UInt8]
    /// Where the next row starts.
    var position: Int
    /// The line `position` is on, from 1.
    var currentLine = 1
    /// The field count of the last row, to size the next one's array.
    var lastFieldCount = 0

    /// The line, from 1, on which the row last returned by `nextRow()`
    /// started; 0 before the first row. A quoted field can span lines, so
    /// the next row may start more than one line further on.
    public private(set) var line: Int = 0

    /// How far through the input the reader is, from 0 to 1: for progress.
    public var fractionRead: Double {
        bytes.isEmpty ? 1 : Double(position) / Double(bytes.count)
    }

    /// The byte between fields: a comma, or a tab for Excel's "Unicode text".
    let separator: UInt8

    /// A reader of these bytes; a leading UTF-8 byte-order mark is skipped.
    public init(bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.separator = separator
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = hasBOM ? 3 : 0
    }

    /// The next row's fields, or nil at the end of the input.
    public mutating func nextRow() throws(CSVError) -> [String]? {
        let end = bytes.count
        skipEmptyLines()
        guard position < end else { return nil }
        line = currentLine

        var fields: [String] = []
        fields.reserveCapacity(lastFieldCount)
        while true {
            fields.append(try nextField())
            // nextField stops at a comma, a line end or the end of the input.
            guard position < end else { break }
            let byte = bytes[position]
            if byte == separator {
                position += 1
                continue
            }
            consumeLineEnd()
            break
        }
        lastFieldCount = fields.count
        return fields
    }

    // MARK: - Scanning

    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    mutating func skipEmptyLines() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == Self.lineFeed || byte == Self.carriageReturn else { return }
            consumeLineEnd()
        }
    }

    /// Steps over the CRLF, LF or CR at `position`.
    @inline(__always)
    mutating func consumeLineEnd() {
        if bytes[position] == Self.carriageReturn && position + 1 < bytes.count
            && bytes[position + 1] == Self.lineFeed
        {
            position += 2
        } else {
            position += 1
        }
        currentLine += 1
    }

    /// The field at `position`, leaving `position` on the comma or line end
    /// after it, or at the end of the input.
    mutating func nextField() throws(CSVError) -> String {
        let end = bytes.count
        let fieldLine = currentLine
        guard position < end, bytes[position] == Self.quote else {
            let start = position
            while position < end {
                let byte = bytes[position]
                if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                position += 1
            }
            return try Self.string(bytes[start..<position], line: fieldLine)
        }

        // A quoted field: runs to the next quote that is not doubled, and
        // may hold commas and line ends.
        position += 1
        let start = position
        var hasDoubledQuotes = false
        while true {
            guard position < end else { throw CSVError.unterminatedQuote(line: fieldLine) }
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < end && bytes[position + 1] == Self.quote {
                    hasDoubledQuotes = true
                    position += 2
                    continue
                }
                break
            }
            if byte == Self.lineFeed {
                currentLine += 1
            } else if byte == Self.carriageReturn && !(position + 1 < end && bytes[position + 1] == Self.lineFeed) {
                currentLine += 1
            }
            position += 1
        }
        let closingQuote = position
        position += 1

        // Text after the closing quote (`"abc"def`) breaks the RFC; keep it
        // rather than lose data, as Excel does.
        let trailingStart = position
        while position < end {
            let byte = bytes[position]
            if byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            position += 1
        }

        if !hasDoubledQuotes && trailingStart == position {
            return try Self.string(bytes[start..<closingQuote], line: fieldLine)
        }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(position - start)
        var index = start
        while index < closingQuote {
            let byte = bytes[index]
            unescaped.append(byte)
            // The second quote of a pair is the escape's; drop it.
            index += byte == Self.quote ? 2 : 1
        }
        unescaped.append(contentsOf: bytes[trailingStart..<position])
        return try Self.string(unescaped[...], line: fieldLine)
    }

    @inline(__always)
    static func string(_ slice: ArraySlice<UInt8>, line: Int) throws(CSVError) -> String {
        if slice.isEmpty { return "" }
        // UTF8Span validates a field about three times faster than
        // String(validating:) (48 against 148 ns for a row's typical field),
        // and a CSV import reads every field of every row.
        if #available(macOS 26.0, *) {
            do {
                return String(copying: try UTF8Span(validating: slice.span))
            } catch {
                throw CSVError.invalidUTF8(line: line)
            }
        }
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw CSVError.invalidUTF8(line: line)
        }
        return string
    }
}

// MARK: - Errors

/// Why a CSV file could not be read, with the line to look at.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field starting on this line is not UTF-8 text.
    case invalidUTF8(line: Int)
    /// The quoted field opened on this line is never closed.
    case unterminatedQuote(line: Int)

    public var description: String {
        switch self {
        case .invalidUTF8(let line):
            return tr(
                "line \(line): the text is not UTF-8: save the file as \"CSV UTF-8\" and import it again",
                zh: "第 \(line) 行：文本不是 UTF-8：请另存为“CSV UTF-8”后重新导入")
        case .unterminatedQuote(let line):
            return tr(
                "line \(line): a field opens with a quote (\") that is never closed: "
                    + "add the missing quote or remove the stray one",
                zh: "第 \(line) 行：某个字段以引号（\"）开头却没有结束：请补上引号或删去多余的引号")
        }
    }
}
