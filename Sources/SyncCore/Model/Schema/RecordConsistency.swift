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
        let birth = state.value(RecordField.birth.rawValue).flatMap { CalendarDate($0) }
        let sex = state.value(RecordField.sex.rawValue)
        if let number = state.value(RecordField.idNumber.rawValue), number.utf8.count == 18 {
            let digits = Array(number.utf8)
            let written = String(decoding: digits[6..<14], as: UTF8.self)
            if let birth {
                let typed = String(birth.description.filter { $0 != "-" })
                if written != typed {
                    return ValidationError(
                        field: "birth",
                        "\(birth) does not match the ID number, which gives \(written.prefix(4))-\(written.dropFirst(4).prefix(2))-\(written.suffix(2)): correct one of them"
                    )
                }
            }
            // The 17th character is odd for men, even for women.
            if let sex, digits[16] >= 48, digits[16] <= 57 {
                let fromNumber = (digits[16] - 48) % 2 == 1 ? "M" : "F"
                if sex != fromNumber {
                    return ValidationError(
                        field: "sex",
                        "is \(sex), but the ID number is a \(fromNumber == "M" ? "man" : "woman")'s: correct one of them"
                    )
                }
            }
        }
        let tags = Set(state.members(RecordField.tags.rawValue))
        if tags.contains(KeyPopulation.pregnant.rawValue), sex == "M" {
            return ValidationError(field: "tags", "pregnant is a tag for women; this record's sex is M")
        }
        if let birth {
            let age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day) ? 1 : 0)
            if tags.contains(KeyPopulation.elderly65.rawValue), age < 65 {
                return ValidationError(field: "tags", "elderly_65 is for residents aged 65 or more; this one is \(age)")
            }
            if tags.contains(KeyPopulation.child0to6.rawValue), age > 6 {
                return ValidationError(field: "tags", "child_0_6 is for children up to 6; this one is \(age)")
            }
        }
        return nil
    }
}
