import SyncModel

/// The report as a terminal table, CSV for spreadsheets, and JSON for dashboards.
extension DistrictReport {
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
            completeness \(reported.count)/\(registered.count) stations reported (\(rate(completeness)));  \
            timeliness \(onTime.count)/\(registered.count) by \(deadline) (\(rate(timeliness)))
            """,
            zh: """
                \(scope == nil ? "全区月报" : "\(scopeLabel) 月报") \(period)  计划 \(plan)
                完整率 \(reported.count)/\(registered.count) 个卫生站已报（\(rate(completeness))）；\
                及时率 \(onTime.count)/\(registered.count) 于 \(deadline) 前报送（\(rate(timeliness))）
                """)
        if !missing.isEmpty { text += tr("\nnot reported: ", zh: "\n未报：") + names(missing) }
        if !late.isEmpty { text += tr("\nlate (after \(deadline)): ", zh: "\n迟报（\(deadline) 之后）：") + names(late) }
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
            for unit in line.units.sorted(by: { $0.unit < $1.unit }) {
                table.add([
                    "", unitLabel(unit.unit), String(unit.numerator),
                    line.indicator.isCount ? "" : String(unit.denominator),
                    Self.shown(unit.value), unit.yearToDate.map { Self.number($0) } ?? "", "",
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
                let shown = line.judgedOn == .period ? unit.value : unit.yearToDate
                text +=
                    "\n  \(unitLabel(unit.unit))  \(line.indicator.nameZH) \(Self.shown(shown))  \(Self.targetText(line))"
            }
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
                    "\n  \(label(violation.station)) \(violation.rule.severity) \(violation.rule.code): \(violation.rule.left) \(violation.rule.operator) \(violation.rule.right)"
            }
        }
        if !conflicts.isEmpty {
            text += tr(
                "\n\ncells in conflict (left out until resolved):", zh: "\n\n有冲突的数据（处理前不计入）：")
            for conflict in conflicts { text += "\n  \(label(conflict.station)) \(conflict.element)" }
        }
        return TerminalText.escaped(text, keepingLineBreaks: true)
    }

    /// UTF-8 with a BOM and Chinese and English headers, one row per indicator and station.
    public func csv() -> [UInt8] {
        var writer = CSVWriter(bom: true)
        writer.addRow([
            "指标代码 code", "指标 indicator", "indicator", "机构 station", "分子 numerator", "分母 denominator",
            "值 value", "目标 target", "计划 plan", "达标 met", "标记 flags", "机构名称 station name",
            "完整率 completeness", "及时率 timeliness", "本年累计 year to date", "判断依据 judged on",
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
        let completenessText = rate(reported.count, completeness, missing)
        let timelinessText = rate(onTime.count, timeliness, late)
        let onTimeSet = Set(onTime)
        for line in lines {
            writer.addRow([
                line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, scope ?? "全区 district",
                String(line.numerator), String(line.denominator), Self.number(line.value),
                Self.targetText(line.target), plan, line.met.map { $0 ? "yes" : "no" } ?? "", "",
                scope.flatMap { stationNames[$0] } ?? "", completenessText, timelinessText,
                line.yearToDate.map { Self.number($0.value) } ?? "", line.judgedOn.rawValue,
            ])
            for station in line.stations {
                writer.addRow([
                    line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, station.station,
                    station.numerator.map(String.init) ?? "", station.denominator.map(String.init) ?? "",
                    Self.number(station.value), "", plan, "", station.flags.joined(separator: " "),
                    stationNames[station.station] ?? "", "yes", onTimeSet.contains(station.station) ? "yes" : "no", "",
                    "",
                ])
            }
        }
        return writer.bytes
    }

    /// The report as JSON (the `hub report --format json` shape in docs/cli.md);
    /// rates are rounded to two decimals.
    public func json() -> JSONValue {
        func rate(_ value: Double?) -> JSONValue { value.map { .double(($0 * 100).rounded() / 100) } ?? .null }
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
                (
                    "units",
                    .array(
                        line.units.map { unit in
                            .object([
                                ("unit", .string(unit.unit)), ("name", .string(unitNames[unit.unit] ?? "")),
                                ("numerator", .int(unit.numerator)), ("denominator", .int(unit.denominator)),
                                ("value", rate(unit.value)), ("year_to_date", rate(unit.yearToDate)),
                                ("met", unit.met.map(JSONValue.bool) ?? .null),
                                ("rank", unit.rank.map { .int($0) } ?? .null),
                            ])
                        })
                ),
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
                ])
            ),
            (
                "timeliness",
                .object([
                    ("on_time", .int(onTime.count)), ("registered", .int(registered.count)),
                    ("deadline", .string(deadline.description)), ("rate", rate(timeliness)),
                    ("late", .strings(late)),
                ])
            ),
            (
                "stations",
                .array(
                    registered.map { station in
                        .object([("id", .string(station)), ("name", .string(stationNames[station] ?? ""))])
                    })
            ),
            ("indicators", .array(indicators)),
            (
                "rule_violations",
                .array(
                    violations.map { violation in
                        .object([
                            ("station", .string(violation.station)), ("rule", .string(violation.rule.code)),
                            ("severity", .string(violation.rule.severity)),
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
