/// A reporting month, `YYYY-MM`: villages report monthly.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Parses `YYYY-MM` with a year from 2000 to 2099.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            let year = CalendarDate.digits(bytes[0..<4]), let month = CalendarDate.digits(bytes[5..<7]),
            (2000...2099).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month containing `date`.
    public init(containing date: CalendarDate) {
        self.init(year: date.year, month: date.month)
    }

    /// Checks a period typed by a person: well formed and not in the future.
    public static func validated(_ text: String, field: String = "period", today: CalendarDate = .today())
        throws(ValidationError) -> Period
    {
        guard let period = Period(text) else {
            throw ValidationError(
                field: field,
                tr("'\(text)' is not a month: use YYYY-MM, e.g. 2026-10", zh: "'\(text)' 不是月份：请用 YYYY-MM 格式，如 2026-10"))
        }
        guard period <= Period(containing: today) else {
            throw ValidationError(
                field: field,
                tr(
                    "\(text) is in the future: tallies are entered for months that have begun",
                    zh: "\(text) 晚于今天：月报数只能填报已经开始的月份"))
        }
        return period
    }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var description: String {
        String(year) + "-" + (month < 10 ? "0" : "") + String(month)
    }
}
