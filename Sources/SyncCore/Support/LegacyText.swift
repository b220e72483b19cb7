#if canImport(Glibc)
    import Glibc
#endif

/// Text files as they leave a Chinese office's spreadsheet, turned into
/// UTF-8: Excel's "CSV" saves GB18030 (GBK's superset) on a Chinese system,
/// and its "Unicode text" saves UTF-16 with a byte-order mark.
public enum LegacyText {
    /// How the bytes were read.
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16 = "UTF-16"
        case gb18030 = "GB18030 (GBK)"
    }

    /// The bytes as UTF-8, and what they were; nil when they are none of these.
    public static func utf8(_ bytes: [UInt8]) -> (bytes: [UInt8], encoding: Encoding)? {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let littleEndian = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                let (low, high) = littleEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                units.append(UInt16(high) << 8 | UInt16(low))
                index += 2
            }
            return (Array(String(decoding: units, as: UTF16.self).utf8), .utf16)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return (bytes, .utf8) }
        return convert(bytes, from: "GB18030").map { ($0, .gb18030) }
    }

    /// glibc's iconv, which Foundation on Linux does not expose for GB18030.
    static func convert(_ bytes: [UInt8], from encoding: String) -> [UInt8]? {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else {
                    return nil
                }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}
