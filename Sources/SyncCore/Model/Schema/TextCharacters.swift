/// The characters no text field may hold: the ones a terminal acts on
/// instead of showing (C0 and C1 controls, DEL), the ones that reorder or
/// hide text (bidi controls, zero-width and invisible characters), and line
/// and paragraph separators. One-line fields refuse them all; multi-line
/// fields (`note`, a tally's `comment`) allow line feed and tab (and CR LF,
/// which entry turns into LF, as older stores may hold it). Every writer
/// and reader applies this one rule (through `RecordField`, `TallyField`,
/// `TextLimit.validateClerk` and `EntitySchema`), and displays escape the
/// same characters (`isRefused`).
///
/// The check reads UTF-8 bytes in place and builds a message only when it
/// finds one: the hub runs it on every value of every state it receives.
public enum TextCharacters {
    /// Whether `scalar` is one a field may not hold; line feed and tab are
    /// allowed in multi-line fields only.
    package static func isRefused(_ scalar: Unicode.Scalar, multiLine: Bool = false) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !multiLine
        case 0x00...0x1F, 0x7F...0x9F: return true  // C0, DEL, C1 (U+0085 included)
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi controls
        case 0x200B...0x200D, 0x2060, 0xFEFF: return true  // zero-width and invisible
        case 0x2028, 0x2029: return true  // line and paragraph separators
        default: return false
        }
    }

    /// The byte offset in `utf8` (valid UTF-8, as a `String` holds it) of
    /// the first refused character, or nil. The same set as `isRefused`, by
    /// byte pattern: below 0x20 and 0x7F; C2 80–9F; D8 9C; E2 80 8B–8F;
    /// E2 80 A8–AE; E2 81 A0; E2 81 A6–A9; EF BB BF.
    package static func firstRefused(in utf8: UnsafeBufferPointer<UInt8>, multiLine: Bool = false) -> Int? {
        let count = utf8.count
        var index = 0
        while index < count {
            let byte = utf8[index]
            if byte < 0x80 {
                if byte >= 0x20 && byte != 0x7F || multiLine && (byte == 0x0A || byte == 0x09) {
                    index &+= 1
                    continue
                }
                // A Windows line break in a multi-line field: entry stores it
                // as LF, but notes written before the rule may hold it, and
                // refusing them would leave such records unable to sync.
                if multiLine && byte == 0x0D && index + 1 < count && utf8[index + 1] == 0x0A {
                    index &+= 2
                    continue
                }
                return index
            }
            // A lead byte: the whole sequence is stepped over at once (a
            // Chinese character is three bytes, none of them refused).
            let second: UInt8 = index + 1 < count ? utf8[index + 1] : 0
            let third: UInt8 = index + 2 < count ? utf8[index + 2] : 0
            switch byte {
            case 0xC2:
                if second >= 0x80 && second <= 0x9F { return index }
            case 0xD8:
                if second == 0x9C { return index }
            case 0xE2:
                if second == 0x80 && ((third >= 0x8B && third <= 0x8F) || (third >= 0xA8 && third <= 0xAE)) {
                    return index
                }
                if second == 0x81 && (third == 0xA0 || (third >= 0xA6 && third <= 0xA9)) { return index }
            case 0xEF:
                if second == 0xBB && third == 0xBF { return index }
            default:
                break
            }
            index &+= byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
        }
        return nil
    }

    /// Whether `text` holds a refused character.
    package static func contains(_ text: String, multiLine: Bool = false) -> Bool {
        withUTF8(of: text) { firstRefused(in: $0, multiLine: multiLine) } != nil
    }

    /// Runs `body` on the bytes of `text` where they are: no copy of a
    /// native string, small or large.
    @inline(__always)
    private static func withUTF8<T>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }

    /// Nil when `text` holds no refused character, else which one and
    /// where, for a clerk: "contains a control character (U+001B) at
    /// character 4: …".
    public static func problem(_ text: String, multiLine: Bool = false) -> String? {
        withUTF8(of: text) { utf8 -> String? in
            guard let offset = firstRefused(in: utf8, multiLine: multiLine) else { return nil }
            // Counted in Unicode scalars: every byte that does not continue a sequence starts one.
            let position = utf8[..<offset].count { $0 & 0xC0 != 0x80 } + 1
            let scalar = Self.scalar(at: offset, in: utf8).scalar
            return message(scalar, position: position, multiLine: multiLine)
        }
    }

    /// The scalar whose first byte is at `offset`, and its length in bytes.
    package static func scalar(at offset: Int, in utf8: UnsafeBufferPointer<UInt8>) -> (
        scalar: Unicode.Scalar, length: Int
    ) {
        let lead = utf8[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for index in (offset + 1)..<min(offset + length, utf8.count) {
            value = value << 6 | UInt32(utf8[index] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// `U+001B`: how messages and escapes name a character.
    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func message(_ scalar: Unicode.Scalar, position: Int, multiLine: Bool) -> String {
        let code = code(scalar)
        let kind: String
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: kind = tr("a line break", zh: "换行符")
        case 0x0D: kind = tr("a carriage return", zh: "回车符")
        case 0x09: kind = tr("a tab", zh: "制表符")
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            kind = tr("a text-direction control", zh: "文字方向控制符")
        case 0x200B...0x200D, 0x2060, 0xFEFF: kind = tr("an invisible character", zh: "不可见字符")
        default: kind = tr("a control character", zh: "控制字符")
        }
        // A line feed or tab is only wrong where the field is one line.
        let hint =
            multiLine || (scalar != "\n" && scalar != "\t")
            ? tr("remove it and enter the text again", zh: "请删除该字符后重新输入")
            : tr("this field is one line of text", zh: "此项只能填一行文字")
        return tr(
            "contains \(kind) (\(code)) at character \(position): \(hint)",
            zh: "第 \(position) 个字符是\(kind)（\(code)）：\(hint)")
    }
}
