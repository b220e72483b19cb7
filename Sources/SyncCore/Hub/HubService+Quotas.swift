import Reporting
import SyncModel
import SyncStore

/// Yearly volumes split across units (任务分解): the district is set, say,
/// 4,000 HPV tests and hands each township its share; reports then judge
/// each township on schedule against its own share, not the district's.
extension HubService {
    /// The years a quota may be for: those a report period can name.
    public static let quotaYears = 2000...2099

    /// Sets `unit`'s share of `indicator`'s yearly volume for `year`,
    /// replacing the one it had. Refused, with nothing written, for an
    /// unknown indicator or unit, an indicator that is not a volume, a year
    /// out of range, or a figure that is not a whole number from 0. Returns
    /// the quota as stored (the indicator by its code).
    @discardableResult
    public func setQuota(
        indicator typed: String, unit: String, year: Int, value text: String, by operatorName: String?,
        catalog: Catalog
    ) throws -> HubStore.QuotaInfo {
        let indicator = try Self.volumeIndicator(typed, catalog)
        try checkUnitExists(unit)
        try Self.checkQuotaYear(year)
        let quota = HubStore.QuotaInfo(
            indicator: indicator.code, unit: unit, year: year, value: try Self.quotaValue(text), setBy: operatorName,
            setAt: now)
        try store.setQuota(quota)
        return quota
    }

    /// The quotas of `year`, or of every year with nil.
    public func quotas(year: Int? = nil) throws -> [HubStore.QuotaInfo] {
        if let year { try Self.checkQuotaYear(year) }
        return try store.quotas(year: year)
    }

    /// The indicator a quota is for: its code in any case or its Chinese
    /// name, and a volume (a count, or a task completion whose denominator
    /// is a planned figure). A rate has no volume to split.
    static func volumeIndicator(_ typed: String, _ catalog: Catalog) throws -> Catalog.Indicator {
        let text = typed.trimmingWhitespace()
        let found = catalog.indicators.first { $0.code == text.uppercased() || $0.nameZH == text }
        guard let indicator = found else {
            // Nothing close: every indicator a quota can be set for, so the
            // operator never has to open the catalog file.
            let close = closeVolumes(to: text, catalog)
            let volumes = catalog.indicators.filter { $0.isCount || $0.isQuotaCompletion }.map(\.code)
            let hint =
                close.isEmpty
                ? tr(
                    "quotas can be set for \(volumes.joined(separator: ", "))",
                    zh: "可以设任务量的指标：\(volumes.joined(separator: "、"))")
                : tr("did you mean \(close.joined(separator: ", "))?", zh: "是否想输入 \(close.joined(separator: "、"))？")
            throw HubFailure.notFound(
                tr("no indicator '\(typed)' in the catalog: \(hint)", zh: "指标目录中没有 '\(typed)'：\(hint)"))
        }
        guard indicator.isCount || indicator.isQuotaCompletion else {
            throw HubFailure.badRequest(
                tr(
                    "\(indicator.code) (\(indicator.nameZH)) is a rate, not a yearly volume: only counts and task completions (任务完成率) are split into unit quotas",
                    zh: "\(indicator.code)（\(indicator.nameZH)）是比率，不是全年任务量：只有计数指标和任务完成率可以分解到单位"
                ))
        }
        return indicator
    }

    /// Up to three volume indicators sharing the most words of a mistyped
    /// code (`FIRST_AID_RESPONDER_TRAINING_CONT`), or part of a Chinese name.
    private static func closeVolumes(to typed: String, _ catalog: Catalog) -> [String] {
        let words = Set(typed.uppercased().split(separator: "_").map(String.init))
        var scored: [(code: String, score: Int)] = []
        for indicator in catalog.indicators where indicator.isCount || indicator.isQuotaCompletion {
            let shared = words.intersection(indicator.code.split(separator: "_").map(String.init)).count
            let named = !typed.isEmpty && indicator.nameZH.contains(typed)
            let score = shared * 10 + (named ? 100 : 0)
            if score > 0 { scored.append((indicator.code, score)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.code < $1.code }
        return scored.prefix(3).map(\.code)
    }

    static func checkQuotaYear(_ year: Int) throws {
        guard quotaYears.contains(year) else {
            throw HubFailure.badRequest(
                tr(
                    "year \(year) is out of range: give a year from \(quotaYears.lowerBound) to \(quotaYears.upperBound), e.g. --year 2026",
                    zh: "年份 \(year) 超出范围：请给 \(quotaYears.lowerBound) 到 \(quotaYears.upperBound) 之间的年份，例如 --year 2026"))
        }
    }

    /// The largest quota taken: above any district's yearly volume, and far
    /// from overflowing when a report adds the units' quotas up.
    static let largestQuota = 100_000_000

    /// A quota as typed: a whole number from 0 (a unit with no share).
    static func quotaValue(_ text: String) throws -> Int {
        let typed = text.trimmingWhitespace()
        guard let value = Int(typed), value >= 0, value <= largestQuota else {
            let why =
                typed.hasPrefix("-")
                ? tr("a quota cannot be negative", zh: "任务量不能为负数")
                : tr(
                    "a quota is a whole number from 0 to \(largestQuota)", zh: "任务量应为 0 到 \(largestQuota) 之间的整数")
            throw HubFailure.badRequest(tr("'\(text)': \(why)", zh: "'\(text)'：\(why)"))
        }
        return value
    }
}
