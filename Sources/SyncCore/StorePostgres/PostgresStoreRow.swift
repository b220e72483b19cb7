import Foundation
import PostgresNIO
import SyncStore

/// One row of a PostgreSQL answer, read the way SQLite's `Statement` reads
/// its columns, so the stores' code reads either alike.
///
/// postgres-nio asks for every column in binary format. Integers come as
/// int2, int4 or int8 (`count(*)` is int8); booleans as 0 or 1, as SQLite
/// stores them (`NOT EXISTS (…)` is read as an integer); `sum` of bigints is
/// numeric. A column read as another type is converted as SQLite would.
struct PostgresStoreRow: StoreRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    private func cell(_ column: Int32) -> PostgresCell {
        precondition(column >= 0 && Int(column) < row.count, "column \(column) of a \(row.count)-column row")
        return row[Int(column)]
    }

    func isNull(_ column: Int32) -> Bool { cell(column).bytes == nil }

    func int64(_ column: Int32) -> Int64 {
        let cell = cell(column)
        guard var bytes = cell.bytes else { return 0 }
        switch cell.dataType {
        case .int8: return bytes.readInteger(as: Int64.self) ?? 0
        case .int4: return bytes.readInteger(as: Int32.self).map(Int64.init) ?? 0
        case .int2: return bytes.readInteger(as: Int16.self).map(Int64.init) ?? 0
        case .bool: return bytes.readInteger(as: UInt8.self).map { $0 == 0 ? 0 : 1 } ?? 0
        case .float8, .float4: return Self.truncating(double(cell) ?? 0)
        case .numeric: return Self.integerPart(of: text(column) ?? "")
        default: return Self.integerPart(of: text(column) ?? "")
        }
    }

    /// Nil for NULL.
    func text(_ column: Int32) -> String? {
        let cell = cell(column)
        guard let bytes = cell.bytes else { return nil }
        switch cell.dataType {
        case .int8, .int4, .int2, .bool: return String(int64(column))
        case .float8, .float4: return double(cell).map { String($0) }
        case .numeric: return (try? cell.decode(Decimal.self)).map { "\($0)" }
        default:
            // text, varchar, name, bytea (its bytes, as SQLite reads a blob
            // as text), and anything else PostgreSQL sends as UTF-8.
            return String(decoding: bytes.readableBytesView, as: UTF8.self)
        }
    }

    /// Empty for NULL.
    func blob(_ column: Int32) -> [UInt8] {
        let cell = cell(column)
        guard let bytes = cell.bytes else { return [] }
        switch cell.dataType {
        case .bytea, .text, .varchar, .name, .bpchar: return Array(bytes.readableBytesView)
        default: return Array((text(column) ?? "").utf8)
        }
    }

    /// The column as a `DatabaseValue`, of the type it has in PostgreSQL.
    func value(_ column: Int32) -> DatabaseValue {
        let cell = cell(column)
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2, .bool: return .integer(int64(column))
        case .float8, .float4: return .real(double(cell) ?? 0)
        case .numeric:
            let text = text(column) ?? ""
            if let integer = Int64(text) { return .integer(integer) }
            return .real(Double(text) ?? 0)
        case .bytea: return .blob(blob(column))
        default: return .text(text(column) ?? "")
        }
    }

    private func double(_ cell: PostgresCell) -> Double? {
        guard var bytes = cell.bytes else { return nil }
        switch cell.dataType {
        case .float8: return bytes.readInteger(as: UInt64.self).map(Double.init(bitPattern:))
        case .float4: return bytes.readInteger(as: UInt32.self).map { Double(Float(bitPattern: $0)) }
        default: return nil
        }
    }

    /// SQLite's conversion of a real to an integer: towards zero, clamped.
    private static func truncating(_ value: Double) -> Int64 {
        guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
        // ±2^63, exact as doubles.
        if value >= 9.223_372_036_854_775_808e18 { return .max }
        if value <= -9.223_372_036_854_775_808e18 { return .min }
        return Int64(value)
    }

    /// SQLite's conversion of text to an integer: the leading integer, or 0.
    private static func integerPart(of text: String) -> Int64 {
        var digits = Substring(text.drop { $0 == " " })
        var sign = ""
        if let first = digits.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            digits = digits.dropFirst()
        }
        let leading = digits.prefix { $0.isASCII && $0.isNumber }
        return Int64(sign + leading) ?? 0
    }
}
