import SyncModel

/// The catalog's validation rules applied to one month's counts of one
/// station: the one check used wherever a count is entered or settled.
extension Catalog {
    /// What entering one count does to the rules that mention its element.
    public struct RuleFindings: Sendable, Equatable {
        /// Broken error rules: the count is refused.
        public var errors: [String] = []
        /// Broken warning rules: the count goes in, with these messages.
        public var warnings: [String] = []
    }

    /// Checks the rules involving `element` with it set to `value` in
    /// `period`, against `figures`: the station's counts by month (element →
    /// count) for that month and, for month-over-month rules, the months
    /// beside it. Rules judged over a year only are left to the year report.
    public func checkRules(element: String, value: Int, period: Period, figures: [Period: [String: Int]])
        -> RuleFindings
    {
        var values = figures[period] ?? [:]
        values[element] = value
        var findings = RuleFindings()
        func add(_ rule: Catalog.Rule, _ text: String) {
            if rule.severity == "error" {
                findings.errors.append(
                    tr(
                        "\(element) = \(value) breaks rule \(rule.code): \(text)",
                        zh: "\(element) = \(value) 违反规则 \(rule.code)：\(text)"))
            } else {
                findings.warnings.append(
                    tr("warning: rule \(rule.code): \(text)", zh: "提示：规则 \(rule.code)：\(text)"))
            }
        }
        /// A running figure that went down from `before` to `month`, in figures.
        func fell(
            _ rule: Catalog.Rule, _ now: [String: Int], _ previous: [String: Int], _ month: Period, _ before: Period
        ) {
            guard rule.holds(now, previous: previous) == false, let (lhs, rhs) = rule.figures(now, previous: previous)
            else { return }
            add(
                rule,
                "\(rule.nameZH) — "
                    + tr(
                        "\(rule.left) went down from \(rhs) in \(before) to \(lhs) in \(month)",
                        zh: "\(rule.left) 由 \(before) 的 \(rhs) 降至 \(month) 的 \(lhs)"))
        }
        for rule in rules(involving: element) where rule.isJudged(overMonths: 1) {
            if let compare = rule.compare {
                // The month against the one before, and the month after
                // against this one: a September raised late can leave
                // October's figure below it.
                if let before = compare.month(before: period), let previous = figures[before] {
                    fell(rule, values, previous, period, before)
                }
                if let after = compare.month(after: period), let next = figures[after] {
                    fell(rule, next, values, after, period)
                }
            } else if rule.holds(values) == false {
                add(rule, "\(rule.nameZH) — \(rule.formula)")
            }
        }
        return findings
    }
}
