/// The 18-character resident identity number (居民身份证号码), GB 11643:
/// 6-digit area code, 8-digit birth date, 3-digit sequence, check character.
enum ResidentIDNumber {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432")

    /// Nil when valid; otherwise what is wrong.
    static func problem(_ text: String) -> String? {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else {
            return "must be 18 characters (17 digits and a check digit or X), not \(characters.count)"
        }
        var sum = 0
        for (index, character) in characters.prefix(17).enumerated() {
            guard let digit = character.wholeNumberValue, character.isASCII else {
                return "character \(index + 1) must be a digit"
            }
            sum += digit * weights[index]
        }
        let birth = String(characters[6..<14])
        let formatted = "\(birth.prefix(4))-\(birth.dropFirst(4).prefix(2))-\(birth.suffix(2))"
        guard CalendarDate(formatted) != nil else {
            return "characters 7–14 must be a real birth date (YYYYMMDD), not \(birth)"
        }
        let expected = checkCharacters[sum % 11]
        guard characters[17] == expected else {
            return "check digit is \(characters[17]) but should be \(expected): a digit was probably mistyped"
        }
        return nil
    }
}
