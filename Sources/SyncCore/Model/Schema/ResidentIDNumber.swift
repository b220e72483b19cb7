/// The 18-character resident identity number (居民身份证号码), GB 11643:
/// 6-digit area code, 8-digit birth date, 3-digit sequence, check character.
enum ResidentIDNumber {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432".utf8)

    /// Nil when valid; otherwise what is wrong. Works on UTF-8 bytes: it
    /// runs for every record the hub receives.
    static func problem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 18 else {
            return tr(
                "must be 18 characters (17 digits and a check digit or X), not \(text.count)",
                zh: "应为 18 位（17 位数字加 1 位校验码，校验码可为 X），不是 \(text.count) 位")
        }
        var sum = 0
        for index in 0..<17 {
            let byte = bytes[index]
            guard byte >= 48, byte <= 57 else {
                return tr("character \(index + 1) must be a digit", zh: "第 \(index + 1) 位应为数字")
            }
            sum += Int(byte - 48) * weights[index]
        }
        // All 17 are digits by now: read the date without building strings.
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        guard CalendarDate.valid(year: number(6..<10), month: number(10..<12), day: number(12..<14)) != nil else {
            let written = String(decoding: bytes[6..<14], as: UTF8.self)
            return tr(
                "characters 7–14 must be a real birth date (YYYYMMDD), not \(written)",
                zh: "第 7–14 位应为真实的出生日期（YYYYMMDD），不是 \(written)")
        }
        let expected = checkCharacters[sum % 11]
        let last = bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]
        guard last == expected else {
            let (typed, wanted) = (Character(Unicode.Scalar(bytes[17])), Character(Unicode.Scalar(expected)))
            return tr(
                "check digit is \(typed) but should be \(wanted): a digit was probably mistyped",
                zh: "校验码是 \(typed)，应为 \(wanted)：可能有一位数字输错了")
        }
        return nil
    }
}
