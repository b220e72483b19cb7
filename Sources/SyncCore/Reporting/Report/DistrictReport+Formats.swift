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
        return "\(target.direction) \(number(target.value))"
    }

    static func metText(_ met: Bool?) -> String {
        switch met {
        case true?: return "✓ met"
        case false?: return "✗ not met"
        case nil: return ""
        }
    }

    private var header: String {
        func rate(_ value: Double?) -> String { value.map { Self.number($0) + "%" } ?? "no stations" }
        return """
            District report \(period)  plan \(plan)
            completeness \(reported.count)/\(registered.count) stations reported (\(rate(completeness)));  \
            timeliness \(onTime.count)/\(registered.count) by \(deadline) (\(rate(timeliness)))
            """
    }

    /// Indicators with data, each with its station breakdown.
    public func table(includeEmpty: Bool = false) -> String {
        var table = TextTable(
            headers: ["指标 INDICATOR", "STATION", "NUM", "DEN", "VALUE", "TARGET", "MET", "FLAGS"],
            alignRight: [2, 3, 4])
        for line in lines where includeEmpty || !line.stations.isEmpty {
            table.add([
                line.indicator.nameZH, "全区 district", String(line.numerator), String(line.denominator),
                Self.number(line.value), Self.targetText(line.target), Self.metText(line.met), "",
            ])
            for station in line.stations {
                table.add([
                    "", station.station, station.numerator.map(String.init) ?? "",
                    station.denominator.map(String.init) ?? "",
                    Self.number(station.value), "", "",
                    (station.included ? "" : "excluded ") + station.flags.joined(separator: " "),
                ])
            }
        }
        var text = header + "\n\n" + table.render(maxColumnWidth: 36)
        if !violations.isEmpty {
            text += "\n\nrule violations:"
            for violation in violations {
                text +=
                    "\n  \(violation.station) \(violation.rule.severity) \(violation.rule.code): \(violation.rule.left) \(violation.rule.operator) \(violation.rule.right)"
            }
        }
        if !conflicts.isEmpty {
            text += "\n\ncells in conflict (left out until resolved):"
            for conflict in conflicts { text += "\n  \(conflict.station) \(conflict.element)" }
        }
        return text
    }

    /// UTF-8 with a BOM and Chinese and English headers, one row per indicator and station.
    public func csv() -> [UInt8] {
        var writer = CSVWriter(bom: true)
        writer.addRow([
            "指标代码 code", "指标 indicator", "indicator", "机构 station", "分子 numerator", "分母 denominator",
            "值 value", "目标 target", "计划 plan", "达标 met", "标记 flags",
        ])
        for line in lines {
            writer.addRow([
                line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, "全区 district",
                String(line.numerator), String(line.denominator), Self.number(line.value),
                Self.targetText(line.target), plan, line.met.map { $0 ? "yes" : "no" } ?? "", "",
            ])
            for station in line.stations {
                writer.addRow([
                    line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, station.station,
                    station.numerator.map(String.init) ?? "", station.denominator.map(String.init) ?? "",
                    Self.number(station.value), "", plan, "", station.flags.joined(separator: " "),
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
                        ("source", .string(target.source)),
                    ])
                } ?? .null
            let stations: [JSONValue] = line.stations.map { station in
                .object([
                    ("station", .string(station.station)), ("numerator", .int(station.numerator)),
                    ("denominator", .int(station.denominator)), ("value", rate(station.value)),
                    ("included", .bool(station.included)), ("flags", .strings(station.flags)),
                ])
            }
            return .object([
                ("code", .string(line.indicator.code)), ("name_zh", .string(line.indicator.nameZH)),
                ("name_en", .string(line.indicator.nameEN)), ("factor", .double(line.indicator.factor)),
                ("numerator", .int(line.numerator)), ("denominator", .int(line.denominator)),
                ("value", rate(line.value)),
                ("target", target), ("met", line.met.map(JSONValue.bool) ?? .null), ("stations", .array(stations)),
            ])
        }
        return .object([
            ("period", .string(period.description)), ("plan", .string(plan)),
            (
                "completeness",
                .object([
                    ("reported", .int(reported.count)), ("registered", .int(registered.count)),
                    ("rate", rate(completeness)),
                ])
            ),
            (
                "timeliness",
                .object([
                    ("on_time", .int(onTime.count)), ("registered", .int(registered.count)),
                    ("deadline", .string(deadline.description)), ("rate", rate(timeliness)),
                ])
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
