import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncModel
import SyncStore

extension Station {
    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Enter and list the monthly screening and service counts.", zh: "录入和列出月报数（每月的筛查和服务数量）。"),
            discussion: tr(
                "Element codes come from the indicator catalog (seeds/catalog.json); `station tally elements` lists them.",
                zh: "数据项代码来自指标目录（seeds/catalog.json），\n可用 `station tally elements` 列出。"),
            subcommands: [SetCommand.self, Delete.self, TallyListCommand<StoreOptions>.self, Elements.self, Check.self]
        )
    }
}

extension Station.Tally {
    struct SetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: tr("Set one month's count of one data element.", zh: "设置某个数据项某月的数量。"),
            discussion: tr(
                """
                The catalog's validation rules are checked against the month's other counts: a broken error rule
                refuses the entry, a broken warning rule is reported.

                Examples:
                  station tally set LIVE_BIRTHS 2026-10 4
                  station tally set NEWBORN_HEARING_SCREENED 2026-10 3 \\
                      --comment "one referred to the county hospital"
                """,
                zh: """
                    录入时按指标目录的校验规则与当月其他数量核对：违反错误规则的拒绝
                    录入，违反警告规则的给出提示。

                    示例：
                      station tally set LIVE_BIRTHS 2026-10 4
                      station tally set NEWBORN_HEARING_SCREENED 2026-10 3 \\
                          --comment "one referred to the county hospital"
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Argument(
            help: tr(
                "The data-element code, e.g. LIVE_BIRTHS, or its Chinese name (活产数).",
                zh: "数据项代码（如 LIVE_BIRTHS）或中文名（如 活产数）。")) var element: String
        @Argument(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String
        // Taken raw, so that "-3" reaches the count's own check instead of
        // being read as an unknown option.
        @Argument(
            parsing: .allUnrecognized,
            help: ArgumentHelp(tr("The count: a whole number, 0 or more.", zh: "数量：0 或正整数。"), valueName: "value"))
        var value: [String] = []
        @Option(help: tr("A comment on the figure.", zh: "对该数量的说明。")) var comment: String?
        @Option(
            help: ArgumentHelp(
                tr(
                    "Change a month the district has approved and locked: why (the operator accepts or refuses it).",
                    zh: "修改区里已审核锁定的月份（补报）：说明原因，\n由操作员接受或拒绝。"),
                valueName: "reason"))
        var lateCorrection: String?

        func run() throws {
            try reporting {
                guard value.count == 1 else {
                    throw CommandFailure.badInput(
                        value.isEmpty
                            ? tr(
                                "value is missing: station tally set ELEMENT YYYY-MM COUNT",
                                zh: "缺少数量：station tally set ELEMENT YYYY-MM COUNT")
                            : tr(
                                "give one count, not \(value.joined(separator: " "))",
                                zh: "只能给出一个数量，而不是 \(value.joined(separator: " "))"))
                }
                let code = try Station.Tally.elementCode(element)
                let month = try Period.validated(period)
                let count = try TallyField.count(value[0])
                let (store, config) = try options.open()
                defer { store.close() }
                let key = TallyKey(station: config.station, period: month, element: code)
                try Station.Tally.checkNotLocked(month, in: store, lateCorrection: lateCorrection)
                let warnings = try TallyRuleCheck.check(key, value: count, in: store, catalog: Catalog.builtIn)
                try store.setTally(
                    key, value: count, comment: lateCorrection.map { "补报: \($0)" } ?? comment,
                    clerk: options.clerkName(config))
                for warning in warnings { printError(warning) }
                print("\(code) \(month) = \(count)")
            }
        }
    }

    struct Elements: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("List the data elements a station can tally.", zh: "列出卫生站可录入的数据项。"),
            discussion: tr("Example:\n  station tally elements", zh: "示例：\n  station tally elements")
        )

        func run() throws {
            var table = TextTable(
                headers: [
                    tr("CODE", zh: "代码"), "名称", tr("NAME", zh: "英文名称"), tr("UNIT", zh: "单位"),
                ])
            for element in Catalog.builtIn.dataElements {
                table.add([element.code, element.nameZH, element.nameEN, Self.unitName(element.unit)])
            }
            print(table.render(maxColumnWidth: 50))
        }

        /// The catalog's unit as the reader says it.
        static func unitName(_ unit: String) -> String {
            guard Language.current == .zh else { return unit }
            let chinese = [
                "births": "例", "cases": "例", "contracts": "份", "doses": "剂次", "persons": "人", "records": "份",
                "villages": "个", "facilities": "家",
                "tests": "人次",
            ]
            return chinese[unit] ?? unit
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Clear one month's count of one data element; `tally set` enters it again.",
                zh: "清除某个数据项某月的数量；可用 `tally set` 重新录入。"),
            discussion: tr(
                "Example:\n  station tally delete LIVE_BIRTHS 2026-10",
                zh: "示例：\n  station tally delete LIVE_BIRTHS 2026-10")
        )

        @OptionGroup var options: StoreOptions
        @Argument(
            help: tr(
                "The data-element code, e.g. LIVE_BIRTHS, or its Chinese name (活产数).",
                zh: "数据项代码（如 LIVE_BIRTHS）或中文名（如 活产数）。")) var element: String
        @Argument(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String

        func run() throws {
            try reporting {
                let month = try Period.validated(period)
                let (store, config) = try options.open()
                defer { store.close() }
                let key = TallyKey(
                    station: config.station, period: month, element: try Station.Tally.elementCode(element))
                // A locked month's figure is corrected with `tally set --late-correction`, never cleared.
                try Station.Tally.checkNotLocked(month, in: store, lateCorrection: nil)
                try store.deleteTally(key, clerk: options.clerkName(config))
                print(tr("cleared \(key.element) \(month)", zh: "已清除 \(key.element) \(month)"))
            }
        }
    }
}

extension Station.Tally {
    /// The catalog code a clerk means by what they typed: a code in any case
    /// or the element's Chinese name (活产数). Anything else is refused with
    /// the closest codes, each with its name.
    static func elementCode(_ typed: String) throws -> String {
        let catalog = Catalog.builtIn
        if let element = catalog.element(typed: typed) { return element.code }
        let close = catalog.suggestions(for: typed).map { code in
            tr(
                "\(code) (\(catalog.element(code)?.nameZH ?? ""))",
                zh: "\(code)（\(catalog.element(code)?.nameZH ?? "")）")
        }
        throw CommandFailure.badInput(
            tr(
                "unknown data element '\(typed)'; did you mean \(close.joined(separator: ", "))?",
                zh: "未知的数据项 '\(typed)'；是否是指 \(close.joined(separator: "、"))？"))
    }
}

extension Station.Tally {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Check a month's figures against the catalog's rules, as the district report will.",
                zh: "按指标目录的规则核对某月的数，与全区报表的核对相同。"),
            discussion: tr(
                """
                Typing a figure is never refused for a rule: the other figure of the pair may come later. Run \
                this before the month is reported: exit 0 when every error rule holds, 3 when one is broken \
                (the report leaves such a month's figures out until they are fixed); warnings are listed too.

                Example:
                  station tally check 2026-10
                """,
                zh: """
                    录入某个数时不会因规则而被拒绝：与之对照的另一个数可能稍后才录入。
                    请在上报某月之前运行本命令：所有错误规则都满足时退出码为 0，
                    有错误规则不满足时为 3（全区报表在改正之前不计入该月的数）；
                    也会列出提示规则。

                    示例：
                      station tally check 2026-10
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String

        func run() throws {
            var broken = false
            try reporting {
                let month = try Period.validated(period)
                let (store, config) = try options.open()
                defer { store.close() }
                let (errors, warnings) = try TallyRuleCheck.findings(
                    station: config.station, period: month, in: store, catalog: Catalog.builtIn)
                for rule in errors + warnings { print(TallyRuleCheck.line(rule)) }
                if errors.isEmpty && warnings.isEmpty {
                    print(tr("\(month): every rule holds", zh: "\(month)：所有规则均满足"))
                }
                broken = !errors.isEmpty
            }
            if broken { throw ExitCode(3) }
        }
    }
}

extension Station.Tally {
    /// A month the hub approved is locked (as of the last sync): an ordinary
    /// edit is refused; a late correction (补报) goes through with its reason,
    /// and the hub holds it for the operator.
    static func checkNotLocked(_ month: Period, in store: ReplicaStore, lateCorrection: String?) throws {
        guard try store.syncCheckpoint().lockedPeriods.contains(month.description) else { return }
        guard let reason = lateCorrection else {
            throw CommandFailure.badInput(
                tr(
                    "\(month) is approved and locked by the district: a change now is a late correction, given with --late-correction \"why\" (the operator accepts or refuses it)",
                    zh: "\(month) 已由区里审核锁定：现在的修改属于补报，请加 --late-correction \"原因\"（由操作员接受或拒绝）"))
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CommandFailure.badInput(tr("--late-correction needs the reason", zh: "--late-correction 需要说明原因"))
        }
    }
}
