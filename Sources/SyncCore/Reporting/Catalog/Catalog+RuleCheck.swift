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

    /// Checks the rules involving `element` with it set to `value`, against
    /// `month`, the station's other counts for that month (element → count).
    public func checkRules(element: String, value: Int, month: [String: Int]) -> RuleFindings {
        var values = month
        values[element] = value
        var findings = RuleFindings()
        for rule in rules(involving: element) where rule.holds(values) == false {
            let text = "\(rule.nameZH) — \(rule.left) \(rule.operator) \(rule.right)"
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
        return findings
    }
}
