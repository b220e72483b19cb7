/// The forms of ids that cross the wire and land in file names and URLs.
public enum Identifiers {
    /// Station ids: letters, digits, '-' and '_', 1–32 characters.
    public static func validateStation(_ id: String, field: String = "station") throws(ValidationError) {
        guard isToken(id, maxLength: 32) else {
            throw ValidationError(
                field: field,
                tr(
                    "'\(id.prefix(40))' is not a station id: use 1–32 letters, digits, '-' or '_'",
                    zh: "'\(id.prefix(40))' 不是有效的卫生站编号：请用 1–32 个字母、数字、'-' 或 '_'"))
        }
    }

    /// Node ids: the same alphabet, 1–64 characters.
    public static func validateNode(_ id: String, field: String = "node") throws(ValidationError) {
        guard isToken(id, maxLength: 64) else {
            throw ValidationError(
                field: field,
                tr(
                    "'\(id.prefix(70))' is not a node id: use 1–64 letters, digits, '-' or '_'",
                    zh: "'\(id.prefix(70))' 不是有效的节点编号：请用 1–64 个字母、数字、'-' 或 '_'"))
        }
    }

    /// Data-element codes: upper-case letters, digits and '_', 1–64 characters.
    public static func validateElement(_ code: String, field: String = "element") throws(ValidationError) {
        guard !code.isEmpty, code.utf8.count <= 64,
            code.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
        else {
            throw ValidationError(
                field: field,
                tr(
                    "'\(code.prefix(70))' is not a data-element code: use A–Z, 0–9 and '_'",
                    zh: "'\(code.prefix(70))' 不是有效的数据项代码：请用 A–Z、0–9 和 '_'"))
        }
    }

    /// Record ids are UUIDs, written in lower case.
    public static func validateRecordID(_ id: String, field: String = "id") throws(ValidationError) {
        // Checked on every state a node receives: over the bytes in place.
        var id = id
        let ok = id.withUTF8 { bytes in
            bytes.count == 36
                && bytes.indices.allSatisfy { index in
                    let byte = bytes[index]
                    return index == 8 || index == 13 || index == 18 || index == 23
                        ? byte == UInt8(ascii: "-")
                        : (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102)
                }
        }
        guard ok else {
            throw ValidationError(
                field: field,
                tr(
                    "'\(id.prefix(40))' is not a record id: a UUID such as 3f2b8c1e-… (36 characters, lower case)",
                    zh: "'\(id.prefix(40))' 不是有效的档案编号：应为 UUID，如 3f2b8c1e-…（36 个字符，小写）"))
        }
    }

    package static func isToken(_ id: String, maxLength: Int) -> Bool {
        var id = id
        return id.withUTF8 { bytes in
            !bytes.isEmpty && bytes.count <= maxLength
                && bytes.allSatisfy {
                    ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95
                }
        }
    }

    /// A new UUID, version 7 (RFC 9562), lower case: the creation time in
    /// milliseconds, then 74 random bits. Ids made one after another sort
    /// together, so a store's unique index takes new records at its right
    /// edge instead of on random pages: each commit rewrites a few index
    /// pages, not most of them.
    public static func newRecordID() -> String {
        newRecordID(millisecondsSince1970: currentTimeMillis())
    }

    /// A new record id made at `now` (tests fix the time).
    public static func newRecordID(millisecondsSince1970 now: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        return newRecordID(millisecondsSince1970: now, using: &generator)
    }

    /// A new record id made at `now` with random bits from `generator`
    /// (an import's, which draws them from the system a page at a time).
    public static func newRecordID(millisecondsSince1970 now: Int64, using generator: inout some RandomNumberGenerator)
        -> String
    {
        // Two draws, not sixteen, and the text written in place: an import makes one per row.
        let random: [UInt64] = [generator.next(), generator.next()]
        var bytes = (0..<16).map { UInt8(truncatingIfNeeded: random[$0 / 8] >> (8 * ($0 % 8))) }
        let time = UInt64(clamping: now)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (40 - 8 * index)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { text in
            var count = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[count] = UInt8(ascii: "-")
                    count += 1
                }
                text[count] = digits[Int(byte >> 4)]
                text[count + 1] = digits[Int(byte & 0x0F)]
                count += 2
            }
            return count
        }
    }

    /// A new random node id: 15 hex digits (60 bits). Fifteen bytes is the
    /// most a Swift string holds inline, so the node ids in every dot of every
    /// state cost no allocation.
    /// A new session token or hub epoch: 30 hex digits (120 random bits).
    public static func newToken30() -> String {
        newNodeID() + newNodeID()
    }

    public static func newNodeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(UInt64.random(in: 0...(UInt64.max >> 4), using: &generator), radix: 16).leftPadded(15)
    }
}

extension String {
    package func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
