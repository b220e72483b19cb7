import SyncModel

/// Writes CSV (RFC 4180) that Excel and WPS open correctly: UTF-8 with a
/// byte-order mark, CRLF line ends, and fields quoted only when they must be.
///
/// Fields that a spreadsheet would run as a formula get a leading apostrophe
/// (see `addRow(_:)`), so such a field does not read back exactly as written.
public struct CSVWriter: Sendable {
    /// The CSV written so far.
    public private(set) var bytes: [UInt8] = []

    /// A writer whose output starts with a UTF-8 byte-order mark when `bom`
    /// is true. Without the mark Excel reads the file in the system's legacy
    /// code page and shows Chinese text as mojibake.
    public init(bom: Bool = true) {
        if bom {
            bytes = [0xEF, 0xBB, 0xBF]
        }
    }

    /// Appends one row, ending in CRLF.
    ///
    /// A field containing a comma, a quote, CR or LF is quoted, with its
    /// quotes doubled. A field starting with `=`, `+`, `-`, `@`, a tab or CR
    /// gets an apostrophe in front, unless it is a plain number such as `-3`
    /// or `+8613812345678`. An empty row is written as one empty quoted
    /// field, so that readers which skip blank lines still see it.
    public mutating func addRow(_ fields: [String]) {
        guard !fields.isEmpty, fields != [""] else {
            bytes.append(contentsOf: [Self.quote, Self.quote, Self.carriageReturn, Self.lineFeed])
            return
        }
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(Self.comma) }
            append(field)
        }
        bytes.append(Self.carriageReturn)
        bytes.append(Self.lineFeed)
    }

    // MARK: - Fields

    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let apostrophe = UInt8(ascii: "'")

    mutating func append(_ field: String) {
        let utf8 = field.utf8
        // Formula injection: Excel, WPS and LibreOffice run a cell that starts
        // with one of these as a formula, so a resident's name or note typed as
        // `=HYPERLINK("http://…", "点击")` or `@SUM(…)` would execute when a
        // clerk opens the export. The apostrophe makes the spreadsheet treat
        // the cell as text (OWASP "CSV Injection"). Signed numbers are left
        // alone: they cannot do harm and phone numbers such as +86… are common.
        let guarded = Self.mayRunAsFormula(utf8)
        let needsQuotes = utf8.contains { byte in
            byte == Self.comma || byte == Self.quote || byte == Self.carriageReturn || byte == Self.lineFeed
        }
        if needsQuotes { bytes.append(Self.quote) }
        if guarded { bytes.append(Self.apostrophe) }
        if needsQuotes {
            for byte in utf8 {
                if byte == Self.quote { bytes.append(Self.quote) }
                bytes.append(byte)
            }
            bytes.append(Self.quote)
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// True when a spreadsheet would treat the field as a formula: it starts
    /// with `=`, `+`, `-`, `@`, tab or CR and is not a plain signed number.
    static func mayRunAsFormula(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainNumber(utf8.dropFirst())
        default:
            return false
        }
    }

    /// Digits with at most one decimal point, and at least one digit.
    static func isPlainNumber(_ utf8: Substring.UTF8View) -> Bool {
        var digits = 0
        var points = 0
        for byte in utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") && points == 0 {
                points += 1
            } else {
                return false
            }
        }
        return digits > 0
    }
}
