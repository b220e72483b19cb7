/// The fields of a monthly tally cell.
public enum TallyField: String, CaseIterable, Sendable {
    case value, comment

    /// The largest count a station can report for one month: far above any
    /// real village figure, low enough to catch a slip of the keyboard.
    public static let maximumValue = 1_000_000

    public func validate(_ value: String?) throws(ValidationError) {
        switch self {
        case .value:
            guard let value else { throw ValidationError(field: "value", tr("is required", zh: "必须填写")) }
            _ = try Self.count(value)
        case .comment:
            guard let value else { return }
            if let problem = TextLimit.problem(value, limit: TextLimit.comment)
                ?? TextCharacters.problem(value, multiLine: true)
            {
                throw ValidationError(field: "comment", problem)
            }
        }
    }

    /// Parses a count typed or received as text.
    public static func count(_ text: String) throws(ValidationError) -> Int {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("-"), Int(trimmed) != nil {
            throw ValidationError(
                field: "value", tr("\(trimmed) is negative: a count is 0 or more", zh: "\(trimmed) 是负数：数量应为 0 或以上"))
        }
        guard !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit) else {
            throw ValidationError(
                field: "value",
                tr(
                    "'\(text)' is not a whole number: a count is 0 or more, e.g. 12",
                    zh: "'\(text)' 不是整数：数量应为 0 或以上的整数，如 12"))
        }
        guard trimmed.count <= 9, let count = Int(trimmed), count <= maximumValue else {
            throw ValidationError(
                field: "value",
                tr(
                    "\(trimmed) is more than \(maximumValue): check the figure",
                    zh: "\(trimmed) 超过 \(maximumValue)：请核对数字"))
        }
        return count
    }
}

/// Identifies one tally cell: station × period × data element. The entity id
/// is `STATION/YYYY-MM/ELEMENT`, so every node of a station addresses the same cell.
public struct TallyKey: Hashable, Sendable {
    public let station: String
    public let period: Period
    public let element: String

    public init(station: String, period: Period, element: String) {
        self.station = station
        self.period = period
        self.element = element
    }

    public var entityID: String { "\(station)/\(period)/\(element)" }

    /// Parses an entity id, checking each part.
    public init(entityID: String) throws(ValidationError) {
        let parts = entityID.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw ValidationError(
                field: "id",
                tr(
                    "a tally id is STATION/YYYY-MM/ELEMENT, not '\(entityID)'",
                    zh: "月报数的 id 应为 STATION/YYYY-MM/ELEMENT，不是 '\(entityID)'"))
        }
        try Identifiers.validateStation(parts[0])
        guard let period = Period(parts[1]) else {
            throw ValidationError(
                field: "period",
                tr(
                    "'\(parts[1])' is not a month: use YYYY-MM, e.g. 2026-10",
                    zh: "'\(parts[1])' 不是月份：请用 YYYY-MM 格式，如 2026-10"))
        }
        try Identifiers.validateElement(parts[2])
        self.init(station: parts[0], period: period, element: parts[2])
    }
}
