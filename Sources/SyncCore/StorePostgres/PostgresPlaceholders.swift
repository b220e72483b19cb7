/// The store's SQL written for PostgreSQL's parameters: `?` and `?N` become
/// `$n`, numbered as SQLite numbers them (a bare `?` takes one more than the
/// largest number so far), so that one SQL text serves both dialects.
///
/// Text inside single-quoted literals, double-quoted identifiers, `--`
/// comments and `/* */` comments is copied unchanged. Not recognised, since
/// the store's SQL uses none: dollar-quoted strings (`$$…$$`) and `E'…'`
/// strings with backslash escapes.
struct PostgresPlaceholders: Equatable {
    /// The SQL with `$n` parameters.
    let sql: String
    /// How many parameters the statement takes (the largest `n`).
    let count: Int

    init(translating source: String) {
        let bytes = Array(source.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var largest = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // A quoted run ends at the next quote of the same kind; a
                // doubled quote inside it closes and reopens, which copies
                // the same bytes.
                let end = Self.index(of: byte, in: bytes, after: index + 1) ?? bytes.count - 1
                output.append(contentsOf: bytes[index...end])
                index = end + 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                let end = Self.index(of: UInt8(ascii: "\n"), in: bytes, after: index + 2) ?? bytes.count - 1
                output.append(contentsOf: bytes[index...end])
                index = end + 1
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                var end = bytes.count - 1
                var scan = index + 2
                while scan + 1 < bytes.count {
                    if bytes[scan] == UInt8(ascii: "*") && bytes[scan + 1] == UInt8(ascii: "/") {
                        end = scan + 1
                        break
                    }
                    scan += 1
                }
                output.append(contentsOf: bytes[index...end])
                index = end + 1
            case UInt8(ascii: "?"):
                var digitsEnd = index + 1
                var number = 0
                while digitsEnd < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[digitsEnd]),
                    number < 100_000
                {
                    number = number * 10 + Int(bytes[digitsEnd] - UInt8(ascii: "0"))
                    digitsEnd += 1
                }
                if digitsEnd == index + 1 {
                    number = largest + 1
                }
                largest = max(largest, number)
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(number).utf8)
                index = digitsEnd
            default:
                output.append(byte)
                index += 1
            }
        }
        sql = String(decoding: output, as: UTF8.self)
        count = largest
    }

    private static func index(of byte: UInt8, in bytes: [UInt8], after start: Int) -> Int? {
        var scan = start
        while scan < bytes.count {
            if bytes[scan] == byte { return scan }
            scan += 1
        }
        return nil
    }
}
