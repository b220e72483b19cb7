/// The fields of a resident health record (居民健康档案). The raw values are
/// the names used by `--set`, CSV headers and JSON keys alike.
public enum RecordField: String, CaseIterable, Sendable {
    case name, sex, birth, village, phone
    case idNumber = "id_number"
    case household, tags
    case contractDate = "contract_date"
    case note

    /// Fields sorted by raw name, to check a state's fields (also in name
    /// order) in one walk: no hashing, no comparing with each case in turn.
    static let byNameInOrder = allCases.map { (name: $0.rawValue, field: $0) }.sorted { $0.name < $1.name }

    /// Fields every record must have.
    public static let required: [RecordField] = [.name, .sex, .birth]

    /// Chinese spreadsheet headers clerks already use, mapped to fields.
    public static let chineseHeaders: [String: RecordField] = [
        "姓名": .name, "性别": .sex, "出生日期": .birth, "村": .village, "村/住址": .village, "住址": .village,
        "村庄": .village, "电话": .phone, "联系电话": .phone, "身份证号": .idNumber, "身份证号码": .idNumber,
        "户号": .household, "重点人群": .tags, "人群分类": .tags, "签约日期": .contractDate,
        "家庭医生签约日期": .contractDate, "备注": .note, "出生年月": .birth, "出生年月日": .birth, "生日": .birth,
        "手机": .phone, "手机号": .phone, "手机号码": .phone, "联系方式": .phone, "身份证": .idNumber,
        "公民身份号码": .idNumber, "地址": .village, "家庭住址": .village, "现住址": .village, "村名": .village,
        "居住地址": .village,
    ]

    /// A field by its English or Chinese name, or nil.
    public init?(named name: String) {
        let trimmed = name.trimmingWhitespace()
        let lower = trimmed.lowercased()
        if let field = RecordField(rawValue: lower) ?? RecordField(rawValue: lower.replacingDashes()) {
            self = field
        } else if let field = Self.chineseHeaders[trimmed] {
            self = field
        } else {
            return nil
        }
    }

    /// Sex as typed: F/M, or 女/男, in any case.
    public static func normaliseSex(_ value: String) -> String {
        switch value.trimmingWhitespace() {
        case "女", "f": return "F"
        case "男", "m": return "M"
        case let other: return other
        }
    }

    /// Checks one value. `today` bounds dates from above when given (data
    /// entry); merges of received states check form only, so a station with
    /// a wrong clock cannot lose data.
    public func validate(_ value: String?, today: CalendarDate?) throws(ValidationError) {
        guard let value else {
            if RecordField.required.contains(self) {
                throw ValidationError(field: rawValue, tr("is required and cannot be cleared", zh: "必须填写，不能清空"))
            }
            return
        }
        if let problem = problem(value, today: today) {
            throw ValidationError(field: rawValue, problem)
        }
    }

    private func problem(_ value: String, today: CalendarDate?) -> String? {
        let utf8 = value.utf8
        if let tooLong = TextLimit.problem(value, limit: TextLimit.bytes(of: self)) { return tooLong }
        if let hidden = TextCharacters.problem(value, multiLine: self == .note) { return hidden }
        switch self {
        case .name:
            // Any scalar that is not white space will do: no trimmed copy.
            return value.unicodeScalars.allSatisfy(\.properties.isWhitespace)
                ? tr("is required and cannot be empty", zh: "必须填写，不能为空") : nil
        case .sex:
            return value == "F" || value == "M"
                ? nil : tr("must be F (female) or M (male), not '\(value)'", zh: "应为 F（女）或 M（男），不是 '\(value)'")
        case .birth:
            return Self.dateProblem(value, earliest: CalendarDate(year: 1900, month: 1, day: 1), today: today)
        case .contractDate:
            return Self.dateProblem(value, earliest: CalendarDate(year: 2000, month: 1, day: 1), today: today)
        case .idNumber:
            return ResidentIDNumber.problem(value)
        case .phone:
            var digits = 0
            for byte in utf8 where byte >= 48 && byte <= 57 { digits += 1 }
            let allowed = utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 32 || $0 == 43 }
            guard allowed, (7...15).contains(digits) else {
                return tr(
                    "must be 7 to 15 digits (dashes allowed), not '\(value)'", zh: "应为 7 到 15 位数字（可含短横线），不是 '\(value)'")
            }
            return nil
        case .tags:
            return KeyPopulation(rawValue: value) == nil
                ? tr(
                    "unknown tag '\(value)': use one of \(KeyPopulation.allCases.map(\.rawValue).joined(separator: ", "))",
                    zh: "未知标签 '\(value)'，可用的标签：\(KeyPopulation.allCases.map(\.rawValue).joined(separator: ", "))")
                : nil
        case .village, .household, .note:
            return nil
        }
    }

    static func dateProblem(_ value: String, earliest: CalendarDate, today: CalendarDate?) -> String? {
        guard let date = CalendarDate(value) else {
            return tr(
                "'\(value)' is not a real date: use YYYY-MM-DD, e.g. 1980-06-15",
                zh: "'\(value)' 不是有效日期：请用 YYYY-MM-DD 格式，如 1980-06-15")
        }
        if date < earliest {
            return tr("\(value) is before \(earliest): check the year", zh: "\(value) 早于 \(earliest)：请核对年份")
        }
        if let today, date > today {
            return tr("\(value) is in the future (today is \(today))", zh: "\(value) 晚于今天（今天是 \(today)）")
        }
        return nil
    }
}

/// Key-population tags (重点人群) a record may carry.
public enum KeyPopulation: String, CaseIterable, Sendable {
    case pregnant
    case child0to6 = "child_0_6"
    case elderly65 = "elderly_65"
    case hypertension, diabetes
    case severeMental = "severe_mental"
    case tuberculosis, disability

    /// The Chinese name clerks use.
    public var chineseName: String {
        switch self {
        case .pregnant: return "孕产妇"
        case .child0to6: return "0-6岁儿童"
        case .elderly65: return "65岁以上老年人"
        case .hypertension: return "高血压"
        case .diabetes: return "糖尿病"
        case .severeMental: return "严重精神障碍"
        case .tuberculosis: return "肺结核"
        case .disability: return "残疾人"
        }
    }

    /// A tag by its code or its Chinese name.
    public init?(named name: String) {
        let trimmed = name.trimmingWhitespace()
        if let tag = KeyPopulation(rawValue: trimmed) {
            self = tag
        } else if let tag = KeyPopulation.allCases.first(where: { $0.chineseName == trimmed }) {
            self = tag
        } else {
            return nil
        }
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    package func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
