import SyncModel

/// The span a report covers: a month (`2026-10`), a quarter (`2026Q4`), a
/// calendar year (`2026`), or the MCH report year (`2026mch`: 1 October
/// 2025 to 30 September 2026, the year of the 妇幼卫生年报).
public struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case month, quarter, year
        case mchYear = "mch-year"
    }

    public let kind: Kind
    /// The months covered, oldest first; never empty.
    public let months: [Period]
    public let description: String

    public init(month: Period) {
        self.init(kind: .month, months: [month], description: month.description)
    }

    private init(kind: Kind, months: [Period], description: String) {
        self.kind = kind
        self.months = months
        self.description = description
    }

    /// Parses the forms above (a year from 2000 to 2099); nil otherwise.
    public init?(_ text: String) {
        let typed = text.trimmingCharacters(in: .whitespaces)
        if let month = Period(typed) {
            self.init(month: month)
            return
        }
        let upper = typed.uppercased()
        func year(_ digits: Substring) -> Int? {
            guard digits.count == 4, digits.allSatisfy(\.isASCII), let year = Int(digits), (2000...2099).contains(year)
            else { return nil }
            return year
        }
        if upper.count == 6, upper.dropFirst(4).first == "Q", let year = year(upper.prefix(4)),
            let quarter = Int(upper.suffix(1)), (1...4).contains(quarter)
        {
            self.init(
                kind: .quarter, months: (1...3).map { Period(year: year, month: (quarter - 1) * 3 + $0) },
                description: "\(year)Q\(quarter)")
        } else if upper.count == 4, let year = year(upper[...]) {
            self.init(kind: .year, months: (1...12).map { Period(year: year, month: $0) }, description: String(year))
        } else if upper.count == 7, upper.hasSuffix("MCH"), let year = year(upper.prefix(4)) {
            self.init(
                kind: .mchYear,
                months: (10...12).map { Period(year: year - 1, month: $0) }
                    + (1...9).map { Period(year: year, month: $0) },
                description: "\(year)mch")
        } else {
            return nil
        }
    }

    /// Checks a period typed by a person: one of the forms, and begun.
    public static func validated(_ text: String, today: CalendarDate = .today()) throws(ValidationError) -> ReportPeriod
    {
        guard let period = ReportPeriod(text) else {
            throw ValidationError(
                field: "period",
                tr(
                    "'\(text)' is not a report period: use a month (2026-10), a quarter (2026Q4), a year (2026) or an MCH report year (2026mch, October 2025 to September 2026)",
                    zh: "'\(text)' 不是报表期：请用月份（2026-10）、季度（2026Q4）、年份（2026）或妇幼年报年度（2026mch，即 2025年10月至2026年9月）"
                ))
        }
        guard period.months[0] <= Period(containing: today) else {
            throw ValidationError(
                field: "period", tr("\(text) has not begun yet", zh: "\(text) 尚未开始"))
        }
        return period
    }

    public var first: Period { months[0] }
    public var last: Period { months[months.count - 1] }

    /// The last day of the last month.
    public var endDate: CalendarDate {
        CalendarDate(year: last.year, month: last.month, day: CalendarDate.daysIn(month: last.month, year: last.year))
    }

    /// The calendar year from January to this period's last month: what a
    /// monthly form shows as 本年累计. Nil for an MCH year, which crosses two.
    public var yearToDate: ReportPeriod? {
        guard kind != .mchYear else { return nil }
        let months = (1...last.month).map { Period(year: last.year, month: $0) }
        return ReportPeriod(
            kind: months.count == 12 ? .year : .month, months: months,
            description: months.count == 1 ? months[0].description : "\(months[0])..\(last)")
    }

    /// Whether the period covers a whole year (calendar or MCH).
    public var isYear: Bool { months.count == 12 }
}
