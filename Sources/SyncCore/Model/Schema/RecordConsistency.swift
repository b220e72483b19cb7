/// Checks across the fields of one record that a clerk expects at entry: the
/// ID number against the birth date and sex, and key-population tags
/// against sex and age. They apply to what a clerk is writing only: a
/// received state is never refused for them, since two nodes may each have
/// edited one half of a pair.
public enum RecordConsistency {
    /// The fields these checks read: a write touching none of them is not checked.
    public static let fields: Set<String> = ["birth", "sex", "id_number", "tags"]

    /// Why `state` does not hang together, or nil. `today` bounds ages.
    public static func problem(_ state: EntityState, today: CalendarDate) -> ValidationError? {
        let birthText = state.value(RecordField.birth.rawValue)
        let birth = birthText.flatMap { CalendarDate($0) }
        let sex = state.value(RecordField.sex.rawValue)
        if let number = state.value(RecordField.idNumber.rawValue), number.utf8.count == 18 {
            let digits = Array(number.utf8)
            if let birth, let birthText {
                // A date that parses is YYYY-MM-DD, as its description: compare
                // its digits as bytes (an import checks every row).
                let typed = birthText.utf8.lazy.filter { $0 != UInt8(ascii: "-") }
                if !digits[6..<14].elementsEqual(typed) {
                    let written = String(decoding: digits[6..<14], as: UTF8.self)
                    let given = "\(written.prefix(4))-\(written.dropFirst(4).prefix(2))-\(written.suffix(2))"
                    return ValidationError(
                        field: "birth",
                        tr(
                            "\(birth) does not match the ID number, which gives \(given): correct one of them",
                            zh: "\(birth) 与身份证号不符，身份证号中的出生日期是 \(given)：请改正其中一项")
                    )
                }
            }
            // The 17th character is odd for men, even for women.
            if let sex, digits[16] >= 48, digits[16] <= 57 {
                let fromNumber = (digits[16] - 48) % 2 == 1 ? "M" : "F"
                if sex != fromNumber {
                    return ValidationError(
                        field: "sex",
                        tr(
                            "is \(sex), but the ID number is a \(fromNumber == "M" ? "man" : "woman")'s: correct one of them",
                            zh: "是 \(sex)，但身份证号是\(fromNumber == "M" ? "男性" : "女性")的：请改正其中一项")
                    )
                }
            }
        }
        // The tags' entries, searched as they are: a record has a few, and a
        // set of them cost more than the checks (an import checks every row).
        let tagEntries = state.fields[RecordField.tags.rawValue] ?? []
        func tagged(_ tag: KeyPopulation) -> Bool { tagEntries.contains { $0.value == tag.rawValue } }
        if tagged(.pregnant), sex == "M" {
            return ValidationError(
                field: "tags",
                tr("pregnant is a tag for women; this record's sex is M", zh: "pregnant 标签只用于女性；此档案的性别是 M"))
        }
        if let birth {
            let age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day) ? 1 : 0)
            if tagged(.elderly65), age < 65 {
                return ValidationError(
                    field: "tags",
                    tr(
                        "elderly_65 is for residents aged 65 or more; this one is \(age)",
                        zh: "elderly_65 只用于 65 岁及以上的居民；此居民 \(age) 岁"))
            }
            if tagged(.child0to6), age > 6 {
                return ValidationError(
                    field: "tags",
                    tr(
                        "child_0_6 is for children up to 6; this one is \(age)",
                        zh: "child_0_6 只用于 6 岁及以下的儿童；此居民 \(age) 岁"))
            }
        }
        return nil
    }
}
