import SyncModel

/// The report as a terminal table, CSV for spreadsheets, and JSON for dashboards.
extension DistrictReport {
    /// Two decimals at most, "no data" for nil. A figure below 0 (more
    /// deaths than births) keeps its sign; one that rounds to 0 from below
    /// is written "0", never "-0" (`Int` drops the sign of -0.0).
    static func number(_ value: Double?) -> String {
        guard let value else { return "no data" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func targetText(_ target: Catalog.Target?) -> String {
        guard let target else { return "" }
        if target.direction == "between" { return "\(number(target.value))–\(number(target.max))" }
        return "\(target.direction) \(number(target.value))"
    }

    /// The target as the table shows it: the figure in force (a dated
    /// milestone, or a volume's share due by now), and the period it is for.
    static func targetText(_ line: IndicatorLine) -> String {
        guard let target = line.target else { return "" }
        let figure = line.figure ?? target.value
        var text =
            target.direction == "between"
            ? "\(number(figure))–\(number(target.max))" : "\(target.direction) \(number(figure))"
        if let due = line.due {
            text += tr(" (due now \(number(due)))", zh: "（序时 \(number(due))）")
        }
        switch line.judgedOn {
        case .yearToDate: text += tr(" year", zh: " 全年")
        case .schedule: text += tr(" year", zh: " 全年")
        case .period: break
        }
        if let scope = target.scope, scope != "all" { text += " (\(scope))" }
        return text
    }

    /// A unit's own quota as the table shows it: done so far against what
    /// is due by now; empty for a unit judged on the district's figure.
    static func quotaText(_ unit: UnitValue) -> String {
        guard let quota = unit.quota else { return "" }
        let done = unit.done.map(String.init) ?? tr("no data", zh: "无数据")
        return tr(
            "quota \(quota): \(done) of \(number(unit.due)) due", zh: "任务 \(quota)：完成 \(done)/序时 \(number(unit.due))")
    }

    static func metText(_ met: Bool?) -> String {
        switch met {
        case true?: return tr("✓ met", zh: "✓ 达标")
        case false?: return tr("✗ not met", zh: "✗ 未达标")
        case nil: return ""
        }
    }

    /// A value for the table: "no data" in the reader's language.
    static func shown(_ value: Double?) -> String {
        value == nil ? tr("no data", zh: "无数据") : number(value)
    }

    /// Who the report covers: the district, or the one station asked for.
    var scopeLabel: String {
        scope.map(label) ?? tr("district", zh: "全区")
    }

    private var header: String {
        func rate(_ value: Double?) -> String { value.map { Self.number($0) + "%" } ?? tr("no stations", zh: "无卫生站") }
        let names = { (stations: [String]) in stations.map(label).joined(separator: tr(", ", zh: "、")) }
        var text = tr(
            """
            \(scope == nil ? "District report" : "Report for \(scopeLabel),") \(period)  plan \(plan)
            completeness \(reported.count)/\(registered.count) stations submitted (\(rate(completeness)));  \
            timeliness \(onTime.count)/\(registered.count) by \(deadline) (\(rate(timeliness)))
            """,
            zh: """
                \(scope == nil ? "全区月报" : "\(scopeLabel) 月报") \(period)  计划 \(plan)
                完整率 \(reported.count)/\(registered.count) 个卫生站已提交（\(rate(completeness))）；\
                及时率 \(onTime.count)/\(registered.count) 于 \(deadline) 前提交（\(rate(timeliness))）
                """)
        if !missing.isEmpty { text += tr("\nnot submitted: ", zh: "\n未提交：") + names(missing) }
        if !unsubmitted.isEmpty {
            text +=
                tr("\n  of which figures synced but not submitted: ", zh: "\n  其中数据已同步但未提交：")
                + names(unsubmitted)
        }
        if !late.isEmpty { text += tr("\nlate (after \(deadline)): ", zh: "\n迟报（\(deadline) 之后）：") + names(late) }
        if !changedAfterSubmission.isEmpty {
            text +=
                tr("\nfigures changed after submitting: ", zh: "\n提交后数据又有改动：")
                + names(changedAfterSubmission)
        }
        for unit in unitReview.keys.sorted() {
            let review = unitReview[unit]!
            text += tr(
                "\n\(unitLabel(unit)): \(review.submitted)/\(review.stations) submitted, \(review.approved) approved by the unit",
                zh: "\n\(unitLabel(unit))：\(review.submitted)/\(review.stations) 已提交，\(review.approved) 已经镇（街道）审核")
            if let onTime = review.approvedOnTime, let unitDeadline {
                text += tr(", \(onTime) by \(unitDeadline)", zh: "，其中 \(onTime) 于 \(unitDeadline) 前")
            }
        }
        if !pendingCorrections.isEmpty {
            let listed = pendingCorrections.keys.sorted().map { "\(label($0)) (\(pendingCorrections[$0]!))" }
            text +=
                tr(
                    "\nlate corrections waiting (figures shown are the locked ones; `hub corrections list`): ",
                    zh: "\n待处理的补报（所示为锁定的数；见 `hub corrections list`）：")
                + listed.joined(separator: tr(", ", zh: "、"))
        }
        return text
    }

    /// Indicators with data, each with its station breakdown. Flags are
    /// the last column and printed whole: a cut flag names no element.
    /// Station names are shown escaped (`TerminalText`), safe for a terminal.
    public func table(includeEmpty: Bool = false) -> String {
        var table = TextTable(
            headers: [
                tr("INDICATOR", zh: "指标"), tr("STATION", zh: "卫生站"), tr("NUM", zh: "分子"), tr("DEN", zh: "分母"),
                tr("VALUE", zh: "值"), tr("YEAR TO DATE", zh: "本年累计"), tr("TARGET", zh: "目标"),
                tr("MET", zh: "达标"), tr("FLAGS", zh: "标记"),
            ],
            alignRight: [2, 3, 4, 5])
        for line in lines where includeEmpty || !line.stations.isEmpty {
            table.add([
                line.indicator.nameZH, scopeLabel, String(line.numerator),
                line.indicator.isCount ? "" : String(line.denominator), Self.shown(line.value),
                line.yearToDate.map { Self.shown($0.value) } ?? "", Self.targetText(line),
                Self.metText(line.met), "",
            ])
            guard scope == nil else { continue }
            func addStations(_ stations: [StationValue], indent: String) {
                for station in stations {
                    table.add([
                        "", indent + label(station.station), station.numerator.map(String.init) ?? "",
                        station.denominator.map(String.init) ?? "",
                        Self.shown(station.value), "", "", "",
                        (station.included ? "" : tr("excluded ", zh: "未计入 ")) + station.flags.joined(separator: " "),
                    ])
                }
            }
            // Township subtotals between the district and its stations.
            // Units only where stations have figures, as in the table: the
            // subtotal of no station's figures says nothing.
            for unit in line.stations.isEmpty ? [] : line.units.sorted(by: { $0.unit < $1.unit }) {
                table.add([
                    "", unitLabel(unit.unit), String(unit.numerator),
                    line.indicator.isCount ? "" : String(unit.denominator),
                    Self.shown(unit.value), unit.yearToDate.map { Self.number($0) } ?? "", Self.quotaText(unit),
                    Self.metText(unit.met), unit.rank.map { tr("rank \($0)", zh: "第 \($0) 名") } ?? "",
                ])
                addStations(line.stations.filter { unitOf[$0.station] == unit.unit }, indent: "  ")
            }
            addStations(line.stations.filter { unitOf[$0.station] == nil }, indent: "")
        }
        var text = header + "\n\n" + table.render(maxColumnWidth: 36, lastColumnWhole: true)
        let below = lines.flatMap { line in line.units.filter { $0.met == false }.map { (line, $0) } }
        if !below.isEmpty {
            text += tr(
                "\n\nunits below target or behind schedule:", zh: "\n\n未达标或落后于序时进度的单位：")
            for (line, unit) in below {
                // A unit on its own quota is behind its quota, not the district's figure.
                guard unit.quota == nil else {
                    text += "\n  \(unitLabel(unit.unit))  \(line.indicator.nameZH)  \(Self.quotaText(unit))"
                    continue
                }
                let shown = line.judgedOn == .period ? unit.value : unit.yearToDate
                text +=
                    "\n  \(unitLabel(unit.unit))  \(line.indicator.nameZH) \(Self.shown(shown))  \(Self.targetText(line))"
            }
        }
        let unbalanced = lines.filter { $0.quotasAddUp == false }
        if !unbalanced.isEmpty { text += "\n" }
        for line in unbalanced {
            let total = line.quotaTotal ?? 0, planned = Self.number(line.plannedVolume)
            text +=
                line.indicator.isCount
                ? tr(
                    "\n\(line.indicator.nameZH): the units' quotas for \(period.last.year) add up to \(total), the plan sets \(planned)",
                    zh: "\n\(line.indicator.nameZH)：各单位 \(period.last.year) 年任务量合计 \(total)，计划为 \(planned)")
                : tr(
                    "\n\(line.indicator.nameZH): the units' quotas for \(period.last.year) add up to \(total), the stations planned \(planned)",
                    zh: "\n\(line.indicator.nameZH)：各单位 \(period.last.year) 年任务量合计 \(total)，各站计划数合计 \(planned)")
        }
        if !communityUnknown.isEmpty {
            let names = communityUnknown.map(label).joined(separator: tr(", ", zh: "、"))
            let count = communityUnknown.count
            text += tr(
                "\n\n\(count) \(count == 1 ? "station has" : "stations have") no community set (\(names)): "
                    + "targets for urban or rural stations only count them in until it is set with "
                    + "`hub station community ID urban|rural`.",
                zh: "\n\n\(count) 个卫生站未设城乡类型（\(names)）：在用 `hub station community 编号 urban|rural` "
                    + "设定之前，只针对城市或农村的目标都把它们计入。")
        }
        if lines.contains(where: { $0.judgedOn != .period && $0.met != nil }) {
            text += tr(
                "\n\nYearly targets are judged on the year to date (volumes against the share of the year gone), never on one month.",
                zh: "\n\n全年目标按本年累计判断（数量按序时进度），不按单月判断。")
        }
        if !violations.isEmpty {
            text += tr("\n\nrule violations:", zh: "\n\n违反规则：")
            for violation in violations {
                text +=
                    "\n  \(label(violation.station)) \(violation.rule.severity) \(violation.rule.code): \(violation.rule.formula)"
                    + (violation.month.map { " (\($0))" } ?? "")
            }
        }
        if !conflicts.isEmpty {
            text += tr(
                "\n\ncells in conflict (left out until resolved):", zh: "\n\n有冲突的数据（处理前不计入）：")
            for conflict in conflicts { text += "\n  \(label(conflict.station)) \(conflict.element)" }
        }
        return TerminalText.escaped(text, keepingLineBreaks: true)
    }

    /// UTF-8 with a BOM and Chinese and English headers: per indicator the
    /// district's row, then each township or street unit's subtotal followed
    /// by its stations (as the table shows them), then stations in no unit.
    /// Columns added later go at the end, so a spreadsheet built on the
    /// first sixteen keeps working; `level` tells the three kinds of row apart.
    public func csv() -> [UInt8] {
        var writer = CSVWriter(bom: true)
        writer.addRow([
            "指标代码 code", "指标 indicator", "indicator", "机构 station", "分子 numerator", "分母 denominator",
            "值 value", "目标 target", "计划 plan", "达标 met", "标记 flags", "机构名称 station name",
            "完整率 completeness", "及时率 timeliness", "本年累计 year to date", "判断依据 judged on",
            "层级 level", "所属单位 unit", "排名 rank", "任务 quota", "序时 due", "完成 done",
        ])
        // Completeness and timeliness belong to the district (or the one
        // station asked for): on its rows, as "reported/registered rate",
        // followed by the stations missing or late. Each station's row says
        // whether its own figures came on time.
        func rate(_ count: Int, _ value: Double?, _ stations: [String]) -> String {
            var text = "\(count)/\(registered.count)" + (value.map { " " + Self.number($0) + "%" } ?? "")
            if !stations.isEmpty { text += " (" + stations.joined(separator: " ") + ")" }
            return text
        }
        func yesNo(_ met: Bool?) -> String { met.map { $0 ? "yes" : "no" } ?? "" }
        let completenessText = rate(reported.count, completeness, missing)
        let timelinessText = rate(onTime.count, timeliness, late)
        let onTimeSet = Set(onTime)
        for line in lines {
            let indicator = [line.indicator.code, line.indicator.nameZH, line.indicator.nameEN]
            writer.addRow(
                indicator + [
                    scope ?? "全区 district", String(line.numerator), String(line.denominator),
                    Self.number(line.value), Self.targetText(line.target), plan, yesNo(line.met), "",
                    scope.flatMap { stationNames[$0] } ?? "", completenessText, timelinessText,
                    line.yearToDate.map { Self.number($0.value) } ?? "", line.judgedOn.rawValue,
                    scope == nil ? "district" : "station", scope.flatMap { unitOf[$0] } ?? "", "", "", "", "",
                ])
            func addStations(_ stations: [StationValue]) {
                for station in stations {
                    writer.addRow(
                        indicator + [
                            station.station, station.numerator.map(String.init) ?? "",
                            station.denominator.map(String.init) ?? "", Self.number(station.value), "", plan, "",
                            station.flags.joined(separator: " "), stationNames[station.station] ?? "", "yes",
                            onTimeSet.contains(station.station) ? "yes" : "no", "", "", "station",
                            unitOf[station.station] ?? "", "", "", "", "",
                        ])
                }
            }
            // A one-station report has no subtotals to show, as in the table.
            guard scope == nil else {
                addStations(line.stations)
                continue
            }
            // Units only where stations have figures, as in the table: the
            // subtotal of no station's figures says nothing.
            for unit in line.stations.isEmpty ? [] : line.units.sorted(by: { $0.unit < $1.unit }) {
                // A unit on a quota of its own is judged on it, not on the
                // district's target: the quota columns say what against.
                let review = unitReview[unit.unit]
                writer.addRow(
                    indicator + [
                        unitLabel(unit.unit), String(unit.numerator),
                        line.indicator.isCount ? "" : String(unit.denominator),
                        Self.number(unit.value), unit.quota == nil ? Self.targetText(line.target) : "", plan,
                        yesNo(unit.met), "", unitNames[unit.unit] ?? "",
                        review.map { "\($0.submitted)/\($0.stations)" } ?? "", "",
                        unit.yearToDate.map { Self.number($0) } ?? "",
                        unit.quota == nil ? line.judgedOn.rawValue : "quota", "unit", unit.unit,
                        unit.rank.map(String.init) ?? "", unit.quota.map(String.init) ?? "",
                        unit.due.map { Self.number($0) } ?? "", unit.done.map(String.init) ?? "",
                    ])
                addStations(line.stations.filter { unitOf[$0.station] == unit.unit })
            }
            addStations(line.stations.filter { unitOf[$0.station] == nil })
        }
        return writer.bytes
    }

    /// The report as JSON (the `hub report --format json` shape in docs/cli.md);
    /// rates are rounded to two decimals.
    public func json() -> JSONValue {
        // `+ 0` turns the -0.0 of a tiny negative rate rounded into 0.
        func rate(_ value: Double?) -> JSONValue { value.map { .double(($0 * 100).rounded() / 100 + 0) } ?? .null }
        let indicators: [JSONValue] = lines.map { line in
            let target: JSONValue =
                line.target.map { target in
                    .object([
                        ("value", .double(target.value)), ("direction", .string(target.direction)),
                        ("max", target.max.map(JSONValue.double) ?? .null), ("period", .string(target.period.rawValue)),
                        ("in_force", line.figure.map(JSONValue.double) ?? .null),
                        ("due", line.due.map(JSONValue.double) ?? .null), ("scope", .string(target.scope)),
                        ("source", .string(target.source)),
                    ])
                } ?? .null
            let stations: [JSONValue] = line.stations.map { station in
                .object([
                    ("station", .string(station.station)), ("name", .string(stationNames[station.station] ?? "")),
                    ("numerator", .int(station.numerator)),
                    ("denominator", .int(station.denominator)), ("value", rate(station.value)),
                    ("included", .bool(station.included)), ("flags", .strings(station.flags)),
                ])
            }
            let units: [JSONValue] = line.units.map { unit in
                .object([
                    ("unit", .string(unit.unit)), ("name", .string(unitNames[unit.unit] ?? "")),
                    ("numerator", .int(unit.numerator)), ("denominator", .int(unit.denominator)),
                    ("value", rate(unit.value)), ("year_to_date", rate(unit.yearToDate)),
                    ("met", unit.met.map(JSONValue.bool) ?? .null), ("rank", .int(unit.rank)),
                    ("quota", .int(unit.quota)), ("due", rate(unit.due)),
                    ("done", .int(unit.done)),
                ])
            }
            let quotas: JSONValue =
                line.quotaTotal.map { total in
                    .object([
                        ("year", .int(period.last.year)), ("total", .int(total)),
                        ("planned", line.plannedVolume.map(JSONValue.double) ?? .null),
                        ("add_up", line.quotasAddUp.map(JSONValue.bool) ?? .null),
                    ])
                } ?? .null
            return .object([
                ("code", .string(line.indicator.code)), ("name_zh", .string(line.indicator.nameZH)),
                ("name_en", .string(line.indicator.nameEN)), ("factor", .double(line.indicator.factor)),
                ("numerator", .int(line.numerator)), ("denominator", .int(line.denominator)),
                ("value", rate(line.value)),
                (
                    "year_to_date",
                    line.yearToDate.map { ytd in
                        .object([
                            ("numerator", .int(ytd.numerator)), ("denominator", .int(ytd.denominator)),
                            ("value", rate(ytd.value)),
                        ])
                    } ?? .null
                ),
                ("target", target), ("met", line.met.map(JSONValue.bool) ?? .null),
                ("judged_on", .string(line.judgedOn.rawValue)), ("stations", .array(stations)),
                ("units", .array(units)), ("quotas", quotas),
            ])
        }
        return .object([
            ("period", .string(period.description)), ("plan", .string(plan)),
            ("station", scope.map(JSONValue.string) ?? .null),
            (
                "completeness",
                .object([
                    ("reported", .int(reported.count)), ("registered", .int(registered.count)),
                    ("rate", rate(completeness)), ("missing", .strings(missing)),
                    ("figures_not_submitted", .strings(unsubmitted)),
                ])
            ),
            (
                "timeliness",
                .object([
                    ("on_time", .int(onTime.count)), ("registered", .int(registered.count)),
                    ("deadline", .string(deadline.description)), ("rate", rate(timeliness)),
                    ("late", .strings(late)), ("changed_after_submitting", .strings(changedAfterSubmission)),
                ])
            ),
            (
                "unit_review",
                .array(
                    unitReview.keys.sorted().map { unit in
                        let review = unitReview[unit]!
                        return .object([
                            ("unit", .string(unit)), ("stations", .int(review.stations)),
                            ("submitted", .int(review.submitted)), ("approved_by_unit", .int(review.approved)),
                            ("approved_on_time", review.approvedOnTime.map { .int($0) } ?? .null),
                            ("deadline", .string(unitDeadline?.description)),
                        ])
                    })
            ),
            (
                "late_corrections_pending",
                .object(pendingCorrections.keys.sorted().map { ($0, .int(pendingCorrections[$0]!)) })
            ),
            (
                "stations",
                .array(
                    registered.map { station in
                        .object([
                            ("id", .string(station)), ("name", .string(stationNames[station] ?? "")),
                            ("community", .string(communityOf[station])),
                        ])
                    })
            ),
            ("community_unknown", .strings(communityUnknown)),
            ("indicators", .array(indicators)),
            (
                "rule_violations",
                .array(
                    violations.map { violation in
                        .object([
                            ("station", .string(violation.station)), ("rule", .string(violation.rule.code)),
                            ("severity", .string(violation.rule.severity)),
                            ("month", .string(violation.month?.description)),
                        ])
                    })
            ),
            (
                "conflicts",
                .array(
                    conflicts.map { conflict in
                        .object([("station", .string(conflict.station)), ("element", .string(conflict.element))])
                    })
            ),
        ])
    }
}
