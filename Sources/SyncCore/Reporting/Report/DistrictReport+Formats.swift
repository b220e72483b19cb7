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
        var table = TextTable(headers: ["指标 INDICATOR", "STATION", "NUM", "DEN", "VALUE", "TARGET", "MET", "FLAGS"],
                              alignRight: [2, 3, 4])
        for line in lines where includeEmpty || !line.stations.isEmpty {
            table.add([line.indicator.nameZH, "全区 district", String(line.numerator), String(line.denominator),
                       Self.number(line.value), Self.targetText(line.target), Self.metText(line.met), ""])
            for station in line.stations {
                table.add(["", station.station, station.numerator.map(String.init) ?? "", station.denominator.map(String.init) ?? "",
                           Self.number(station.value), "", "", (station.included ? "" : "excluded ") + station.flags.joined(separator: " ")])
            }
        }
        var text = header + "\n\n" + table.render(maxColumnWidth: 36)
        if !violations.isEmpty {
            text += "\n\nrule violations:"
            for violation in violations {
                text += "\n  \(violation.station) \(violation.rule.severity) \(violation.rule.code): \(violation.rule.left) \(violation.rule.operator) \(violation.rule.right)"
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
        writer.addRow(["指标代码 code", "指标 indicator", "indicator", "机构 station", "分子 numerator", "分母 denominator",
                       "值 value", "目标 target", "计划 plan", "达标 met", "标记 flags"])
        for line in lines {
            writer.addRow([line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, "全区 district",
                           String(line.numerator), String(line.denominator), Self.number(line.value),
                           Self.targetText(line.target), plan, line.met.map { $0 ? "yes" : "no" } ?? "", ""])
            for station in line.stations {
                writer.addRow([line.indicator.code, line.indicator.nameZH, line.indicator.nameEN, station.station,
                               station.numerator.map(String.init) ?? "", station.denominator.map(String.init) ?? "",
                               Self.number(station.value), "", plan, "", station.flags.joined(separator: " ")])
            }
        }
        return writer.bytes
    }

    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 16 * 1024)
        func optional(_ value: Double?) {
            if let value { writer.double((value * 100).rounded() / 100) } else { writer.null() }
        }
        func optionalInt(_ value: Int?) {
            if let value { writer.int(Int64(value)) } else { writer.null() }
        }
        writer.raw("{\"period\":"); writer.string(period.description)
        writer.raw(",\"plan\":"); writer.string(plan)
        writer.raw(",\"completeness\":{\"reported\":"); writer.int(Int64(reported.count))
        writer.raw(",\"registered\":"); writer.int(Int64(registered.count))
        writer.raw(",\"rate\":"); optional(completeness)
        writer.raw("},\"timeliness\":{\"on_time\":"); writer.int(Int64(onTime.count))
        writer.raw(",\"registered\":"); writer.int(Int64(registered.count))
        writer.raw(",\"deadline\":"); writer.string(deadline.description)
        writer.raw(",\"rate\":"); optional(timeliness)
        writer.raw("},\"indicators\":[")
        for (index, line) in lines.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"code\":"); writer.string(line.indicator.code)
            writer.raw(",\"name_zh\":"); writer.string(line.indicator.nameZH)
            writer.raw(",\"name_en\":"); writer.string(line.indicator.nameEN)
            writer.raw(",\"factor\":"); writer.double(line.indicator.factor)
            writer.raw(",\"numerator\":"); writer.int(Int64(line.numerator))
            writer.raw(",\"denominator\":"); writer.int(Int64(line.denominator))
            writer.raw(",\"value\":"); optional(line.value)
            writer.raw(",\"target\":")
            if let target = line.target {
                writer.raw("{\"value\":"); writer.double(target.value)
                writer.raw(",\"direction\":"); writer.string(target.direction)
                writer.raw(",\"source\":"); writer.string(target.source)
                writer.raw("}")
            } else {
                writer.null()
            }
            writer.raw(",\"met\":")
            if let met = line.met { writer.bool(met) } else { writer.null() }
            writer.raw(",\"stations\":[")
            for (stationIndex, station) in line.stations.enumerated() {
                if stationIndex > 0 { writer.comma() }
                writer.raw("{\"station\":"); writer.string(station.station)
                writer.raw(",\"numerator\":"); optionalInt(station.numerator)
                writer.raw(",\"denominator\":"); optionalInt(station.denominator)
                writer.raw(",\"value\":"); optional(station.value)
                writer.raw(",\"included\":"); writer.bool(station.included)
                writer.raw(",\"flags\":[")
                for (flagIndex, flag) in station.flags.enumerated() {
                    if flagIndex > 0 { writer.comma() }
                    writer.string(flag)
                }
                writer.raw("]}")
            }
            writer.raw("]}")
        }
        writer.raw("],\"rule_violations\":[")
        for (index, violation) in violations.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"station\":"); writer.string(violation.station)
            writer.raw(",\"rule\":"); writer.string(violation.rule.code)
            writer.raw(",\"severity\":"); writer.string(violation.rule.severity)
            writer.raw("}")
        }
        writer.raw("],\"conflicts\":[")
        for (index, conflict) in conflicts.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"station\":"); writer.string(conflict.station)
            writer.raw(",\"element\":"); writer.string(conflict.element)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}
